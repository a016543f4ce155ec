// The pure parts of flows in the engine: captures from a response, data rows per iteration,
// flows compiled for a run; and how flow cells stay out of the totals.
import { describe, expect, it } from 'vitest';
import { applyCaptures, prepareCaptures } from '../../src/engine/capture.js';
import { DataRows, prepareFlows } from '../../src/engine/flow-runner.js';
import { parseTarget } from '../../src/engine/prepare-requests.js';
import { Recorder } from '../../src/metrics/recorder.js';
import { buildViews } from '../../src/result/cells.js';
import { scopeOf } from '../../src/judge/checks.js';
import type { CaptureSpec, DataSourceSpec, FlowSpec } from '../../src/config/types.js';

const response = (body: string, headers: Record<string, string[]> = {}) => ({ body, headers });
const slots = ['token', 'id', 'sid', 'csrf', 'whole'];
const capture = (specs: CaptureSpec[], body: string, headers: Record<string, string[]> = {}) => {
  const values: Array<string | undefined> = [];
  const ok = applyCaptures(prepareCaptures(specs, (name) => slots.indexOf(name)), response(body, headers), values);
  return { ok, values };
};

describe('captures', () => {
  it('JSON path: strings as they are, numbers as written, objects as JSON', () => {
    const body = JSON.stringify({ token: 'abc', items: [{ id: 42 }], user: { a: 1 } });
    expect(capture([{ name: 'token', from: 'json', expression: '$.token', path: ['token'] }, { name: 'id', from: 'json', expression: '$.items[0].id', path: ['items', 0, 'id'] }], body)).toEqual({
      ok: true,
      values: ['abc', '42'],
    });
    expect(capture([{ name: 'whole', from: 'json', expression: '$.user', path: ['user'] }], body).values[4]).toBe('{"a":1}');
  });

  it('header: set-cookie gives the name=value pairs of its cookies; another header its values', () => {
    const headers = { 'set-cookie': ['sid=s1; Path=/; HttpOnly', 'theme=dark'], 'x-id': ['7'] };
    expect(capture([{ name: 'sid', from: 'header', header: 'set-cookie' }, { name: 'id', from: 'header', header: 'x-id' }], '', headers).values).toEqual([undefined, '7', 'sid=s1; theme=dark']);
  });

  it('regex: the first group, or the whole match without one', () => {
    const html = '<input name="csrf" value="c-42">';
    expect(capture([{ name: 'csrf', from: 'regex', pattern: 'name="csrf" value="([^"]+)"' }], html).values[3]).toBe('c-42');
    expect(capture([{ name: 'whole', from: 'regex', pattern: 'c-\\d+' }], html).values[4]).toBe('c-42');
  });

  it.each([
    ['a missing key', [{ name: 'token', from: 'json', expression: '$.token', path: ['token'] }], '{"other":1}', {}],
    ['an empty string', [{ name: 'token', from: 'json', expression: '$.token', path: ['token'] }], '{"token":""}', {}],
    ['null', [{ name: 'token', from: 'json', expression: '$.token', path: ['token'] }], '{"token":null}', {}],
    ['a body that is not JSON', [{ name: 'token', from: 'json', expression: '$.token', path: ['token'] }], '<html>', {}],
    ['a missing header', [{ name: 'sid', from: 'header', header: 'set-cookie' }], '', {}],
    ['no regex match', [{ name: 'csrf', from: 'regex', pattern: 'csrf=(\\w+)' }], 'nothing', {}],
  ] as Array<[string, CaptureSpec[], string, Record<string, string[]>]>)('fails on %s', (_what, specs, body, headers) => {
    expect(capture(specs, body, headers).ok).toBe(false);
  });
});

describe('data rows', () => {
  const source: DataSourceSpec = { name: 'row', file: 'users.csv', order: 'sequence', columns: ['email'], rows: [['a'], ['b'], ['c'], ['d'], ['e']] };
  const take = (rows: DataRows, n: number): string[] => Array.from({ length: n }, () => rows.next()[0]!);

  it('sequence: one row per iteration, in order, cycling', () => {
    expect(take(new DataRows(source, { index: 0, count: 1 }), 7)).toEqual(['a', 'b', 'c', 'd', 'e', 'a', 'b']);
  });

  it('slices of the load (worker threads, shards) start at their index and step by their count: different rows, all used', () => {
    expect(take(new DataRows(source, { index: 0, count: 2 }), 5)).toEqual(['a', 'c', 'e', 'b', 'd']);
    expect(take(new DataRows(source, { index: 1, count: 2 }), 5)).toEqual(['b', 'd', 'a', 'c', 'e']);
  });

  it('random: rows of the file, drawn each time', () => {
    const drawn = take(new DataRows({ ...source, order: 'random' }, { index: 0, count: 1 }), 200);
    expect(new Set(drawn)).toEqual(new Set(['a', 'b', 'c', 'd', 'e']));
  });
});

