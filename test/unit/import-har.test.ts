// HAR recordings in perfctl's terms: which entries are static assets, think times from gaps, and
// secrets that never reach the output.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emitYaml } from '../../src/import/emit-yaml.js';
import { importHar, isStaticAsset, thinkFromGap } from '../../src/import/from-har.js';
import { ImportInputError } from '../../src/import/types.js';

const entry = (url: string, extra: Record<string, unknown> = {}, response: Record<string, unknown> = {}): any => ({
  startedDateTime: '2026-01-01T00:00:00.000Z',
  time: 10,
  request: { method: 'GET', url, headers: [] },
  response: { status: 200, headers: [], content: { mimeType: 'application/json' }, ...response },
  ...extra,
});

describe('isStaticAsset', () => {
  it.each([
    [entry('http://h/a.css'), true],
    [entry('http://h/x', { _resourceType: 'font' }), true],
    [entry('http://h/logo', {}, { content: { mimeType: 'image/png' } }), true],
    [entry('http://h/bundle.js?v=3'), true],
    [entry('http://h/api/items'), false],
    [entry('http://h/api/items', { _resourceType: 'xhr' }), false],
    [entry('http://h/', { _resourceType: 'document' }, { content: { mimeType: 'text/html' } }), false],
  ])('%#', (harEntry, asset) => expect(isStaticAsset(harEntry)).toBe(asset));
});

describe('thinkFromGap', () => {
  it.each([
    [120, null], [499, null], [500, '500ms'], [1260, '1.3s'], [2740, '2.7s'], [12_350, '12s'], [65_400, '65s'], [Number.NaN, null],
  ])('%d ms -> %s', (gap, think) => expect(thinkFromGap(gap)).toBe(think));
});

function convert(entries: unknown[], includeAssets = false): { text: string; data: any; placeholders: string[] } {
  const conversion = importHar(JSON.stringify({ log: { version: '1.2', entries } }, null, 2), { file: 'r.har', includeAssets });
  const text = emitYaml(conversion.document);
  return { text, data: parse(text), placeholders: conversion.placeholders.map((placeholder) => placeholder.name) };
}

describe('importHar', () => {
  it('no secret is written: Basic auth and unknown tokens become ${TOKEN}, cookies ${COOKIE}, form passwords ${PASSWORD}, api keys in the query a placeholder', () => {
    const { text, data, placeholders } = convert([
      entry('http://h/login', {
        request: { method: 'POST', url: 'http://h/login', headers: [{ name: 'Cookie', value: 'sid=abc123secret' }, { name: 'Content-Type', value: 'application/x-www-form-urlencoded' }], postData: { mimeType: 'application/x-www-form-urlencoded', text: 'user=ada&password=hunter2%21' } },
      }),
      entry('http://h/api/me?api_key=k-998877', { startedDateTime: '2026-01-01T00:00:02.010Z', request: { method: 'GET', url: 'http://h/api/me?api_key=k-998877', headers: [{ name: 'Authorization', value: 'Basic YWRhOmh1bnRlcjI=' }, { name: 'X-Api-Key', value: 'zz-key-1' }] } }),
    ]);
    for (const secret of ['abc123secret', 'hunter2', 'k-998877', 'YWRhOmh1bnRlcjI=', 'zz-key-1']) expect(text).not.toContain(secret);
    expect(placeholders.sort()).toEqual(['API_KEY', 'COOKIE', 'PASSWORD', 'TOKEN', 'X_API_KEY']);
    const steps = data.flows[0].steps;
    expect(steps[0]).toMatchObject({ name: 'post-login', method: 'POST', body: 'user=ada&password=${PASSWORD}', headers: { cookie: '${COOKIE}' } });
    expect(steps[1]).toEqual({ think: '2s' });
    expect(steps[2]).toMatchObject({ path: '/api/me?api_key=${API_KEY}', headers: { authorization: 'Basic ${TOKEN}', 'x-api-key': '${X_API_KEY}' } });
    expect(data.baseUrl).toBe('${PERFCTL_BASE_URL:-http://h}');
  });

  it('assets are left out unless asked for; a recording of assets only is an input error', () => {
    const entries = [entry('http://h/app.css'), entry('http://h/api/x')];
    expect(convert(entries).data.flows[0].steps.map((step: any) => step.path)).toEqual(['/api/x']);
    expect(convert(entries, true).data.flows[0].steps.map((step: any) => step.path)).toEqual(['/app.css', '/api/x']);
    expect(() => convert([entry('http://h/app.css')])).toThrow(ImportInputError);
  });
});
