// The pieces of `perfctl import` for Markdown plans and the YAML it writes, in tables.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { block, commented, emitYaml, scalar } from '../../src/import/emit-yaml.js';
import { formatDuration, formatLatency, readLimit } from '../../src/import/limit-values.js';
import type { LimitKind } from '../../src/import/limit-values.js';
import { findTables } from '../../src/import/markdown-tables.js';
import { matchRequests } from '../../src/import/match-requests.js';
import { importMarkdown, metricOf } from '../../src/import/from-markdown.js';
import { detectKind } from '../../src/import/detect-kind.js';
import { ImportInputError } from '../../src/import/types.js';

describe('readLimit: limits as plans write them', () => {
  const cases: [string, LimitKind, number | null, boolean?][] = [
    ['< 100ms', 'latency', 100],
    ['100ms', 'latency', 100],
    ['1.2s', 'latency', 1200],
    ['2000', 'latency', 2000],
    ['**<50ms**', 'latency', 50],
    ['500-1000ms', 'latency', 1000, true],
    ['2-4s', 'latency', 4000, true],
    ['> 1000ms', 'latency', 1000],
    ['???', 'latency', null],
    ['5MB/s', 'latency', null],
    ['<0.1%', 'rate', 0.001],
    ['< 1%', 'rate', 0.01],
    ['0.05', 'rate', 0.05],
    ['1,000', 'throughput', 1000],
    ['1000+', 'throughput', 1000],
    ['> 100', 'throughput', 100],
    ['50MB/s', 'throughput', null],
  ];
  it.each(cases)('%s as a %s is %s', (cell, kind, value, range = false) => {
    const read = readLimit(cell, kind);
    if (value === null) expect(read).toBeNull();
    else expect(read).toMatchObject({ value, range });
  });
});

describe('metricOf: what a column measures', () => {
  const cases: [string, string | null][] = [
    ['Target (p50)', 'p50'],
    ['P95', 'p95'],
    ['p99.9', 'p99.9'],
    ['95th percentile', 'p95'],
    ['Avg', 'mean'],
    ['Response Time (avg)', 'mean'],
    ['Max Acceptable', 'max'],
    ['Error Rate', 'errorRate'],
    ['Target RPS', 'rps'],
    ['Requests/sec', 'rps'],
    ['Requests per Second', 'rps'],
    ['CPU usage (avg)', null],
    ['DB connections (avg)', null],
    ['Concurrent Users', null],
    ['Operation', null],
  ];
  it.each(cases)('%s -> %s', (header, metric) => {
    expect(metricOf(header)?.metric ?? null).toBe(metric);
  });
});

