// summary.md: the verdict and tables in GitHub-flavoured Markdown, for CI job summaries and
// pull-request comments. Several results make a sign-off summary with an overall verdict.
import { forcedMergeNotice } from './merge-notice.js';
import type { LoadModel, StageSpec } from '../config/types.js';
import type { Comparison, PhaseStats, Result, StatsBlock, Verdict } from '../result/types.js';
import {
  checkScope,
  checkOutcome,
  comparisonUnit,
  describeCheck,
  describeLoad,
  formatActual,
  formatBound,
  formatClock,
  formatComparisonChange,
  formatDuration,
  formatLevel,
  formatLimit,
  formatMs,
  formatPercent,
  formatRps,
  formatValue,
  overallVerdict,
  sortedCounts,
  summariseChecks,
  type CheckOutcome,
  errorsAreBad,
} from './format.js';
import { analysisFindings, breakingSteps } from './analysis-text.js';
import { describeCounts, describeMethod, describeUnmatched, entryState, regressionsOf, sectionsByScope, STATE_WORDS } from '../compare/comparison-view.js';
import { requestRows } from './request-rows.js';
import { hasScenarioGroups, phaseGroups, type PhaseGroup } from './phase-groups.js';

/** Failures first (then uncertain, warnings, passes), the table's order otherwise kept. */
const OUTCOME_ORDER: Record<CheckOutcome, number> = { FAIL: 0, UNCERTAIN: 1, WARN: 2, PASS: 3 };

