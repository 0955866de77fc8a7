// The web app against the server's own declaration (`xinghuo meta`, the same
// JSON as GET /api/meta): every permission and role the sources name exists
// on the server, every label set they read is one the server has, the numeric
// limits written in the sources (photo size and count, page sizes) agree with
// the server's, and the locale files hold no copy of a server enumeration.
//
//   node --test tests/meta.test.mjs
//   XH_BINARY=/path/to/xinghuo node --test tests/meta.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(WEB, 'src');
const BINARY = process.env.XH_BINARY || resolve(WEB, '..', 'build', 'xinghuo');

function serverMeta() {
  assert.ok(existsSync(BINARY), `no server binary at ${BINARY} (set XH_BINARY)`);
  return JSON.parse(execFileSync(BINARY, ['meta'], { encoding: 'utf8', maxBuffer: 16 << 20 }));
}
const meta = serverMeta();

function sources(dir = SRC) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'locales' ? [] : sources(p);
    return /\.(vue|js)$/.test(e.name) ? [p] : [];
  });
}
// Comments are left out: they may name anything.
const stripComments = (text) =>
  text
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[\s;{}(),])\/\/.*$/gm, '$1');
const files = sources().map((p) => ({ name: relative(SRC, p), code: stripComments(readFileSync(p, 'utf8')) }));

// Every match of `re` in every file, as { name, value: match[1] }.
const found = (re) => files.flatMap(({ name, code }) => [...code.matchAll(re)].map((m) => ({ name, value: m[1], all: m[0] })));
const quoted = (list) => [...list.matchAll(/'([^']+)'/g)].map((m) => m[1]);

test('the server declares labels, permissions, roles and limits', () => {
  assert.ok(Object.keys(meta.labels || {}).length > 0, 'labels');
  assert.ok((meta.permissions || []).length > 0, 'permissions');
  assert.ok((meta.roles || []).length > 0, 'roles');
  for (const k of ['photo_max_bytes', 'photos_per_report', 'page_max', 'export_max']) assert.equal(typeof meta.limits?.[k], 'number', `limits.${k}`);
});

test('every permission the sources use is one the server defines', () => {
  const known = new Set(meta.permissions);
  const used = [
    // Route declarations: meta: { perms: ['place.read', …] } (and stats' perms).
    ...found(/\bperms:\s*\[([^\]]*)\]/g).flatMap((m) => quoted(m.value).map((value) => ({ ...m, value }))),
    // session.can('a', 'b') (this.can inside the session store).
    ...found(/\b(?:session|this)\.can\(([^)]*)\)/g).flatMap((m) => quoted(m.value).map((value) => ({ ...m, value }))),
    // A role's permissions looked into: r.permissions.includes('place.read').
    ...found(/permissions\.includes\(\s*'([^']+)'/g),
  ];
  assert.ok(used.length > 10, `permissions found in the sources: ${used.length}`);
  const unknown = used.filter((u) => !known.has(u.value)).map((u) => `${u.name}: ${u.value}`);
  assert.deepEqual(unknown, [], 'permissions the server does not define');
});

test('every role the sources name is one the server defines', () => {
  const known = new Set(meta.roles.map((r) => r.name));
  const used = [
    ...found(/\broles:\s*\[([^\]]*)\]/g).flatMap((m) => quoted(m.value).map((value) => ({ ...m, value }))),
    ...found(/\bhasRole\(([^)]*)\)/g).flatMap((m) => quoted(m.value).map((value) => ({ ...m, value }))),
  ];
  const unknown = used.filter((u) => !known.has(u.value)).map((u) => `${u.name}: ${u.value}`);
  assert.deepEqual(unknown, [], 'roles the server does not define');
});

test('every label set the sources read is one the server has', () => {
  const used = found(/(?<![\w.$])(?:label|labels|keys)\(\s*'([^']+)'/g);
  assert.ok(used.length > 20, `label sets read: ${used.length}`);
  const missing = used.filter((u) => !(u.value in meta.labels)).map((u) => `${u.name}: ${u.value}`);
  assert.deepEqual([...new Set(missing)], [], 'label sets the server does not have');
});

test('the limits written in the sources agree with the server', () => {
  const { photo_max_bytes: photoBytes, photos_per_report: photos, page_max: pageMax } = meta.limits;
  const problems = [];
  // Page sizes: a page larger than page_max would be cut short by the server.
  for (const m of found(/\b(?:limit|pageSize|page_size|PAGE(?:_SIZE)?)\s*[:=]\s*(\d+)\b/g))
    if (Number(m.value) > pageMax) problems.push(`${m.name}: ${m.all} is more than page_max ${pageMax} (use limits.page_max or limits.export_max)`);
  // Photo sizes in bytes, however they are written.
  for (const m of found(/\b(\d+(?:\.\d+)?\s*\*\s*1024\s*\*\s*1024|\d+\s*\*\s*1048576)\b/g)) {
    const bytes = m.value.split('*').reduce((a, b) => a * Number(b.trim()), 1);
    if (bytes !== photoBytes) problems.push(`${m.name}: ${m.value} bytes is not photo_max_bytes ${photoBytes}`);
  }
  for (const m of found(/\bmax-size="(\d+)"/g)) if (Number(m.value) !== photoBytes) problems.push(`${m.name}: max-size ${m.value} is not photo_max_bytes ${photoBytes}`);
  // Photo counts: van-uploader's max-count, an image el-upload's limit, a MAX_PHOTOS constant.
  for (const m of found(/\bmax-count="(\d+)"/g)) if (Number(m.value) !== photos) problems.push(`${m.name}: max-count ${m.value} is not photos_per_report ${photos}`);
  for (const m of found(/\bMAX_PHOTOS\s*=\s*(\d+)/g)) if (Number(m.value) !== photos) problems.push(`${m.name}: MAX_PHOTOS ${m.value} is not photos_per_report ${photos}`);
  for (const m of found(/<el-upload\b([^>]*)>/g))
    if (/accept="image/.test(m.value)) {
      const limit = /\slimit="(\d+)"/.exec(m.value);
      if (limit && Number(limit[1]) !== photos) problems.push(`${m.name}: el-upload limit ${limit[1]} is not photos_per_report ${photos}`);
    }
  assert.deepEqual(problems, []);
});

test('the locale files hold no copy of a server enumeration', () => {
  const locales = ['zh-CN', 'en'].map((l) => [l, JSON.parse(readFileSync(join(SRC, 'locales', `${l}.json`), 'utf8'))]);
  // Every nested group of messages, by its path.
  const groups = (obj, path = '') =>
    Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object' ? [[path ? `${path}.${k}` : k, v], ...groups(v, path ? `${path}.${k}` : k)] : []));
  const copies = [];
  for (const [locale, messages] of locales)
    for (const [path, group] of groups(messages))
      for (const [set, entries] of Object.entries(meta.labels)) {
        const keys = entries.map((e) => e.key.replace(/\./g, '_'));
        if (keys.length >= 2 && keys.every((k) => k in group)) copies.push(`${locale}: ${path} copies the server's ${set}`);
      }
  assert.deepEqual(copies, [], 'labels of server enumerations come from meta.js, not the locale files');
});
