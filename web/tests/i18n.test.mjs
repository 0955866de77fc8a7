// Every user-visible string goes through vue-i18n: the two locales have the
// same keys and placeholders, every key the sources use exists, and no Chinese
// text is written into the sources themselves.
//
//   node --test tests/i18n.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');
const LOCALES = ['zh-CN', 'en'];
const messages = Object.fromEntries(LOCALES.map((l) => [l, JSON.parse(readFileSync(join(SRC, 'locales', `${l}.json`), 'utf8'))]));

// { 'a.b.c': 'text' } from nested objects.
function flatten(obj, prefix = '', out = {}) {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') flatten(v, key, out);
    else out[key] = v;
  }
  return out;
}
const flat = Object.fromEntries(LOCALES.map((l) => [l, flatten(messages[l])]));

function sources(dir = SRC) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'locales' ? [] : sources(p);
    return /\.(vue|js)$/.test(e.name) ? [p] : [];
  });
}
const files = sources().map((p) => ({ name: relative(SRC, p), text: readFileSync(p, 'utf8') }));

const isGroup = (locale, path) => {
  const v = path.split('.').reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), messages[locale]);
  return v && typeof v === 'object' && Object.keys(v).length > 0;
};

test('both locales have the same keys', () => {
  for (const [a, b] of [['zh-CN', 'en'], ['en', 'zh-CN']]) {
    const missing = Object.keys(flat[a]).filter((k) => !(k in flat[b]));
    assert.deepEqual(missing, [], `keys in ${a} missing from ${b}`);
  }
});

test('every message is a non-empty string with the same placeholders in both locales', () => {
  const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  const problems = [];
  for (const key of Object.keys(flat['zh-CN'])) {
    for (const l of LOCALES) {
      const v = flat[l][key];
      if (typeof v !== 'string' || !v.trim()) problems.push(`${l}: ${key} is empty`);
      // vue-i18n reads @ as a linked message and | as a plural separator.
      else if (/[@|]/.test(v)) problems.push(`${l}: ${key} has a bare @ or |`);
    }
    if (typeof flat.en[key] === 'string' && JSON.stringify(placeholders(flat['zh-CN'][key])) !== JSON.stringify(placeholders(flat.en[key])))
      problems.push(`${key}: placeholders differ`);
  }
  assert.deepEqual(problems, []);
});

test('every key used in the sources exists in both locales', () => {
  const missing = [];
  for (const { name, text } of files) {
    const used = [
      ...[...text.matchAll(/(?<![\w.])\$?t\(\s*'([^'`]+)'/g)].map((m) => m[1]),
      ...[...text.matchAll(/(?<![\w.])\$?t\(\s*"([^"`]+)"/g)].map((m) => m[1]),
      // Route titles: meta: { title: 'menu.places' }.
      ...[...text.matchAll(/\btitle: '([a-z]\w*\.[\w.]+)'/g)].map((m) => m[1]),
    ];
    for (const key of used) for (const l of LOCALES) if (!(key in flat[l])) missing.push(`${name}: '${key}' missing in ${l}`);
    // Keys built at run time, $t(`home.stat.${key}`) or labelOf(t, te, 'status', …): the group must exist.
    const groups = [
      ...[...text.matchAll(/\$?t\(\s*`([\w.]+)\.\$\{/g)].map((m) => m[1]),
      ...[...text.matchAll(/labelOf\(\s*t,\s*te,\s*'([\w.]+)'/g)].map((m) => m[1]),
    ];
    for (const g of groups) for (const l of LOCALES) if (!isGroup(l, g)) missing.push(`${name}: group '${g}' missing in ${l}`);
  }
  assert.deepEqual(missing, []);
});

test('no Chinese text is written into the sources (comments aside)', () => {
  const found = [];
  for (const { name, text } of files) {
    const code = text
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(^|[\s;{}(),])\/\/.*$/gm, '$1');
    code.split('\n').forEach((line, i) => {
      if (/[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/.test(line)) found.push(`${name}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(found, [], 'put these strings in src/locales/*.json');
});