/**
 * Makes any text safe inside Markdown and a table cell: HTML is escaped, Markdown punctuation
 * and `|` are backslash-escaped, line breaks become spaces.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]#|~$]/g, (ch) => `\\${ch}`);
}

const VERDICT_BADGE = {
  pass: '✅ PASS',
  fail: '❌ FAIL',
  inconclusive: '⚠️ INCONCLUSIVE',
  warn: '🟠 WARN',
  none: '⚪ NONE (no targets)',
} as const satisfies Record<Verdict, string>;

const OUTCOME_CELL = {
  PASS: '✅ pass',
  FAIL: '❌ fail',
  UNCERTAIN: '⚠️ uncertain',
  WARN: '🟠 warn',
} as const satisfies Record<CheckOutcome, string>;

type Align = 'left' | 'right' | 'center';

function mdTable(head: string[], rows: string[][], align: Align[]): string {
  const rule = align.map((a) => (a === 'right' ? '---:' : a === 'center' ? ':---:' : '---'));
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), line(rule), ...rows.map(line)].join('\n');
}

const numeric = (n: number, textColumns = 1): Align[] =>
  Array.from({ length: n }, (_, i) => (i < textColumns ? 'left' : 'right'));

function checksSection(result: Result, h: string): string {
  if (result.targets.length === 0) return `${h} Target checks\n\nNo target checks were defined for this run.`;
  const ordered = result.targets.map((check, i) => ({ check, i })).sort((a, b) => OUTCOME_ORDER[checkOutcome(a.check)] - OUTCOME_ORDER[checkOutcome(b.check)] || a.i - b.i);
  const rows = ordered.map(({ check }) => [
    escapeMarkdown(checkScope(check) ? `${check.row} (${check.scenario !== undefined && !check.phase ? 'scenario' : 'phase'} ${checkScope(check)})` : check.row),
    escapeMarkdown(check.metric),
    escapeMarkdown(formatLimit(check)),
    escapeMarkdown(formatActual(check)),
    check.samples === undefined ? '' : String(check.samples),
    escapeMarkdown(formatBound(check)),
    checkOutcome(check) === 'PASS' ? OUTCOME_CELL.PASS : `${OUTCOME_CELL[checkOutcome(check)]}: ${escapeMarkdown(describeCheck(check))}`,
  ]);
  const head = ['Target', 'Metric', 'Limit', 'Actual', 'Samples', '95% bound', 'Result'];
  return `${h} Target checks\n\n${mdTable(head, rows, ['left', 'left', 'right', 'right', 'right', 'right', 'left'])}`;
}

function analysisSection(result: Result, h: string): string | null {
  const findings = analysisFindings(result);
  if (findings.length === 0) return null;
  const icon = { good: '✅ ', bad: '❌ ', neutral: '' } as const;
  const parts = [`${h} Analysis`, findings.map((f) => `- ${icon[f.tone]}**${escapeMarkdown(f.title)}:** ${escapeMarkdown(f.text)}`).join('\n')];
  const steps = breakingSteps(result);
  if (steps.length > 0) {
    const rows = steps.map((step) => [
      step.mark === 'first-broken' ? `**${escapeMarkdown(step.phase)}**` : escapeMarkdown(step.phase),
      escapeMarkdown(step.level),
      step.rps,
      step.p95,
      step.errorRate,
      step.mark === 'first-broken' ? '❌ breaking point' : step.mark === 'last-good' ? '✅ last good' : step.result === 'broken' ? '❌ broken' : step.result === 'held' ? 'held' : 'partial',
      escapeMarkdown(step.detail),
    ]);
    parts.push(mdTable(['Step', 'Level', 'RPS', 'p95 ms', 'Error rate', 'Result', 'Broken by'], rows, ['left', 'right', 'right', 'right', 'right', 'left', 'left']));
  }
  return parts.join('\n\n');
}

function statsCells(s: StatsBlock): string[] {
  return [
    String(s.requests),
    formatRps(s.rps),
    String(s.errors),
    formatPercent(s.errorRate),
    formatMs(s.latencyMs.mean),
    formatMs(s.latencyMs.p50),
    formatMs(s.latencyMs.p95),
    formatMs(s.latencyMs.p99),
    formatMs(s.latencyMs.max),
  ];
}

function requestsSection(result: Result, h: string): string {
  // a flow's own row (whole iterations) first, its steps under it
  const rows = requestRows(result).map((row) => {
    const name = row.kind === 'flow' ? `**${escapeMarkdown(row.name)}** (flow, iterations)` : row.kind === 'step' ? `↳ ${escapeMarkdown(row.name)}` : escapeMarkdown(row.name);
    return [name, ...statsCells(row.stats)];
  });
  rows.push(['**Total**', ...statsCells(result.totals).map((cell) => `**${cell}**`)]);
  const head = ['Request', 'Requests', 'RPS', 'Errors', 'Error rate', 'Mean ms', 'p50 ms', 'p95 ms', 'p99 ms', 'Max ms'];
  let text = `${h} Requests\n\n${mdTable(head, rows, numeric(head.length))}`;
  const service = result.totals.serviceTimeMs;
  if (service) {
    text += `\n\nService time (from the actual send, without queueing): p50 ${formatMs(service.p50)} ms, p95 ${formatMs(service.p95)} ms, p99 ${formatMs(service.p99)} ms.`;
  }
  return text;
}

/** A run with scenarios: each one's model, start, peak level and totals. */
function scenariosSection(result: Result, h: string): string | null {
  const scenarios = Object.entries(result.scenarios ?? {});
  if (scenarios.length === 0) return null;
  const rows = scenarios.map(([name, s]) => {
    const peak = Math.max(0, ...s.stages.map((stage) => Math.max(stage.fromLevel, stage.toLevel)));
    return [escapeMarkdown(name), `${s.model}, peak ${formatLevel(s.model, peak, peak, ' req/s')}`, formatClock(s.startAfterMs), ...statsCells(s)];
  });
  const head = ['Scenario', 'Load', 'Starts', 'Requests', 'RPS', 'Errors', 'Error rate', 'Mean ms', 'p50 ms', 'p95 ms', 'p99 ms', 'Max ms'];
  return `${h} Scenarios\n\n${mdTable(head, rows, numeric(head.length, 3))}`;
}

const phaseCells = (p: PhaseStats): string[] => [
  String(p.requests),
  formatRps(p.rps),
  String(p.errors),
  formatPercent(p.errorRate),
  formatMs(p.latencyMs.mean),
  formatMs(p.latencyMs.p95),
  formatMs(p.latencyMs.p99),
];

const phaseWindow = (p: PhaseStats): string => `${formatClock(p.startMs)}–${formatClock(p.endMs)}`;

/** A stage's planned level in its scenario's unit: `200 users`, `50 → 500 req/s`. */
const plannedLevel = (stage: StageSpec | undefined, model: LoadModel): string => (stage === undefined ? '' : formatLevel(model, stage.toLevel, stage.fromLevel, ' req/s'));

function phasesSection(result: Result, h: string): string | null {
  if (result.phases.length === 0) return null;
  const groups = phaseGroups(result);
  if (hasScenarioGroups(groups)) return scenarioPhasesSection(groups, h);
  const rows = result.phases.map((p) => [escapeMarkdown(p.name), phaseWindow(p), ...phaseCells(p)]);
  const head = ['Phase', 'Window', 'Requests', 'RPS', 'Errors', 'Error rate', 'Mean ms', 'p95 ms', 'p99 ms'];
  return `${h} Phases\n\n${mdTable(head, rows, numeric(head.length, 2))}`;
}

