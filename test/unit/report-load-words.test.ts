// The words for what drove a run and for its levels, the same in every terminal output and in
// summary.md: a run of scenarios is `2 scenarios` in both headlines (never the `closed` its profile
// reports at the top), and a closed-model level is `200 users` (the README's and SPEC's word) in the
// live line, the Scenarios table, the planned column and the breaking-point steps.
import { describe, expect, it } from 'vitest';
import type { LoadModel } from '../../src/config/types.js';
import { describeLoad, formatLevel, type OpenLevelUnit } from '../../src/report/format.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderProgressLine, renderSummary } from '../../src/report/terminal.js';
import { decodeCells } from '../../src/result/cells.js';
import { buildScenarioViews } from '../../src/result/scenario-views.js';
import type { Result } from '../../src/result/types.js';
import { makeResult, spread } from '../helpers/result-fixture.js';

/** A run of one load shape of `model`, or of one scenario per entry of `scenarios` (each its own model, 100 users or 100/s). */
function run(model: LoadModel, scenarios: LoadModel[] = []): Result {
  const names = scenarios.map((_, i) => `s${i + 1}`);
  const phases = scenarios.length === 0 ? [{ name: 'hold', startMs: 0, endMs: 10_000 }] : names.map((name) => ({ name: `${name}/hold`, startMs: 0, endMs: 10_000 }));
  const result = makeResult({
    profileName: 'words',
    model,
    durationMs: 10_000,
    phases,
    cells: phases.map((p) => ({ group: 'api', phase: p.name, latenciesMs: spread(100, 5, 15) })),
  });
  result.profile.stages = phases.map((p) => ({ name: p.name, durationMs: 10_000, fromLevel: 100, toLevel: 100 }));
  if (scenarios.length > 0) {
    const specs = scenarios.map((m, i) => ({ name: names[i]!, model: m, startAfterMs: 0, stages: [{ name: 'hold', durationMs: 10_000, fromLevel: 100, toLevel: 100 }] }));
    result.scenarios = buildScenarioViews(decodeCells(result), result.phases, specs, 10_000, true);
  }
  return result;
}

describe('formatLevel: a level in its model\'s unit', () => {
  it.each<[LoadModel, number, number | undefined, OpenLevelUnit | undefined, string]>([
    ['closed', 200, undefined, undefined, '200 users'],
    ['closed', 200, 0, undefined, '0 → 200 users'],
    ['closed', 7.25, undefined, ' req/s', '7.3 users'],
    ['open', 500, undefined, undefined, '500/s'],
    ['open', 500, 50, undefined, '50 → 500/s'],
    ['open', 500, 500, undefined, '500/s'],
    ['open', 12.5, undefined, ' req/s', '12.5 req/s'],
    ['open', 500, 50, ' req/s', '50 → 500 req/s'],
  ])('%s %d from %s (open unit %s): %s', (model, to, from, openUnit, expected) => {
    expect(formatLevel(model, to, from, openUnit)).toBe(expected);
  });
});

describe('what drove the run: one wording for the terminal header and the summary.md headline', () => {
  it.each<[string, string, LoadModel, LoadModel[]]>([
    ['an open-model run', 'open model', 'open', []],
    ['a closed-model run', 'closed model', 'closed', []],
    ['one scenario', '1 scenario', 'closed', ['closed']],
    ['open and closed scenarios (the profile says closed at the top)', '2 scenarios', 'closed', ['closed', 'open']],
    ['three open scenarios', '3 scenarios', 'open', ['open', 'open', 'open']],
  ])('%s: %s', (_, expected, model, scenarios) => {
    const result = run(model, scenarios);
    expect(describeLoad(result)).toBe(expected);
    expect(renderSummary(result, { color: false }).split('\n')[0]).toBe(`words — ${expected}, 10 s against ${result.baseUrl}`);
    const headline = renderMarkdown([result]).split('\n').find((line) => line.includes(' requests in '));
    expect(headline).toContain(` against ${result.baseUrl} (${expected}): p95 `);
  });
});

describe('a closed-model level says users in every terminal output', () => {
  const mixed = run('closed', ['closed', 'open']);
  const summary = renderSummary(mixed, { color: false, width: 160 });
  /** a section of a summary: from its title to the blank line after it */
  const section = (text: string, title: string): string => {
    const from = text.indexOf(`\n${title}\n`) + 1;
    return text.slice(from, text.indexOf('\n\n', from));
  };
  const row = (table: string, first: string): string[] =>
    table.split('\n').find((line) => line.startsWith(`│ ${first} `))!.split('│').slice(1, -1).map((cell) => cell.trim());
  const breaking = run('closed');
  breaking.analysis = {
    breakingPoint: {
      steps: [{ phase: 'hold', level: 300, rps: 280, requests: 100, pass: false, complete: true, failed: [], insufficient: 0 }],
      lastGood: null,
      firstBroken: { phase: 'hold', level: 300, rps: 280, failed: [] },
      stoppedEarly: false,
    },
  };
  const analysis = renderSummary(breaking, { color: false, width: 200 });

  it.each<[string, () => string, string]>([
    ['the live line', () => renderProgressLine({ elapsedMs: 0, totalMs: 1000, stage: 'hold', level: 200, model: 'closed', rps: 0, p95Ms: 0, errors: 0, requests: 0 }, { color: false }), 'level 200 users'],
    [
      'the live line of scenarios',
      () =>
        renderProgressLine(
          { elapsedMs: 0, totalMs: 1000, stage: 's1/hold', level: 300, model: 'closed', rps: 0, p95Ms: 0, errors: 0, requests: 0, scenarios: [{ name: 's1', model: 'closed', stage: 'hold', level: 200 }, { name: 's2', model: 'open', stage: 'hold', level: 100 }] },
          { color: false },
        ),
      's1 hold 200 users · s2 hold 100/s',
    ],
    ['the Scenarios table (peak)', () => row(section(summary, 'Scenarios'), 's1')[1]!, '100 users'],
    ['the Scenarios table, an open scenario', () => row(section(summary, 'Scenarios'), 's2')[1]!, '100/s'],
    ['the Phases table (planned)', () => row(section(summary, 'Phases'), 'hold')[2]!, '100 users'],
    ['the breaking-point steps', () => row(section(analysis, 'Analysis'), 'hold')[1]!, '300 users'],
    ['the breaking-point finding', () => section(analysis, 'Analysis').split('\n')[1]!, 'first broken hold (300 users, 280.0 req/s achieved)'],
  ])('%s', (_, text, expected) => {
    expect(text()).toContain(expected);
  });

  it('and none of them says VUs', () => {
    expect(summary + analysis).not.toMatch(/VUs?\b/);
  });
});
