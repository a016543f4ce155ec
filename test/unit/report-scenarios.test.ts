// A run with scenarios in the reports: a per-scenario table in the terminal summary and the
// HTML report (model, start, peak level, totals), names escaped; phases in their scenario's unit.
import { describe, expect, it } from 'vitest';
import { renderSummary } from '../../src/report/terminal.js';
import { renderHtml } from '../../src/report/html/render-html.js';
import { decodeCells } from '../../src/result/cells.js';
import { buildScenarioViews } from '../../src/result/scenario-views.js';
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
      ['browsing', '100 VUs', '00:00', '1000', '100.0', '0'],
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
});
