import { describe, expect, it } from 'vitest';
import { escapeMarkdown, renderMarkdown } from '../../src/report/markdown.js';
import type { Result } from '../../src/result/types.js';
import { makeResult, spread } from '../helpers/result-fixture.js';

function checked(profileName = 'spike'): Result {
  const r = makeResult({
    profileName,
    phases: [
      { name: 'baseline', startMs: 0, endMs: 5000 },
      { name: 'spike', startMs: 5000, endMs: 10_000 },
    ],
    cells: [
      { group: 'login', phase: 'baseline', latenciesMs: spread(500, 1, 40), statusErrors: 5 },
      { group: 'list', phase: 'spike', latenciesMs: spread(500, 5, 300) },
    ],
  });
  r.targets = [
    { row: 'User Authentication', metric: 'p95', limit: 200, actual: 234.1, unit: 'ms', pass: false },
    { row: 'Whole API', metric: 'errorRate', limit: 0.01, actual: 0.005, unit: 'ratio', pass: true },
  ];
  r.verdict = 'fail';
  r.reason = '1 of 2 target checks failed';
  return r;
}

/** The rows of the Markdown table that follows a heading, split into trimmed cells. */
function table(md: string, heading: string): string[][] {
  const start = md.indexOf(heading);
  expect(start).toBeGreaterThanOrEqual(0);
  const lines = md.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(2, -2).split(/(?<!\\) \| /).map((c) => c.trim()));
  }
  const width = rows[0]!.length;
  for (const row of rows) expect(row).toHaveLength(width); // every row has as many cells as the header
  return rows;
}