/** A run of scenarios: a heading per scenario over its own stages (their own names), each planned in its unit. */
function scenarioPhasesSection(groups: PhaseGroup[], h: string): string {
  const head = ['Phase', 'Window', 'Planned', 'Requests', 'RPS', 'Errors', 'Error rate', 'Mean ms', 'p95 ms', 'p99 ms'];
  const parts = [`${h} Phases`];
  for (const g of groups) {
    if (g.scenario !== null) parts.push(`${h}# Scenario ${escapeMarkdown(g.scenario)}`);
    const rows = g.rows.map(({ name, phase, stage }) => [escapeMarkdown(name), phaseWindow(phase), plannedLevel(stage, g.model), ...phaseCells(phase)]);
    parts.push(mdTable(head, rows, numeric(head.length, 3)));
  }
  return parts.join('\n\n');
}

/** Regressions first, then every other entry by scope; each entry's state in the shared words. */
function comparisonSection(comparison: Comparison | undefined, h: string): string | null {
  if (!comparison) return null;
  const row = (e: Comparison['entries'][number]): string[] => {
    const unit = comparisonUnit(e.metric);
    const state = entryState(e);
    return [
      escapeMarkdown(e.scope),
      e.metric,
      formatValue(unit, e.baseline),
      formatValue(unit, e.current),
      formatComparisonChange(e),
      state === 'regression' ? '**✗ regression**' : STATE_WORDS[state],
      e.note ? escapeMarkdown(e.note) : '',
    ];
  };
  const regressions = regressionsOf(comparison).map(row);
  const others = sectionsByScope(comparison).flatMap((s) => s.entries.filter((e) => entryState(e) !== 'regression')).map(row);
  const n = comparison.regressions;
  const method = describeMethod(comparison);
  const unmatched = describeUnmatched(comparison);
  const intro =
    `Against ${escapeMarkdown(comparison.baselineFile)} (started ${escapeMarkdown(comparison.baselineStartedAt)}): ` +
    (n === 0 ? 'no regression' : `**${n} regression${n === 1 ? '' : 's'}**`) +
    `; ${escapeMarkdown(describeCounts(comparison))}.` +
    (method ? ` ${escapeMarkdown(method.charAt(0).toUpperCase() + method.slice(1))}.` : '') +
    (unmatched ? ` ${escapeMarkdown(unmatched)}` : '');
  const head = ['Scope', 'Metric', 'Baseline', 'Current', 'Change', 'Result', 'Note'];
  const align: Align[] = ['left', 'left', 'right', 'right', 'right', 'center', 'left'];
  const parts = [`${h} Comparison with the baseline`, intro];
  if (regressions.length > 0) parts.push(mdTable(head, regressions, align));
  if (others.length > 0) parts.push(`<details><summary>The other ${others.length} entries</summary>\n\n${mdTable(head, others, align)}\n\n</details>`);
  return parts.join('\n\n');
}

function errorsSection(result: Result, h: string): string | null {
  if (result.totals.errors === 0) return null;
  const kinds = sortedCounts(result.totals.errorKinds).map(([kind, n]) => [escapeMarkdown(kind), String(n)]);
  const codes = sortedCounts(result.totals.statusCodes).map(([code, n]) => [escapeMarkdown(code), String(n)]);
  const parts = [`${h} Errors`, mdTable(['Error kind', 'Count'], kinds, ['left', 'right'])];
  if (codes.length > 0) parts.push(mdTable(['Status', 'Count'], codes, ['left', 'right']));
  return parts.join('\n\n');
}

function headline(result: Result): string {
  const t = result.totals;
  const status = result.status === 'completed' ? '' : ` The run was **${result.status}**.`;
  return (
    `${t.requests} requests in ${formatDuration(result.durationMs)} against ${escapeMarkdown(result.baseUrl)} ` +
    `(${describeLoad(result)}): p95 ${formatMs(t.latencyMs.p95)} ms, p99 ${formatMs(t.latencyMs.p99)} ms, ` +
    `${errorsAreBad(result) ? `**❌ ${formatPercent(t.errorRate)} errors**` : `${formatPercent(t.errorRate)} errors`}, ${formatRps(t.rps)} req/s. ${escapeMarkdown(summariseChecks(result))}.${status}`
  );
}

