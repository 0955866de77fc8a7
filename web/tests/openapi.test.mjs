// The OpenAPI document the server serves, held to two things:
//  - a linter (Redocly's recommended rules) finds nothing in it;
//  - every answer the API suite received (both engines; the suite writes them
//    to XH_API_ANSWERS, one JSON object a line) is one the document describes:
//    the operation lists its status, the answer's media type is declared, and
//    a JSON body validates against the declared schema. A request body the
//    server accepted (2xx) validates against the operation's request schema.
//
//   XH_OPENAPI=build/release/openapi.json \
//   XH_API_ANSWER_FILES=build/release/api-answers-sqlite.jsonl:… node --test tests/openapi.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DOC_PATH = process.env.XH_OPENAPI || resolve(WEB, '..', 'build', 'release', 'openapi.json');
const ANSWER_FILES = process.env.XH_API_ANSWER_FILES !== undefined
  ? process.env.XH_API_ANSWER_FILES.split(':').filter(Boolean)
  : ['sqlite', 'postgresql'].map((e) => resolve(dirname(DOC_PATH), `api-answers-${e}.jsonl`)).filter(existsSync);

// Statuses every operation can meet, said once in the document's description
// rather than on each operation: a method the path does not take, a request
// too slow, too large or with a body that is not JSON, headers too large, the
// database unavailable.
const CROSS_CUTTING = new Set([405, 408, 413, 415, 431, 503]);

test('the linter finds nothing in the document', () => {
  assert.ok(existsSync(DOC_PATH), `no OpenAPI document at ${DOC_PATH} (set XH_OPENAPI)`);
  const redocly = join(WEB, 'node_modules', '.bin', 'redocly');
  const run = spawnSync(redocly, ['lint', '--format=json', '--config', join(WEB, 'tests', 'redocly.yaml'), DOC_PATH],
    { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } });
  const start = run.stdout.indexOf('{');
  assert.ok(start >= 0, `redocly printed no report: ${run.stderr}`);
  const report = JSON.parse(run.stdout.slice(start));
  const problems = report.problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer}`);
  assert.deepEqual(problems, []);
});

// Path templates of the document as regular expressions; a literal path wins
// over a template (`/api/work-orders/nearby` over `/api/work-orders/{id}`).
function pathMatcher(doc) {
  const entries = Object.keys(doc.paths).map((template) => {
    const params = (template.match(/\{[^}]+\}/g) || []).length;
    const source = template.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/]+');
    return { template, params, re: new RegExp(`^${source}$`) };
  }).sort((a, b) => a.params - b.params);
  return (path) => entries.find((e) => e.re.test(path))?.template;
}

const mediaType = (contentType) => (contentType || '').split(';')[0].trim().toLowerCase();
const pointer = (...parts) => '#/' + parts.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

// Run alone (node --test tests/), it checks the answer files a `make test`
// left beside the document, and is skipped when there are none.
test('every answer of the API suite is one the document describes',
  { skip: ANSWER_FILES.length === 0 && 'no answer files: run the API suite first (ctest -R openapi does)' }, () => {
  const doc = JSON.parse(readFileSync(DOC_PATH, 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'doc');
  const validators = new Map();
  const validator = (ref) => {
    if (!validators.has(ref)) validators.set(ref, ajv.compile({ $ref: `doc${ref}` }));
    return validators.get(ref);
  };
  const templateOf = pathMatcher(doc);

  const failures = new Map();  // one line per kind of failure, with a count and an example
  const fail = (key, example) => {
    const f = failures.get(key) || { count: 0, example };
    f.count++;
    failures.set(key, f);
  };
  const seen = new Set();
  let checked = 0;
  for (const file of ANSWER_FILES) {
    assert.ok(existsSync(file), `no answer file ${file}: run the API suite with XH_API_ANSWERS=${file}`);
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      const a = JSON.parse(line);
      const url = new URL(a.target, 'http://x');
      const template = templateOf(url.pathname);
      const method = a.method.toLowerCase();
      const op = template && doc.paths[template][method === 'head' ? 'get' : method];
      if (!op) continue;  // an unknown route or method: answered by the router, described in info
      seen.add(`${method} ${template}`);
      checked++;
      const where = `${a.method} ${template} ${a.status}`;
      const example = `${a.test || '?'}: ${a.method} ${a.target}`;
      let response = op.responses[String(a.status)];
      let responseRef = pointer('paths', template, method === 'head' ? 'get' : method, 'responses', a.status);
      if (response?.$ref) {
        responseRef = response.$ref;
        response = doc.components.responses[response.$ref.split('/').pop()];
      }
      if (!response) {
        if (!CROSS_CUTTING.has(a.status)) fail(`${where}: status not in the document`, example);
        continue;
      }
      if (method === 'head' || a.status === 204) continue;
      const content = response.content || {};
      const type = mediaType(a.type);
      if (type && !content[type]) {
        fail(`${where}: answers ${type}, the document declares ${Object.keys(content).join(', ') || 'no body'}`, example);
        continue;
      }
      if (a.body !== undefined && content[type]?.schema) {
        const validate = validator(`${responseRef}/content/${type.replace(/\//g, '~1')}/schema`);
        let body;
        try { body = JSON.parse(a.body); } catch { fail(`${where}: answer is not JSON`, example); continue; }
        if (!validate(body)) {
          for (const e of validate.errors.slice(0, 3))
            fail(`${where}: answer ${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`, example);
        }
      }
      // A request the server accepted is one the document allows.
      if (a.status >= 200 && a.status < 300 && a.request_body && mediaType(a.request_type) === 'application/json') {
        const schema = op.requestBody?.content?.['application/json']?.schema;
        if (!schema) {
          fail(`${a.method} ${template}: takes a JSON body the document does not declare`, example);
        } else {
          const validate = validator(pointer('paths', template, method, 'requestBody', 'content', 'application/json', 'schema'));
          let body;
          try { body = JSON.parse(a.request_body); } catch { continue; }
          if (!validate(body)) {
            for (const e of validate.errors.slice(0, 3))
              fail(`${a.method} ${template}: accepted request ${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`, example);
          }
        }
      }
    }
  }
  const operations = Object.entries(doc.paths).flatMap(([p, item]) =>
    Object.keys(item).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).map((m) => `${m} ${p}`));
  const untested = operations.filter((o) => !seen.has(o));
  console.log(`openapi: ${checked} answers checked; ${seen.size} of ${operations.length} operations exercised` +
    (untested.length ? `; not exercised: ${untested.join(', ')}` : ''));
  const report = [...failures].sort().map(([k, f]) => `${k} (${f.count}×, e.g. ${f.example})`);
  assert.deepEqual(report, []);
});