describe('renderMarkdown, one result', () => {
  it('starts with the verdict, an emoji and the reason', () => {
    const md = renderMarkdown([checked()]);
    expect(md.split('\n')[0]).toBe('## ❌ FAIL spike');
    expect(md).toContain('> **Why:** 1 of 2 target checks failed');
  });

  it('has a table of checks with row, metric, limit, actual and result', () => {
    const rows = table(renderMarkdown([checked()]), '### Target checks');
    expect(rows[0]).toEqual(['Target', 'Metric', 'Limit', 'Actual', 'Samples', '95% bound', 'Result']);
    expect(rows[2]!.slice(0, 4)).toEqual(['User Authentication', 'p95', '&lt; 200 ms', '234.1 ms']);
    expect(rows[2]![6]).toBe('❌ fail: p95 234.1 ms &gt; 200 ms');
    expect(rows[3]!.slice(0, 4)).toEqual(['Whole API', 'errorRate', '&lt; 1%', '0.50%']);
    expect(rows[3]![6]).toBe('✅ pass');
  });

  it('has per-request and per-phase tables', () => {
    const r = checked();
    const md = renderMarkdown([r]);
    const requests = table(md, '### Requests');
    expect(requests.map((row) => row[0])).toEqual(['Request', '---', 'login', 'list', '**Total**']);
    expect(requests[4]![1]).toBe(`**${r.totals.requests}**`);
    const phases = table(md, '### Phases');
    expect(phases.slice(2).map((row) => [row[0], row[1], row[2]])).toEqual([
      ['baseline', '00:00–00:05', '500'],
      ['spike', '00:05–00:10', '500'],
    ]);
  });

  it('has a comparison table when there is a baseline', () => {
    const r = checked();
    expect(renderMarkdown([r])).not.toContain('Comparison');
    r.comparison = {
      baselineFile: 'base/result.json',
      baselineStartedAt: r.startedAt,
      tolerance: { latency: 0.1, throughput: 0.1, errorRate: 0.01 },
      entries: [
        { scope: 'total', metric: 'p95', baseline: 200, current: 250, change: 0.25, regression: true },
        { scope: 'login', metric: 'rps', baseline: 50, current: 49, change: -0.02, regression: false },
        { scope: 'total', metric: 'errorRate', baseline: 0.001, current: 0.006, change: 0.005, regression: false },
      ],
      regressions: 1,
    };
    const md = renderMarkdown([r]);
    expect(md).toContain('**1 regression**');
    const rows = table(md, '### Comparison with the baseline');
    expect(rows[0]!.slice(0, 6)).toEqual(['Scope', 'Metric', 'Baseline', 'Current', 'Change', 'Result']);
    // regressions first, open; then the rest by scope, collapsed
    expect(rows).toHaveLength(3);
    expect(rows[2]!.slice(0, 6)).toEqual(['total', 'p95', '200.0 ms', '250.0 ms', '+25.0%', '**✗ regression**']);
    const rest = table(md, '<summary>The other 2 entries</summary>');
    expect(rest[2]!.slice(0, 6)).toEqual(['total', 'errorRate', '0.10%', '0.60%', '+0.50 pp', 'ok']);
    expect(rest[3]!.slice(0, 6)).toEqual(['login', 'rps', '50.0/s', '49.0/s', '-2.0%', 'ok']);
    // below the checks
    expect(md.indexOf('### Target checks')).toBeLessThan(md.indexOf('### Comparison with the baseline'));
  });

  it('says "not judged" for an entry the data could not judge, never "ok"', () => {
    const r = checked();
    r.comparison = {
      baselineFile: 'base/result.json',
      baselineStartedAt: r.startedAt,
      tolerance: { latency: 0.1, throughput: 0.1, errorRate: 0.01 },
      entries: [
        { scope: 'spike › login', phase: 'spike', group: 'login', metric: 'p99', baseline: 20, current: 37, change: 0.83, regression: false, state: 'not-judged', note: 'not judged: too few samples for a 99% interval of p99 (120 and 118; it needs 657)' },
        { scope: 'total', metric: 'p95', baseline: 200, current: 300, change: 0.5, regression: false, state: 'noise', note: '+50.0% but intervals overlap: within noise' },
      ],
      regressions: 0,
    };
    const rows = table(renderMarkdown([r]), '### Comparison with the baseline');
    expect(rows[2]!.slice(4, 6)).toEqual(['+83.0%', 'not judged']);
    expect(rows[3]!.slice(4, 6)).toEqual(['+50.0%', 'within noise']);
  });

  it('escapes | and markup in names', () => {
    const r = makeResult({ profileName: 'a|b', cells: [{ group: 'GET /x|y <script>&', phase: 'main', latenciesMs: [1, 2] }] });
    r.targets = [{ row: 'R|ow *bold* <b>', metric: 'p95', limit: 10, actual: 2, unit: 'ms', pass: true }];
    const md = renderMarkdown([r]);
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<b>');
    expect(md).toContain('GET /x\\|y &lt;script&gt;&amp;');
    expect(md).toContain('R\\|ow \\*bold\\* &lt;b&gt;');
    expect(md.split('\n')[0]).toBe('## ✅ PASS a\\|b');
    expect(table(md, '### Target checks')[2]![0]).toBe('R\\|ow \\*bold\\* &lt;b&gt;');
  });

  it('escapeMarkdown', () => {
    expect(escapeMarkdown('a|b')).toBe('a\\|b');
    expect(escapeMarkdown('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeMarkdown('[link](http://x) `code` _i_ ~s~ #h $x$ \\')).toBe('\\[link\\](http://x) \\`code\\` \\_i\\_ \\~s\\~ \\#h \\$x\\$ \\\\');
    expect(escapeMarkdown('two\nlines')).toBe('two lines');
  });
});

describe('renderMarkdown, several results', () => {
  it('an overall verdict and a summary table first, then a section per result', () => {
    const a = checked('spike');
    const b = makeResult({ profileName: 'normal', cells: [{ group: 'a', phase: 'main', latenciesMs: spread(100, 1, 10) }] });
    const c = makeResult({ profileName: 'stress', cells: [{ group: 'a', phase: 'main', latenciesMs: spread(100, 1, 10) }] });
    c.verdict = 'inconclusive';
    const md = renderMarkdown([b, a, c]);
    expect(md.split('\n')[0]).toBe('# ❌ FAIL perfctl sign-off');
    expect(md).toContain('3 runs: 1 passed, 1 failed, 1 inconclusive.');
    const summary = table(md, '# ❌ FAIL perfctl sign-off');
    expect(summary[0]).toEqual(['Run', 'Verdict', 'Meta', 'Base URL', 'Commit', 'Started', 'Requests', 'p95 ms', 'p99 ms', 'Error rate']);
    expect(summary.slice(2).map((r) => [r[0], r[1]])).toEqual([
      ['normal', '✅ PASS'],
      ['spike', '❌ FAIL'],
      ['stress', '⚠️ INCONCLUSIVE'],
    ]);
    const sections = md.split('\n').filter((l) => /^## /.test(l));
    expect(sections).toEqual(['## ✅ PASS normal', '## ❌ FAIL spike', '## ⚠️ INCONCLUSIVE stress']);
    expect(md.indexOf('| Run |')).toBeLessThan(md.indexOf('## ✅ PASS normal'));
  });

  it('tells two runs of one profile apart by label and meta, escaped', () => {
    const a = checked('spike');
    const b = checked('spike');
    a.run = { options: {}, label: 'rc-1', meta: { build: '101' } };
    b.run = { options: {}, label: 'rc_2 <b>', meta: { build: '102' } };
    const md = renderMarkdown([a, b]);
    const summary = table(md, '# ❌ FAIL perfctl sign-off');
    expect(summary.slice(2).map((r) => [r[0], r[2]])).toEqual([
      ['spike · rc-1', 'build=101'],
      ['spike · rc\\_2 &lt;b&gt;', 'build=102'],
    ]);
    expect(md).toContain('## ❌ FAIL spike · rc-1');
    expect(md).toContain('label **rc\\_2 &lt;b&gt;** · build: 102 · profile spike');
    expect(md).not.toContain('<b>');
  });

  it('all pass → overall pass', () => {
    const b = makeResult({ profileName: 'normal', cells: [] });
    expect(renderMarkdown([b, b]).split('\n')[0]).toBe('# ✅ PASS perfctl sign-off');
  });
});
