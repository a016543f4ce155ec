// The stages (phases) table of a run of scenarios in the terminal summary and summary.md: each
// scenario's stages under its own heading, by their own names, planned in its own unit (users for a
// closed-model scenario, per second for an open one). A run without scenarios renders as before.
import { describe, expect, it } from 'vitest';
import { renderSummary } from '../../src/report/terminal.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { decodeCells } from '../../src/result/cells.js';
import { buildScenarioViews } from '../../src/result/scenario-views.js';
import type { Result } from '../../src/result/types.js';
import { makeResult, spread } from '../helpers/result-fixture.js';

/** 200 users browsing for 2 minutes while a login wave ramps 50 -> 500/s from 00:20, then holds. */
function twoScenarios(): Result {
  const result = makeResult({
    profileName: 'wave',
    model: 'closed',
    durationMs: 120_000,
    phases: [
      { name: 'browsing/steady', startMs: 0, endMs: 120_000 },
      { name: 'login-wave/ramp', startMs: 20_000, endMs: 80_000 },
      { name: 'login-wave/peak', startMs: 80_000, endMs: 120_000 },
    ],
    cells: [
      { group: 'list', phase: 'browsing/steady', latenciesMs: spread(1200, 5, 50) },
      { group: 'login', phase: 'login-wave/ramp', latenciesMs: spread(600, 2, 20) },
      { group: 'login', phase: 'login-wave/peak', latenciesMs: spread(800, 2, 40), statusErrors: 8 },
    ],
  });
  result.profile.stages = [
    { name: 'browsing/steady', durationMs: 120_000, fromLevel: 200, toLevel: 200 },
    { name: 'login-wave/ramp', durationMs: 60_000, fromLevel: 50, toLevel: 500 },
    { name: 'login-wave/peak', durationMs: 40_000, fromLevel: 500, toLevel: 500 },
  ];
  result.scenarios = buildScenarioViews(decodeCells(result), result.phases, [
    { name: 'browsing', model: 'closed', startAfterMs: 0, stages: [{ name: 'steady', durationMs: 120_000, fromLevel: 200, toLevel: 200 }] },
    {
      name: 'login-wave',
      model: 'open',
      startAfterMs: 20_000,
      stages: [
        { name: 'ramp', durationMs: 60_000, fromLevel: 50, toLevel: 500 },
        { name: 'peak', durationMs: 40_000, fromLevel: 500, toLevel: 500 },
      ],
    },
  ], 120_000, true);
  return result;
}

/** The terminal's Phases section: from its title to the blank line after its table. */
function terminalPhases(text: string): string {
  const from = text.indexOf('\nPhases\n') + 1;
  return text.slice(from, text.indexOf('\n\n', from));
}