describe('prepareFlows', () => {
  const text = (t: string) => ({ source: t, parts: [{ kind: 'text' as const, text: t }], encoding: 'none' as const });
  const flow: FlowSpec = {
    name: 'journey',
    weight: 2,
    steps: [
      { kind: 'request', name: 'home', method: 'get', path: { ...text('/home'), encoding: 'path' }, headers: { accept: text('text/html') }, expectStatus: null, captures: [] },
      { kind: 'think', thinkTime: { minMs: 10, maxMs: 20 } },
      {
        kind: 'request',
        name: 'login',
        method: 'POST',
        path: { ...text('/login'), encoding: 'path' },
        headers: {},
        body: { source: '{{ row.email }}', parts: [{ kind: 'data', source: 'row', column: 'email' }], encoding: 'json' },
        expectStatus: [200],
        captures: [{ name: 'token', from: 'json', expression: '$.token', path: ['token'] }],
      },
    ],
  };
  const data: DataSourceSpec[] = [{ name: 'row', file: 'u.csv', order: 'sequence', columns: ['id', 'email'], rows: [['1', 'a@x']] }];

  it('joins the base path once, makes a constant step a ready request, and gives captures slots', () => {
    const [prepared] = prepareFlows([flow], data, parseTarget('http://127.0.0.1:8080/v1'));
    expect(prepared).toMatchObject({ kind: 'flow', name: 'journey', weight: 2, slotCount: 1, sources: [0], firstStep: 'home' });
    const [home, think, login] = prepared!.steps;
    expect(home).toMatchObject({ kind: 'request', fixed: { name: 'home', method: 'GET', path: '/v1/home', headers: { accept: 'text/html' }, body: undefined } });
    expect(home && 'fixed' in home && home.fixed?.collect).toBeUndefined(); // no capture: the no-body fast path
    expect(think).toEqual({ kind: 'think', minMs: 10, maxMs: 20 });
    expect(login).toMatchObject({ kind: 'request', fixed: undefined, body: { parts: [{ source: 0, column: 1 }], encoding: 'json' }, captures: [{ slot: 0, from: 'json' }] });
  });
});

describe('flow cells', () => {
  it('a flow outcome is its own group: not in the totals, phases, timeline or request counters', () => {
    const recorder = new Recorder(1);
    const step = { phaseIndex: 0, serviceUs: null, status: 200 } as const;
    recorder.record({ ...step, group: 'login', latencyUs: 10_000, errorKind: null });
    recorder.record({ ...step, group: 'profile', latencyUs: 5_000, errorKind: null });
    recorder.record({ group: 'journey', phaseIndex: 0, latencyUs: 1_015_000, serviceUs: null, status: null, errorKind: null, flow: true });
    recorder.record({ ...step, group: 'login', latencyUs: 12_000, errorKind: 'capture' });
    recorder.record({ group: 'journey', phaseIndex: 0, latencyUs: 12_000, serviceUs: null, status: null, errorKind: 'capture', flow: true });
    expect(recorder.requests).toBe(3);
    expect(recorder.errors).toBe(1);
    expect(recorder.closeSecond({ t: 1, level: 1 })).toMatchObject({ requests: 3, errors: 1 });

    const cells = recorder.cells();
    const views = buildViews(cells, [{ name: 'hold', startMs: 0, endMs: 1000 }], 1000, false);
    expect(views.totals).toMatchObject({ requests: 3, errors: 1, errorKinds: { capture: 1 } });
    expect(views.totals.latencyMs.max).toBeLessThan(20);
    expect(views.phases[0]).toMatchObject({ requests: 3, errors: 1 });
    expect(Object.keys(views.groups)).toEqual(['login', 'profile', 'journey']);
    expect(views.groups['journey']).toMatchObject({ requests: 2, errors: 1, errorKinds: { capture: 1 }, statusCodes: {} });
    expect(views.groups['journey']!.latencyMs.max).toBeGreaterThan(1000);

    // targets: "all" and globs are requests and steps; a flow only when a row names it
    const phases = [{ name: 'hold', startMs: 0, endMs: 1000 }];
    expect(scopeOf({ requests: null, phase: null }, cells, phases, 1000).sum.requests).toBe(3);
    expect(scopeOf({ requests: ['*'], phase: null }, cells, phases, 1000).sum.requests).toBe(3);
    expect(scopeOf({ requests: ['journey'], phase: null }, cells, phases, 1000).sum.requests).toBe(2);
  });
});