describe('formatting durations', () => {
  it.each([
    [150, '150ms'], [2000, '2000ms'], [12_000, '12s'], [120_000, '2m'],
  ])('latency %d ms -> %s', (ms, text) => expect(formatLatency(ms)).toBe(text));
  it.each([
    [0, '0s'], [250, '250ms'], [1500, '1.5s'], [90_000, '90s'], [120_000, '2m'], [86_400_000, '24h'], [61_250, '61s250ms'],
  ])('duration %d ms -> %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('findTables', () => {
  it('reads a pipe table with the line of every row', () => {
    const text = '# Plan\n\n## Targets\n\n| Operation | p95 |\n|---|---:|\n| Login | < 200ms |\n| Feed \\| list | 300ms |\n\nafter\n';
    const [table] = findTables(text);
    expect(table).toMatchObject({ index: 1, line: 5, title: 'Targets', header: ['Operation', 'p95'] });
    expect(table?.rows).toEqual([
      { line: 7, cells: ['Login', '< 200ms'] },
      { line: 8, cells: ['Feed | list', '300ms'] },
    ]);
  });
  it('reads a box-drawing table inside a code block, with its title', () => {
    const text = ['```', '┌────────────┐', '│  Endpoint Benchmarks   │', '├────────────┤', '│                        │', '│  Endpoint  │ P50  │ P95  │', '│  ────────────────────  │', '│  GET  /health │ 5ms  │ 15ms │', '│  POST /login  │ 150ms│ 250ms│', '│                        │', '└────────────┘', '```'].join('\n');
    const tables = findTables(text);
    expect(tables).toHaveLength(1);
    expect(tables[0]).toMatchObject({ line: 6, title: 'Endpoint Benchmarks', header: ['Endpoint', 'P50', 'P95'] });
    expect(tables[0]?.rows.map((row) => [row.line, row.cells[0]])).toEqual([[8, 'GET  /health'], [9, 'POST /login']]);
  });
  it('ignores a `#` comment in a code block as a heading', () => {
    const text = '## Real\n```sh\n# not a heading\n```\n| Operation | p95 |\n|---|---|\n| a | 1ms |\n';
    expect(findTables(text)[0]?.title).toBe('Real');
  });
});

describe('matchRequests: which requests an operation means', () => {
  const requests = [
    { name: 'login', method: 'POST', path: '/api/auth/login' },
    { name: 'list-challenges', method: 'GET', path: '/api/challenges?limit=5' },
    { name: 'get-challenge', method: 'GET', path: '/api/challenges/{{ id }}' },
    { name: 'submit', method: 'POST', path: '/api/submissions' },
  ];
  it.each([
    ['POST /api/auth/login', ['login'], 'path'],
    ['GET /api/challenges/:id', ['get-challenge'], 'path'],
    ['/api/challenges', ['list-challenges'], 'path'],
    ['Login', ['login'], 'name'],
    ['User Authentication', ['login'], 'words'],
    ['Challenge Loading', ['list-challenges', 'get-challenge'], 'words'],
    ['Code Submission', ['submit'], 'words'],
    ['Database Queries', [], 'none'],
  ])('%s -> %j', (operation, names, by) => {
    expect(matchRequests(operation, requests)).toEqual({ names, by });
  });
});

describe('emitYaml', () => {
  it('writes what YAML reads back, with comments, short maps on one line and block maps', () => {
    const document = {
      name: 'x',
      baseUrl: '${PERFCTL_BASE_URL:-http://127.0.0.1:8080}',
      stages: [commented({ duration: '2m', from: 1, vus: 100 }, 'a.js:5'), { duration: '0s', vus: 0 }],
      flows: [
        block({
          name: 'journey',
          steps: [
            block({ name: 'login', method: 'POST', path: '/api/auth/login', json: { email: 'a@b.c', password: '${PASSWORD}' }, capture: { token: '$.token' } }),
            { think: '1s' },
            { name: 'get', path: '/api/x/{{ token }}', headers: { authorization: 'Bearer {{ token }}' } },
          ],
        }),
      ],
      tricky: ['yes', '2000', '- dash', 'a: b', 'x #y', '', 'multi\nline', '{{ a }}', 'ok, comma', 'trailing:', 1.5, true, null],
      empty: [],
    };
    const text = emitYaml(document, ['Imported by perfctl', 'second line']);
    expect(text.startsWith('# Imported by perfctl\n# second line\n')).toBe(true);
    expect(text).toContain('  - { duration: 2m, from: 1, vus: 100 }  # a.js:5\n');
    expect(text).toContain('  - name: journey\n    steps:\n      - name: login\n        method: POST\n');
    expect(parse(text)).toEqual({
      ...document,
      stages: [{ duration: '2m', from: 1, vus: 100 }, { duration: '0s', vus: 0 }],
      flows: [{ name: 'journey', steps: [{ name: 'login', method: 'POST', path: '/api/auth/login', json: { email: 'a@b.c', password: '${PASSWORD}' }, capture: { token: '$.token' } }, { think: '1s' }, { name: 'get', path: '/api/x/{{ token }}', headers: { authorization: 'Bearer {{ token }}' } }] }],
    });
  });
  it.each([
    ['plain', 'plain'], ['2000', '"2000"'], ['true', '"true"'], ['null', '"null"'], ['{{ x }}', '"{{ x }}"'], ['a: b', '"a: b"'], ['/api/x', '/api/x'],
  ])('scalar %j -> %s', (value, text) => expect(scalar(value)).toBe(text));
});

describe('importMarkdown and detectKind', () => {
  it('a document without a table is an input error', () => {
    expect(() => importMarkdown('# Plan\n\nNo tables here.\n', { file: 'plan.md' })).toThrow(ImportInputError);
  });
  it('a table of targets with a bare-number column reads it as milliseconds', () => {
    const conversion = importMarkdown('| Operation | p95 | p99 |\n|---|---|---|\n| Login | 200 | 1.2s |\n', { file: 'plan.md' });
    expect(conversion.document).toEqual({ targets: [expect.objectContaining({ value: { name: 'Login', p95: '200ms', p99: '1200ms' } })] });
    expect(conversion.leftOut).toEqual([]);
  });
  it.each([
    ['plan.md', '# Plan\n| a | p95 |\n|---|---|\n| x | 1ms |\n', 'markdown'],
    ['plan.txt', '# Plan\n```js\nimport http from "k6/http";\n```\n| a | p95 |\n|---|---|\n| x | 1ms |\n', 'markdown'],
    ['test.js', "import http from 'k6/http';\nexport default function () {}\n", 'k6'],
    ['test.yml', 'config:\n  target: http://x\n  phases:\n    - duration: 60\n      arrivalRate: 5\nscenarios:\n  - flow: []\n', 'artillery'],
    ['rec.har', '{"log":{"version":"1.2","entries":[]}}', 'har'],
    ['what.txt', 'hello', null],
  ])('%s is %s', (file, text, kind) => expect(detectKind(text, file)).toBe(kind));
});