/** summary.md's Phases section: from its heading to the next heading of its level or the footer. */
function markdownPhases(md: string): string {
  const from = md.indexOf('### Phases');
  const next = md.slice(from + 1).search(/\n(### |<sub>)/);
  return md.slice(from, from + 1 + next).trimEnd();
}

/** The table's lines that hold a cell, split into trimmed cells (a wrapped row is several lines). */
const cellLines = (table: string): string[][] =>
  table.split('\n').filter((l) => l.startsWith('│')).map((l) => l.split('│').slice(1, -1).map((cell) => cell.trim()));

describe('the stages table of a run of scenarios', () => {
  it.each([{ width: 120 }, { width: 80 }, { width: undefined }])('terminal (width $width): each scenario under its heading, stages unprefixed, planned in its unit', ({ width }) => {
    const text = renderSummary(twoScenarios(), { color: false, ...(width === undefined ? {} : { width }) });
    const table = terminalPhases(text);
    // headings are rows across the table, in the scenarios' order, each before its own stages
    const lines = cellLines(table);
    const spans = lines.filter((cells) => cells.length === 1).map((cells) => cells[0]);
    expect(spans).toEqual(['Scenario browsing', 'Scenario login-wave']);
    const at = (needle: string): number => lines.findIndex((cells) => cells[0] === needle);
    expect(at('Scenario browsing')).toBeLessThan(at('steady'));
    expect(at('steady')).toBeLessThan(at('Scenario login-wave'));
    expect(at('Scenario login-wave')).toBeLessThan(at('ramp'));
    expect(at('ramp')).toBeLessThan(at('peak'));
    expect(table).not.toMatch(/browsing\/|login-wave\//);
    // a wrapped cell's lines, joined: the planned column and the window
    const rowOf = (name: string): string[] => {
      const start = at(name);
      const end = lines.findIndex((cells, i) => i > start && cells[0] !== '');
      return lines[start]!.map((_, col) => lines.slice(start, end < 0 ? undefined : end).map((cells) => cells[col]).filter((c) => c !== '').join(' '));
    };
    expect(rowOf('steady').slice(1, 4)).toEqual([expect.stringMatching(/^00:00– ?02:00$/), '200 users', '1200']);
    expect(rowOf('ramp').slice(1, 4)).toEqual([expect.stringMatching(/^00:20– ?01:20$/), '50 → 500/s', '600']);
    expect(rowOf('peak').slice(1, 6)).toEqual([expect.stringMatching(/^01:20– ?02:00$/), '500/s', '800', expect.any(String), '8 (1.00%)']);
    // within the width: 80 columns unless the terminal is wider
    expect(Math.max(...table.split('\n').filter((l) => /^[┌│├└]/.test(l)).map((l) => l.length))).toBeLessThanOrEqual(Math.max(80, width ?? 80));
  });

  it('terminal: a window that has no room on one line breaks after its dash, never mid-time', () => {
    const narrow = terminalPhases(renderSummary(twoScenarios(), { color: false, width: 80 }));
    const windows = cellLines(narrow).map((cells) => cells[1]).filter((cell) => cell !== undefined && cell !== '' && cell !== 'window');
    expect(windows.every((w) => /^\d\d:\d\d(–)?$/.test(w!))).toBe(true);
    const wide = terminalPhases(renderSummary(twoScenarios(), { color: false, width: 120 }));
    expect(wide).toContain('│ 00:20–01:20 │');
  });

  it('summary.md: a heading per scenario, each over its own table of stages, planned in its unit', () => {
    const section = markdownPhases(renderMarkdown([twoScenarios()]));
    const headings = section.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual(['### Phases', '#### Scenario browsing', '#### Scenario login-wave']);
    const tables = section.split(/\n#### [^\n]*\n/).slice(1);
    const rows = (table: string): string[][] => table.trim().split('\n').slice(2).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
    expect(tables.map((t) => rows(t).map((r) => r.slice(0, 4)))).toEqual([
      [['steady', '00:00–02:00', '200 users', '1200']],
      [
        ['ramp', '00:20–01:20', '50 → 500 req/s', '600'],
        ['peak', '01:20–02:00', '500 req/s', '800'],
      ],
    ]);
    expect(section.split('\n').find((l) => l.startsWith('| Phase'))).toBe('| Phase | Window | Planned | Requests | RPS | Errors | Error rate | Mean ms | p95 ms | p99 ms |');
  });

  it('summary.md: a scenario’s name is escaped in its heading', () => {
    const result = twoScenarios();
    const [browsing] = Object.values(result.scenarios!);
    result.scenarios = { '<b>*x*': browsing!, 'login-wave': result.scenarios!['login-wave']! };
    result.phases[0]!.name = '<b>*x*/steady';
    expect(markdownPhases(renderMarkdown([result]))).toContain('#### Scenario &lt;b&gt;\\*x\\*\n');
  });
});

describe('a run without scenarios', () => {
  // spike as today: a long phase name wraps in its column on 80; no headings, no planned column
  const plainRun = (): Result =>
    makeResult({
      profileName: 'spike',
      model: 'open',
      phases: [
        { name: 'baseline', startMs: 0, endMs: 30_000 },
        { name: 'spike-to-the-peak-of-the-morning-rush', startMs: 30_000, endMs: 60_000 },
      ],
      cells: [
        { group: 'login', phase: 'baseline', latenciesMs: spread(1000, 1, 40), statusErrors: 5 },
        { group: 'list', phase: 'spike-to-the-peak-of-the-morning-rush', latenciesMs: spread(2000, 5, 300) },
      ],
    });

  it('renders its stages table exactly as before, in the terminal and in summary.md', () => {
    // both texts as the reports printed them before the scenario headings (main at b44a7bd)
    expect(terminalPhases(renderSummary(plainRun(), { color: false }))).toBe(`Phases
┌────────────┬─────────────┬──────────┬──────┬─────────┬───────┬───────┬───────┐
│ phase      │ window      │ requests │  rps │  errors │  mean │   p95 │   p99 │
│            │             │          │      │         │    ms │    ms │    ms │
├────────────┼─────────────┼──────────┼──────┼─────────┼───────┼───────┼───────┤
│ baseline   │ 00:00–00:30 │     1000 │ 33.3 │       5 │  20.5 │  38.1 │  39.6 │
│            │             │          │      │ (0.50%) │       │       │       │
├────────────┼─────────────┼──────────┼──────┼─────────┼───────┼───────┼───────┤
│ spike-to-  │ 00:30–01:00 │     2000 │ 66.7 │       0 │ 152.5 │ 285.4 │ 297.2 │
│ the-peak-  │             │          │      │         │       │       │       │
│ of-the-    │             │          │      │         │       │       │       │
│ morning-   │             │          │      │         │       │       │       │
│ rush       │             │          │      │         │       │       │       │
└────────────┴─────────────┴──────────┴──────┴─────────┴───────┴───────┴───────┘`);
    expect(markdownPhases(renderMarkdown([plainRun()]))).toBe(`### Phases

| Phase | Window | Requests | RPS | Errors | Error rate | Mean ms | p95 ms | p99 ms |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| baseline | 00:00–00:30 | 1000 | 33.3 | 5 | 0.50% | 20.5 | 38.1 | 39.6 |
| spike-to-the-peak-of-the-morning-rush | 00:30–01:00 | 2000 | 66.7 | 0 | 0.00% | 152.5 | 285.4 | 297.2 |`);
  });
});
