// k6 scripts read from their syntax tree: thresholds, checks, durations, and what one iteration
// of the default function becomes in perfctl's mix. In tables, without running anything.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emitYaml } from '../../src/import/emit-yaml.js';
import { importK6, k6Duration } from '../../src/import/from-k6.js';
import { parseK6Script } from '../../src/import/k6-parse.js';
import { contentCheck, statusCheck } from '../../src/import/k6-script.js';
import { parseThresholdKey, readThreshold } from '../../src/import/k6-thresholds.js';
import { ImportInputError } from '../../src/import/types.js';

describe('k6 thresholds', () => {
  it.each([
    ['http_req_duration', 'p(95)<200', { ok: true, metric: 'p95', limit: 200 }],
    ['http_req_duration', 'p(99.9) < 1500', { ok: true, metric: 'p99.9', limit: 1500 }],
    ['http_req_duration', 'avg<100', { ok: true, metric: 'mean', limit: 100 }],
    ['http_req_duration', 'med<50', { ok: true, metric: 'p50', limit: 50 }],
    ['http_req_duration', 'max<=900', { ok: true, metric: 'max', limit: 900 }],
    ['http_req_failed', 'rate<0.01', { ok: true, metric: 'errorRate', limit: 0.01 }],
    ['checks', 'rate>0.99', { ok: true, metric: 'errorRate', limit: 0.01 }],
    ['http_reqs', 'rate>100', { ok: true, metric: 'rps', limit: 100 }],
    ['http_req_duration', 'p(95)>200', { ok: false }],
    ['http_req_duration', 'min<10', { ok: false }],
    ['http_reqs', 'count>1000', { ok: false }],
    ['iteration_duration', 'p(95)<2000', { ok: false }],
    ['http_req_duration', 'p95 under 200', { ok: false }],
  ])('%s: %s', (metric, expression, read) => {
    expect(readThreshold(metric, expression)).toMatchObject(read);
  });
  it.each([
    ['http_req_duration', { metric: 'http_req_duration', tags: {} }],
    ['http_req_duration{name:login}', { metric: 'http_req_duration', tags: { name: 'login' } }],
    ["http_req_duration{ url: 'http://x/a' , method:GET}", { metric: 'http_req_duration', tags: { url: 'http://x/a', method: 'GET' } }],
  ])('key %s', (key, parsed) => expect(parseThresholdKey(key)).toEqual(parsed));
});

describe('k6Duration', () => {
  it.each([
    ['30s', '30s'], ['300s', '5m'], ['1m30s', '90s'], ['24h', '24h'], ['0s', '0s'], ['500ms', '500ms'], [1500, '1.5s'], ['2 minutes', null], ['-1s', null],
  ])('%j -> %s', (value, text) => expect(k6Duration(value)).toBe(text));
});

describe('statusCheck: the statuses a check accepts', () => {
  const fn = (source: string) => (parseK6Script(`(${source});`).program['body'][0]['expression']);
  it.each([
    ['(r) => r.status === 200', [200]],
    ['r => r.status == 201', [201]],
    ['(res) => res.status === 200 || res.status === 204', [200, 204]],
    ['(r) => [200, 201].includes(r.status)', [200, 201]],
    ['function (r) { return r.status === 200; }', [200]],
    ['(r) => r.status >= 200 && r.status < 300', 'default'],
    ['(r) => r.timings.duration < 200', null],
    ['(r) => r.body.includes("ok")', null],
    ['(r) => x.status === 200', null],
  ])('%s', (source, statuses) => expect(statusCheck(fn(source))).toEqual(statuses));
});

