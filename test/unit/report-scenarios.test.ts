// A run with scenarios in the reports: a per-scenario table in the terminal summary and the
// HTML report (model, start, peak level, totals), names escaped; phases in their scenario's unit.
import { describe, expect, it } from 'vitest';
import { renderSummary } from '../../src/report/terminal.js';
import { renderHtml } from '../../src/report/html/render-html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { decodeCells } from '../../src/result/cells.js';
import { buildScenarioViews } from '../../src/result/scenario-views.js';
import { mergeShardResults } from '../../src/result/merge-results.js';
import { makeResult, spread } from '../helpers/result-fixture.js';

function scenarioResult() {
  const result = makeResult({
    profileName: 'mixed',
    model: 'closed',
    durationMs: 10_000,
    phases: [
      { name: 'browsing/hold', startMs: 0, endMs: 10_000 },
      { name: '<wave>/wave', startMs: 4000, endMs: 8000 },
    ],
    cells: [
      { group: 'list', phase: 'browsing/hold', latenciesMs: spread(1000, 5, 50) },
      { group: 'login', phase: '<wave>/wave', latenciesMs: spread(2000, 2, 20), statusErrors: 20 },
    ],
  });
  result.profile.stages = [
    { name: 'browsing/hold', durationMs: 10_000, fromLevel: 100, toLevel: 100 },
    { name: '<wave>/wave', durationMs: 4000, fromLevel: 500, toLevel: 500 },
  ];
  result.scenarios = buildScenarioViews(decodeCells(result), result.phases, [
    { name: 'browsing', model: 'closed', startAfterMs: 0, stages: [{ name: 'hold', durationMs: 10_000, fromLevel: 100, toLevel: 100 }] },
    { name: '<wave>', model: 'open', startAfterMs: 4000, stages: [{ name: 'wave', durationMs: 4000, fromLevel: 500, toLevel: 500 }] },
  ], 10_000, true);
  return result;
}

describe('scenarios in the reports', () => {
  it('the terminal summary has a row per scenario with its own numbers', () => {
    const text = renderSummary(scenarioResult(), { color: false, width: 120 });
    expect(text).toContain('mixed — 2 scenarios');
    const rows = text.split('\n').filter((line) => /│ (browsing|<wave>) /.test(line));
    expect(rows.map((line) => line.split('│').map((cell) => cell.trim()).slice(1, 7))).toEqual([
      ['browsing', '100 users', '00:00', '1000', '100.0', '0'],
      ['<wave>', '500/s', '00:04', '2000', '500.0', '20 (1.00%)'],
    ]);
    // on 80 columns it wraps by column to fit
    const narrow = renderSummary(scenarioResult(), { color: false });
    expect(Math.max(...narrow.split('\n').filter((line) => line.startsWith('│') || line.startsWith('┌')).map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it('the HTML report has a scenarios table, escaped, and each phase planned in its scenario\'s unit', () => {
    const html = renderHtml([scenarioResult()]);
    const table = html.slice(html.indexOf('<table class="stats scenarios">'), html.indexOf('</table>', html.indexOf('<table class="stats scenarios">')));
    expect(table).toContain('&lt;wave&gt;');
    expect(table).not.toContain('<wave>');
    expect(table).toContain('open, peak 500 req/s');
    expect(table).toContain('closed, peak 100 users');
    const stages = html.slice(html.indexOf('<table class="stats phases">'));
    expect(stages).toContain('500 req/s');
    expect(stages).toContain('100 users');
  });

  it('the Markdown summary has a scenarios table, escaped', () => {
    const md = renderMarkdown([scenarioResult()]);
    const lines = md.split('\n');
    const start = lines.findIndex((line) => /^#+ Scenarios$/.test(line));
    expect(start).toBeGreaterThan(0);
    const rows = lines.slice(start + 4, start + 6);
    expect(rows[0]).toMatch(/^\| browsing \| closed, peak 100 users \| 00:00 \| 1000 \|/);
    expect(rows[1]).toMatch(/^\| &lt;wave&gt; \| open, peak 500 req\/s \| 00:04 \| 2000 \|/);
  });

  it('merge builds each scenario\'s block again from the shards\' cells, exactly', () => {
    const [a, b] = [scenarioResult(), scenarioResult()];
    a.shard = { index: 1, count: 2 };
    b.shard = { index: 2, count: 2 };
    const { merged } = mergeShardResults([a, b], ['a.json', 'b.json']);
    expect(Object.fromEntries(Object.entries(merged.scenarios!).map(([name, s]) => [name, [s.requests, s.errors, s.phases.map((p) => p.requests)]]))).toEqual({
      browsing: [2000, 0, [2000]],
      '<wave>': [4000, 40, [4000]],
    });
    expect(merged.scenarios!['<wave>']!.rps).toBe(1000);
  });

  it('a check of one scenario says so in every report: its scenario, or its scenario\'s stage', async () => {
    const { renderJunit } = await import('../../src/report/junit.js');
    const result = scenarioResult();
    result.targets = [
      { row: 'Logins', metric: 'p95', limit: 200, actual: 20, unit: 'ms', pass: true, state: 'pass', severity: 'fail', samples: 2000, scenario: '<wave>', phase: null },
      { row: 'Peak', metric: 'p99', limit: 500, actual: 20, unit: 'ms', pass: true, state: 'pass', severity: 'fail', samples: 2000, scenario: '<wave>', phase: 'wave' },
    ];
    result.verdict = 'pass';
    expect(renderSummary(result, { color: false, width: 160 })).toMatch(/Logins \(<wave>\)[\s\S]*Peak \(<wave>\/wave\)/);
    expect(renderMarkdown([result])).toMatch(/Logins \(scenario &lt;wave&gt;\)[\s\S]*Peak \(phase &lt;wave&gt;\/wave\)/);
    expect(renderJunit([result])).toMatch(/Logins[^"]*\(scenario &lt;wave&gt;\)[\s\S]*Peak[^"]*\(phase &lt;wave&gt;\/wave\)/);
    expect(renderHtml([result])).toContain('<td class="name stage">&lt;wave&gt;/wave</td>');
  });
});
