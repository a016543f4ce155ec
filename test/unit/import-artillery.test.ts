// Artillery's values and phases in perfctl's terms, in tables.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { artilleryDuration, randomItemCall, rewriteTemplates } from '../../src/import/artillery-values.js';
import { emitYaml } from '../../src/import/emit-yaml.js';
import { importArtillery } from '../../src/import/from-artillery.js';
import { ImportInputError } from '../../src/import/types.js';

describe('artilleryDuration', () => {
  it.each([
    [60, '1m'], [90, '90s'], [0.5, '500ms'], ['5m', '5m'], ['2 minutes', '2m'], ['1h', '1h'], ['30', '30s'], ['soon', null], [-1, null],
  ])('%j -> %s', (value, text) => expect(artilleryDuration(value)).toBe(text));
});

describe('rewriteTemplates', () => {
  it.each([
    ['/api/{{ id }}', {}, '/api/{{ id }}', [], []],
    ['{{ $processEnvironment.API_KEY }}', {}, '${API_KEY}', ['API_KEY'], []],
    ['{{ $env.USER_PASSWORD }}', {}, '${USER_PASSWORD}', ['USER_PASSWORD'], []],
    ['lang={{ language }}', { language: 'python' }, 'lang=python', [], []],
    ['id={{ $uuid }}', {}, 'id={{ uuid() }}', [], []],
    ['{{ $uuid() }}', {}, '{{ uuid() }}', [], []],
    ['{{ $randomString() }}', {}, '{{ randomString(10) }}', [], []],
    ['{{ $randomString(5) }}', {}, '{{ randomString(5) }}', [], []],
    ['n={{ $randomNumber(1, 10) }}', {}, 'n={{ randomInt(1, 10) }}', [], []],
    ['{{ $timestamp() }}', {}, '{{ timestamp() }}', [], []],
    ['{{ $randomNumber() }}', {}, 'randomNumber', [], ['{{ $randomNumber() }}']],
    ['{{ $loopElement }}', {}, 'loopElement', [], ['{{ $loopElement }}']],
  ])('%s', (text, constants, out, env, unsupported) => {
    expect(rewriteTemplates(text, constants)).toEqual({ text: out, env, unsupported });
  });
});

describe('randomItemCall', () => {
  it.each([
    [['easy', 'medium', 'hard'], 'randomItem(easy, medium, hard)'],
    [['a b', "it's", 3], "randomItem('a b', 'its', 3)"],
  ])('%j -> %s', (values, call) => expect(randomItemCall(values)).toBe(call));
});

async function convert(yamlText: string): Promise<{ data: Record<string, unknown>; leftOut: string[]; notes: string[] }> {
  const conversion = await importArtillery(yamlText, { file: 'test.yml' });
  return {
    data: parse(emitYaml(conversion.document)) as Record<string, unknown>,
    leftOut: conversion.leftOut.map((remark) => `${remark.line}: ${remark.construct}`),
    notes: conversion.notes.map((remark) => `${remark.line}: ${remark.construct}`),
  };
}

describe('importArtillery', () => {
  it('phases keep their meaning: constant, ramp, arrivalCount evenly, pause; maxVusers caps the in-flight', async () => {
    const { data } = await convert(
      [
        'config:',
        '  target: http://api.local',
        '  phases:',
        '    - { duration: 60, arrivalRate: 5, name: warm }',
        '    - { duration: 60, arrivalRate: 5, rampTo: 50 }',
        '    - { duration: 30, arrivalCount: 90, maxVusers: 200 }',
        '    - { pause: 5 }',
        'scenarios:',
        '  - flow: [ { get: { url: /health } } ]',
      ].join('\n'),
    );
    expect(data['stages']).toEqual([
      { name: 'warm', duration: '1m', from: 5, rate: 5 },
      { duration: '1m', from: 5, rate: 50 },
      { duration: '30s', from: 3, rate: 3 },
      { duration: '5s', from: 0, rate: 0 },
    ]);
    expect(data['maxInFlight']).toBe(200);
    expect(data['baseUrl']).toBe('${PERFCTL_BASE_URL:-http://api.local}');
  });

  it('a request: qs, form, capture by header and regexp, expect statusCode; infinite loops and JavaScript are listed', async () => {
    const { data, leftOut } = await convert(
      [
        'config: { target: "http://x", phases: [ { duration: 1, arrivalRate: 1 } ] }',
        'scenarios:',
        '  - name: Sign in',
        '    beforeScenario: setUp',
        '    flow:',
        '      - post:',
        '          url: /login',
        '          form: { user: "{{ name }}", pass: "a b" }',
        '          capture: [ { header: Location, as: next }, { regexp: "id=(\\\\d+)", as: id } ]',
        '          expect: [ { statusCode: [200, 302] }, { contentType: json }, { hasProperty: data.id }, { hasHeader: x-trace }, { equals: [1, 1] } ]',
        '      - get: { url: /search, qs: { q: "a&b", page: 2 } }',
        '      - loop: [ { get: { url: /poll } } ]',
        '      - loop: [ { get: { url: "/item/{{ $randomNumber(1, 50) }}" } }, { think: 1 } ]',
        '        count: 3',
      ].join('\n'),
    );
    const flow = (data['flows'] as { name: string; weight: number; steps: unknown[] }[])[0]!;
    expect(flow.name).toBe('sign-in');
    expect(flow.steps).toEqual([
      {
        name: 'post-login',
        method: 'POST',
        path: '/login',
        body: 'user={{ name }}&pass=a%20b',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        expect: { status: [200, 302], headers: { 'content-type': 'json', 'x-trace': '.*' }, body: { json: { '$.data.id': { matches: '.' } } } },
        capture: { next: { header: 'location' }, id: { regex: 'id=(\\d+)' } },
      },
      { name: 'get-search', path: '/search?q=a%26b&page=2' },
      { repeat: 3, steps: [{ name: 'get-item', path: '/item/{{ randomInt(1, 50) }}' }, { think: '1s' }] },
    ]);
    expect(leftOut).toEqual(['4: Sign in: beforeScenario', '10: expect equals', '12: loop without a count']);
  });

  it('before: and after: flows are setup: and teardown: steps; a value captured before is {{ setup.NAME }} in the scenarios', async () => {
    const { data, leftOut } = await convert(
      [
        'config: { target: "http://x", phases: [ { duration: 1, arrivalRate: 1 } ] }',
        'before:',
        '  flow:',
        '    - post: { url: /login, json: { user: ops }, capture: { json: "$.token", as: token } }',
        'scenarios:',
        '  - flow: [ { get: { url: "/me/{{ token }}", headers: { authorization: "Bearer {{ token }}" } } } ]',
        'after:',
        '  flow: [ { delete: { url: "/sessions/{{ token }}" } } ]',
      ].join('\n'),
    );
    expect(leftOut).toEqual([]);
    expect(data['setup']).toEqual([{ name: 'post-login', method: 'POST', path: '/login', json: { user: 'ops' }, capture: { token: '$.token' } }]);
    expect((data['flows'] as any[])[0].steps).toEqual([{ name: 'get-me-token', path: '/me/{{ setup.token }}', headers: { authorization: 'Bearer {{ setup.token }}' } }]);
    expect(data['teardown']).toEqual([{ name: 'delete-sessions-token', method: 'DELETE', path: '/sessions/{{ setup.token }}' }]);
  });

  it('a file without config is no Artillery test', async () => {
    await expect(importArtillery('scenarios: []\n', { file: 't.yml' })).rejects.toThrow(ImportInputError);
  });
});
