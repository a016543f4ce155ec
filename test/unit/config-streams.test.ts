// `ws:` and `sse:` requests at load: what they compile to, and one line:col per bad input.
import { describe, expect, it } from 'vitest';
import { loadProfile, validateFile } from '../../src/config/load-profile.js';

const cwd = 'test/fixtures/config';

describe('ws: and sse: requests', () => {
  it('compile: {{ seq }} in send and reply, hold and timeout in ms, the SSE until event', async () => {
    const profile = await loadProfile('streams/good.yaml', { cwd, env: {}, builtinDir: 'scenarios' });
    const [collab, tutor] = profile.requests;
    expect(collab!.stream).toMatchObject({
      kind: 'ws',
      holdMs: 30_000,
      headers: { 'x-room': { parts: [{ kind: 'text', text: 'one' }] } },
      messages: {
        rate: 5,
        timeoutMs: 5000,
        send: { parts: [{ kind: 'text', text: '{"id":"' }, { kind: 'seq' }, { kind: 'text', text: '","op":"edit"}' }], encoding: 'json' },
        reply: { kind: 'json', fields: [{ expression: '$.id', path: ['id'], value: { parts: [{ kind: 'seq' }] } }] },
      },
    });
    expect(tutor!.stream).toMatchObject({ kind: 'sse', until: { kind: 'event', name: 'done' } });
  });

  it('bad input: each problem at its line:col', async () => {
    const { issues } = await validateFile('streams/bad-ws.yaml', { cwd, env: {} });
    const lines = issues.map((issue) => `${issue.line}:${issue.col} ${issue.path}: ${issue.message}`);
    expect(lines).toEqual(
      [
        '8:48 requests.0.messages.send.text: has both `json` and `text`',
        '10:9 requests.1.ws: "http://127.0.0.1:8080/ws" must start with / or be a ws(s) URL',
        '13:13 requests.2.method: a `ws:` step has no `method`',
        '14:11 requests.2.hold: must be more than 0s',
        '17:15 requests.3.messages: `messages` belongs to a `ws:` or `sse:` step',
        '20:40 requests.4.messages.send.text: {{ token }}: a request in `requests` has no captured values or data rows',
        '20:85 requests.4.messages.reply.contains: has both `text` and `contains`',
        '23:15 requests.5.messages: `rate` is missing',
        '24:5 requests.6: `path` is missing',
        '28:11 requests.7.hold: an `sse:` step has no `hold`',
      ],
    );
    expect(issues.find((issue) => issue.path === 'requests.1.ws')?.hint).toBe('write "ws://127.0.0.1:8080/ws"');
  });
});

describe('http.version', () => {
  it('1.1, 2 and auto are read (2 and 1.1 also as YAML numbers); 3 is an error at its line:col', async () => {
    const { issues } = await validateFile('streams/bad-version.yaml', { cwd, env: {} });
    expect(issues.map((issue) => `${issue.line}:${issue.col} ${issue.path}: ${issue.message}`)).toEqual(['2:18 http.version: must be one of 1.1, 2, auto']);
    const good = await loadProfile('streams/good.yaml', { cwd, env: {}, builtinDir: 'scenarios' });
    expect(good.httpVersion).toBeUndefined();
  });

  it('per request and per step too, over the profile\'s; 3 is an error where it is written', async () => {
    const { issues } = await validateFile('streams/request-version.yaml', { cwd, env: {} });
    expect(issues.map((issue) => `${issue.line}:${issue.col} ${issue.path}: ${issue.message}`)).toEqual(['11:54 flows.0.steps.2.http.version: must be one of 1.1, 2, auto']);
    const text = (await import('node:fs')).readFileSync(`${cwd}/streams/request-version.yaml`, 'utf8').replace(/\n.*step-bad.*\n/, '\n');
    const dir = (await import('node:fs')).mkdtempSync(`${(await import('node:os')).tmpdir()}/perfctl-version-`);
    (await import('node:fs')).writeFileSync(`${dir}/p.yaml`, text);
    const profile = await loadProfile(`${dir}/p.yaml`, { cwd, env: {}, builtinDir: 'scenarios' });
    expect(profile.httpVersion).toBeUndefined();
    expect(profile.requests.map((r) => r.http?.version)).toEqual([undefined, '2']);
    expect(profile.flows[0]!.steps.map((step) => (step.kind === 'request' ? step.http?.version : null))).toEqual(['auto', '1.1']);
  });
});

describe('ws: and sse: steps in setup and teardown', () => {
  it('a ws: step there needs `hold` (no end of the run to hold it to): exit 2 where it is written', async () => {
    const { issues } = await validateFile('streams/setup-ws-nohold.yaml', { cwd, env: {} });
    expect(issues.map((issue) => `${issue.line}:${issue.col} ${issue.path}: ${issue.message}`)).toEqual([
      '4:9 setup.0.ws: a ws: step in setup needs `hold`: there is no end of the run to hold it to',
    ]);
  });
});

describe('ws: and sse: steps in flows', () => {
  it('resolve captured values and data columns like any step; an unknown name is reported where it is written', async () => {
    const { issues } = await validateFile('streams/flow-ws.yaml', { cwd, env: {} });
    expect(issues.map((issue) => `${issue.line}:${issue.col} ${issue.path}: ${issue.message.split(':')[0]}`)).toEqual([
      '21:35 flows.0.steps.2.until.json.$.who: {{ nobody }}',
    ]);
  });
});