describe('contentCheck: what a check on the body or headers expects', () => {
  const fn = (source: string) => (parseK6Script(`(${source});`).program['body'][0]['expression']);
  it.each([
    ["(r) => r.body.includes('ok')", { body: { contains: 'ok' } }],
    ['(r) => /id":\\d+/.test(r.body)', { body: { matches: 'id":\\d+' } }],
    ["(r) => r.json('status') === 'ok'", { body: { json: { '$.status': 'ok' } } }],
    ["(r) => r.json().items[0].id !== undefined", { body: { json: { '$.items[0].id': { matches: '.' } } } }],
    ["(r) => r.json('token') != null && r.json('user.id') === 7", { body: { json: { '$.token': { matches: '.' }, '$.user.id': 7 } } }],
    ["(r) => r.headers['Content-Type'] === 'application/json'", { headers: { 'content-type': '^application/json$' } }],
    ["(r) => r.headers['Content-Type'].includes('json+x')", { headers: { 'content-type': 'json\\+x' } }],
    ["(r) => r.body.length > 0", null],
    ["(r) => r.json('a') > 3", null],
    ["(r) => r.status === 200", null],
  ])('%s', (source, expected) => expect(contentCheck(fn(source))).toEqual(expected));
});

function convert(script: string, setupSteps = true): { data: Record<string, any>; leftOut: string[]; notes: string[]; placeholders: string[] } {
  const conversion = importK6(script, { file: 'test.js', setupSteps });
  return {
    data: parse(emitYaml(conversion.document)) as Record<string, any>,
    leftOut: conversion.leftOut.map((remark) => `${remark.line}: ${remark.construct}`),
    notes: conversion.notes.map((remark) => `${remark.line}: ${remark.construct}`),
    placeholders: conversion.placeholders.map((placeholder) => placeholder.name),
  };
}

const header = "import http from 'k6/http';\nimport { check, sleep, group } from 'k6';\n";