/** `spike · rc-1`: the label tells two runs of one profile apart */
function runName(result: Result): string {
  const label = result.run?.label;
  return label ? `${result.profile.name} · ${label}` : result.profile.name;
}

/** Label, meta, profile, base URL, commit and start: what tells this run from the others. */
function identityLine(result: Result): string {
  const parts = [
    result.run?.label ? `label **${escapeMarkdown(result.run.label)}**` : null,
    ...Object.entries(result.run?.meta ?? {}).map(([k, v]) => `${escapeMarkdown(k)}: ${escapeMarkdown(v)}`),
    `profile ${escapeMarkdown(result.profile.name)} (${escapeMarkdown(result.profile.source === 'builtin' ? 'built-in' : result.profile.source)})`,
    escapeMarkdown(result.baseUrl),
    `git ${escapeMarkdown(result.environment.git?.slice(0, 12) ?? 'none')}`,
    `started ${escapeMarkdown(result.startedAt)}`,
  ].filter((p): p is string => p !== null);
  return parts.join(' · ');
}

function environmentLine(result: Result): string {
  const env = result.environment;
  const parts = [
    `perfctl ${result.tool.version}`,
    `Node ${env.node}`,
    env.os,
    `${env.cpus} CPUs`,
    `host ${env.host}`,
    env.git ? `git ${env.git}` : null,
    `started ${result.startedAt}`,
    result.shard ? `shard ${result.shard.index}/${result.shard.count}` : null,
  ].filter((p): p is string => p !== null);
  return `<sub>${parts.map(escapeMarkdown).join(' · ')}</sub>`;
}

/** One result's section; `level` is the heading level of its title. */
function resultSection(result: Result, level: number): string {
  const h = '#'.repeat(level);
  const sub = '#'.repeat(level + 1);
  const notice = forcedMergeNotice(result);
  const parts: Array<string | null> = [
    notice ? `> **${escapeMarkdown(notice)}**` : null,
    `${h} ${VERDICT_BADGE[result.verdict]} ${escapeMarkdown(runName(result))}`,
    result.reason && result.verdict !== 'pass' ? `> **Why:** ${escapeMarkdown(result.reason)}` : null,
    identityLine(result),
    headline(result),
    checksSection(result, sub),
    comparisonSection(result.comparison, sub),
    analysisSection(result, sub),
    requestsSection(result, sub),
    scenariosSection(result, sub),
    phasesSection(result, sub),
    errorsSection(result, sub),
    environmentLine(result),
  ];
  return parts.filter((p): p is string => p !== null).join('\n\n');
}

function summaryTable(results: Result[]): string {
  const rows = results.map((r) => [
    escapeMarkdown(runName(r)),
    VERDICT_BADGE[r.verdict],
    escapeMarkdown(Object.entries(r.run?.meta ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')),
    escapeMarkdown(r.baseUrl),
    escapeMarkdown(r.environment.git?.slice(0, 12) ?? ''),
    escapeMarkdown(r.startedAt),
    String(r.totals.requests),
    formatMs(r.totals.latencyMs.p95),
    formatMs(r.totals.latencyMs.p99),
    formatPercent(r.totals.errorRate),
  ]);
  const head = ['Run', 'Verdict', 'Meta', 'Base URL', 'Commit', 'Started', 'Requests', 'p95 ms', 'p99 ms', 'Error rate'];
  return mdTable(head, rows, ['left', 'left', 'left', 'left', 'left', 'left', 'right', 'right', 'right', 'right']);
}

export function renderMarkdown(results: Result[]): string {
  if (results.length === 0) return '## perfctl\n\nNo results.\n';
  if (results.length === 1) return `${resultSection(results[0]!, 2)}\n`;
  const verdict = overallVerdict(results);
  const count = (v: Verdict): number => results.filter((r) => r.verdict === v).length;
  const tally = [
    `${count('pass')} passed`,
    count('fail') > 0 ? `${count('fail')} failed` : null,
    count('inconclusive') > 0 ? `${count('inconclusive')} inconclusive` : null,
    count('warn') > 0 ? `${count('warn')} with warnings` : null,
    count('none') > 0 ? `${count('none')} without targets` : null,
  ].filter((p): p is string => p !== null);
  return (
    [
      `# ${VERDICT_BADGE[verdict]} perfctl sign-off`,
      // runs, not profiles: two runs of one profile are two rows
      `${results.length} runs: ${tally.join(', ')}.`,
      summaryTable(results),
      ...results.map((r) => resultSection(r, 2)),
    ].join('\n\n') + '\n'
  );
}