describe('importK6', () => {
  it('a sequence of requests is a flow: consts in template URLs, JSON.stringify bodies, captures from res.json, a think between', () => {
    const { data, leftOut } = convert(
      header +
        [
          "const BASE = 'http://api.local:8080';",
          'export const options = { vus: 5, duration: "30s" };',
          'export default function () {',
          "  const login = http.post(`${BASE}/api/login`, JSON.stringify({ user: 'a', n: 1 }), { headers: { 'Content-Type': 'application/json' }, tags: { name: 'login' } });",
          "  check(login, { 'ok': (r) => r.status === 200 });",
          "  const token = login.json('data.token');",
          '  sleep(0.5);',
          "  http.get(BASE + '/api/items/' + 7, { headers: { Authorization: `Bearer ${token}` } });",
          '}',
        ].join('\n'),
    );
    expect(leftOut).toEqual([]);
    expect(data['baseUrl']).toBe('${PERFCTL_BASE_URL:-http://api.local:8080}');
    expect(data['stages']).toEqual([{ name: 'hold', duration: '30s', vus: 5 }]);
    expect(data['flows']).toEqual([
      {
        name: 'iteration',
        steps: [
          { name: 'login', method: 'POST', path: '/api/login', headers: { 'content-type': 'application/json' }, json: { user: 'a', n: 1 }, expect: { status: [200] }, capture: { token: '$.data.token' } },
          { think: '500ms' },
          { name: 'get-items-7', path: '/api/items/7', headers: { authorization: 'Bearer {{ token }}' } },
        ],
      },
    ]);
  });

  it('else-if chains on one Math.random() value give cumulative weights; a trailing sleep is the thinkTime', () => {
    const { data, notes } = convert(
      header +
        [
          'export const options = { stages: [ { duration: "1m", target: 10 } ] };',
          'export default function () {',
          '  const r = Math.random();',
          "  if (r < 0.5) { http.get('http://h/a'); }",
          "  else if (r < 0.8) { http.get('http://h/b'); }",
          "  else { http.get('http://h/c'); }",
          '  sleep(Math.random() * 2 + 1);',
          '}',
        ].join('\n'),
    );
    expect(data['requests']).toEqual([
      { name: 'get-a', path: '/a', weight: 50 },
      { name: 'get-b', path: '/b', weight: 30 },
      { name: 'get-c', path: '/c', weight: 20 },
    ]);
    expect(data['thinkTime']).toBe('1s-3s');
    expect(data['stages']).toEqual([{ duration: '1m', from: 1, vus: 10 }]);
    expect(notes).toEqual(['6: if (r < 0.5)']);
  });

  it('scenarios: an arrival-rate executor is the open model, its rate per timeUnit per second; the others and JS logic are listed', () => {
    const { data, leftOut } = convert(
      header +
        [
          'export const options = {',
          '  scenarios: {',
          "    api: { executor: 'ramping-arrival-rate', startRate: 60, timeUnit: '1m', preAllocatedVUs: 10, maxVUs: 50, stages: [ { target: 600, duration: '2m' } ], startTime: '5s' },",
          '  },',
          "  thresholds: { 'http_req_duration{name:home}': [{ threshold: 'p(95)<300', abortOnFail: true }], http_req_failed: ['rate<0.05'], checks: ['rate>0.9'] },",
          '};',
          'export default function () {',
          "  const res = http.get(__ENV.HOST + '/', { tags: { name: 'home' } });",
          "  check(res, { 'is 200': (r) => r.status === 200, 'fast': (r) => r.timings.duration < 100 });",
          '  for (const x of [1, 2]) { http.get(`http://h/${x}`); }',
          '}',
        ].join('\n'),
    );
    expect(data['stages']).toEqual([{ duration: '2m', from: 1, rate: 10 }]);
    expect(data['maxInFlight']).toBe(50);
    expect(data['baseUrl']).toBe('${HOST}');
    expect(data['requests']).toEqual([{ name: 'home', path: '/', expect: { status: [200] } }]);
    expect(data['targets']).toEqual([
      { name: 'home', requests: ['home'], p95: '300ms', abortOnFail: true },
      { name: 'All requests', errorRate: '5%' },
      { name: 'Checks', requests: ['home'], errorRate: '10%' },
    ]);
    expect(leftOut).toEqual(["5: scenarios.api.startTime", "11: check 'fast'", "12: for...of loop"]);
  });

  it('several scenarios are perfctl scenarios: each its executor\'s load shape, its exec\'s mix and its startTime; the result validates', async () => {
    const conversion = importK6(
      header +
        [
          'export const options = {',
          '  scenarios: {',
          "    browsing: { executor: 'constant-vus', vus: 20, duration: '10m', exec: 'browse' },",
          "    'login wave': { executor: 'ramping-arrival-rate', startRate: 5, timeUnit: '1s', maxVUs: 100, startTime: '2m', stages: [ { target: 50, duration: '1m' } ], exec: 'login' },",
          '  },',
          "  thresholds: { http_req_failed: ['rate<0.01'] },",
          '};',
          "export function browse() { http.get('http://h/items'); sleep(1); }",
          "export function login() { http.post('http://h/login', 'x'); }",
        ].join('\n'),
      { file: 'mixed.js' },
    );
    const text = emitYaml(conversion.document);
    const data = parse(text) as Record<string, any>;
    expect(data['stages']).toBeUndefined();
    expect(Object.keys(data['scenarios'])).toEqual(['browsing', 'login-wave']);
    expect(data['scenarios']['browsing']).toEqual({ stages: [{ name: 'browsing', duration: '10m', vus: 20 }], thinkTime: '1s', requests: [{ name: 'get-items', path: '/items' }] });
    expect(data['scenarios']['login-wave']).toEqual({ startAfter: '2m', stages: [{ duration: '1m', from: 5, rate: 50 }], maxInFlight: 100, requests: [{ name: 'post-login', method: 'POST', path: '/login', body: 'x' }] });
    expect(conversion.leftOut.map((remark) => remark.construct)).toEqual([]);
    const { checkProfileText } = await import('../../src/config/check-source.js');
    const checked = await checkProfileText(text, '/tmp/mixed.yaml', 'mixed.yaml', { cwd: '/tmp', env: {}, defaultName: 'mixed' });
    expect(checked.issues).toEqual([]);
    expect(checked.profile.scenarios!.map((s) => [s.name, s.model, s.startAfterMs])).toEqual([
      ['browsing', 'closed', 0],
      ['login-wave', 'open', 120_000],
    ]);
  });

  it('without setup steps, setup() is listed and data.token becomes a placeholder', () => {
    const { data, leftOut, placeholders } = convert(
      header +
        [
          'export function setup() { const res = http.post("http://h/login", "x"); return { token: res.json("token") }; }',
          'export default function (data) { http.get("http://h/me", { headers: { Authorization: `Bearer ${data.token}` } }); }',
        ].join('\n'),
      false,
    );
    expect(leftOut).toEqual(['1: no options', '3: setup()']);
    expect(placeholders).toEqual(['TOKEN']);
    expect(data['requests']).toEqual([{ name: 'get-me', path: '/me', headers: { authorization: 'Bearer ${TOKEN}' } }]);
  });

  it('with setup steps: setup() requests are setup: steps, what it returns {{ setup.NAME }}, a nested value its own capture', () => {
    const conversion = importK6(
      header +
        [
          'export function setup() {',
          "  const res = http.post('http://h/login', JSON.stringify({ email: 'a@b.c', password: 'pw-123' }), { headers: { 'Content-Type': 'application/json' } });",
          "  return { token: res.json('token'), user: res.json('user'), region: 'eu' };",
          '}',
          'export default function (data) { http.get(`http://h/users/${data.user.id}?r=${data.region}`, { headers: { Authorization: `Bearer ${data.token}` } }); }',
        ].join('\n'),
      { file: 'test.js', setupSteps: true },
    );
    const data = parse(emitYaml(conversion.document)) as Record<string, any>;
    expect(data['setup']).toEqual([
      { name: 'post-login', method: 'POST', path: '/login', headers: { 'content-type': 'application/json' }, json: { email: 'a@b.c', password: '${PASSWORD:-pw-123}' }, capture: { token: '$.token', user: '$.user', user_id: '$.user.id' } },
    ]);
    expect(data['requests']).toEqual([{ name: 'get-users-user-id', path: '/users/{{ setup.user_id }}?r=eu', headers: { authorization: 'Bearer {{ setup.token }}' } }]);
    expect(conversion.placeholders).toEqual([]);
    expect(conversion.leftOut.map((remark) => remark.construct)).toEqual(['no options']);
  });

  it('a literal password in a JSON body is read from ${PASSWORD:-literal}: the same value is sent, every report shows ***', () => {
    const { data, notes } = convert(header + "export default function () { http.post('http://h/login', JSON.stringify({ email: 'a@b.c', password: 'password123', apiKey: 'k1' })); }");
    expect(data['requests'][0].json).toEqual({ email: 'a@b.c', password: '${PASSWORD:-password123}', apiKey: '${API_KEY:-k1}' });
    expect(notes).toEqual(['3: a literal password in the body', '3: a literal api_key in the body']);
  });

  it("k6's random helpers, __VU, __ITER and Date.now() become perfctl's template functions", () => {
    const { data, leftOut } = convert(
      "import http from 'k6/http';\nimport { uuidv4, randomIntBetween, randomString } from 'https://jslib.k6.io/k6-utils/1.4.0/index.js';\n" +
        "export default function () { http.post(`http://h/items/${randomIntBetween(1, 50)}?vu=${__VU}&i=${__ITER}`, JSON.stringify({ id: uuidv4(), name: randomString(8), at: Date.now() })); }",
    );
    expect(leftOut).toEqual(['1: no options']);
    expect(data['requests'][0]).toMatchObject({ path: '/items/{{ randomInt(1, 50) }}?vu={{ user }}&i={{ iteration }}', json: { id: '{{ uuid() }}', name: '{{ randomString(8) }}', at: '{{ timestamp() }}' } });
  });

  it('a syntax error is an input error at its line; a script without options or a default function is not k6', () => {
    expect(() => importK6('export default function ( {', { file: 't.js' })).toThrow(/JavaScript syntax error/);
    expect(() => importK6('const x = 1;', { file: 't.js' })).toThrow(ImportInputError);
  });
});
