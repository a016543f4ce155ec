// Finished Result(s) -> what the templates print: every number formatted, every label
// chosen, every chart drawn. No statistics here: the report shows the Result as it is.
import { describeCounts, describeMethod, describeUnmatched, entryState, regressionsOf, sectionsByScope, STATE_WORDS } from '../../compare/comparison-view.js';
import type { ComparisonEntry, ComparisonState, Result, StatsBlock, TargetCheckResult, Verdict } from '../../result/types.js';
import { distributionChart, latencyChart, throughputChart } from './charts.js';
import { serviceChart } from './service-chart.js';
import { analysisFindings, breakingSteps, type Finding, type StepRow } from '../analysis-text.js';
import { checkOutcome, errorsAreBad, checkScope, countChecks, formatActual, formatBound, formatLimit, summariseChecks, type CheckOutcome } from '../format.js';
import { overallVerdict as signOffVerdict } from '../../judge/verdict.js';
import { formatCheck } from '../../judge/checks.js';
import {
  formatChangePercent,
  formatChangePoints,
  formatClock,
  formatCount,
  formatDate,
  formatDuration,
  formatMs,
  formatMsWithUnit,
  formatNumber,
  formatPercent,
  formatRps,
  MISSING,
} from './format.js';
import type { TrustedSvg } from './svg.js';
import { forcedMergeNotice } from '../merge-notice.js';
import { requestRows } from '../request-rows.js';
import { phaseGroups } from '../phase-groups.js';
import { compactProfile } from './compact-profile.js';

export interface VerdictView {
  cls: Verdict;
  label: string;
  icon: string;
  reason: string;
  /** a reason of more than a line or two, set smaller */
  long: boolean;
  /** set when the run did not complete normally */
  status: string | null;
}

export interface Field {
  label: string;
  value: string;
}

export interface Figure {
  /** `bad`: shown in red (failed requests) */
  tone?: 'bad';
  field: string;
  label: string;
  value: string;
  unit: string;
}

export interface CheckRow {
  row: string;
  phase: string;
  metric: string;
  limit: string;
  actual: string;
  cls: 'pass' | 'fail' | 'uncertain' | 'warn';
  result: string;
  samples: string;
  bound: string;
  note: string;
  /** the check's message, on hover */
  detail: string;
}

export interface StatsRow {
  name: string;
  /** the "all requests" row */
  total: boolean;
  /** row class: flow (a flow's own row), step (one of its steps, indented), request, total */
  cls: string;
  /** what the row counts: a flow counts iterations, everything else requests */
  unitNote: string;
  window: string;
  planned: string;
  requests: string;
  rps: string;
  errors: string;
  errorRate: string;
  mean: string;
  p50: string;
  p95: string;
  p99: string;
  max: string;
  serviceP99: string;
}

export interface ComparisonRow {
  scope: string;
  metric: string;
  baseline: string;
  current: string;
  change: string;
  regression: boolean;
  /** the entry's state in the shared words: regression, within noise, ok, not judged */
  result: string;
  /** badge class: fail (regression), noise (within noise), pass (ok), neutral (not judged) */
  cls: string;
  note: string;
}

export interface ComparisonView {
  baselineFile: string;
  baselineStartedAt: string;
  tolerance: string;
  summary: string;
  /** counts of each state, and how the noise was judged */
  counts: string;
  method: string;
  unmatched: string;
  regression: boolean;
  /** the regressions, shown open */
  regressions: ComparisonRow[];
  /** every entry by scope, collapsed */
  sections: { scope: string; summary: string; rows: ComparisonRow[] }[];
}

export interface RunView {
  id: string;
  number: number;
  of: number;
  multi: boolean;
  name: string;
  /** the run's --label, '' without one: with the profile it tells the runs of a sign-off apart */
  label: string;
  description: string;
  verdict: VerdictView;
  /** said before anything else: a merge forced past its refusals */
  notice: string | null;
  meta: Field[];
  figures: Figure[];
  /**
   * rows: what the reader needs first (every check, or the ones not passed); passed: the passed
   * checks collapsed under them when there is something else to see first (a failure, an
   * uncertain check, a regression), so that it is on the first screen
   */
  checks: { rows: CheckRow[]; passed: CheckRow[]; summary: string; failing: number };
  /** profile verdicts (result.analysis): one finding each, and the staircase's steps */
  analysis: { findings: Finding[]; steps: StepView[] } | null;
  charts: {
    throughput: TrustedSvg;
    latency: TrustedSvg;
    /** the service's CPU and memory (a monitored run), null without samples */
    service: TrustedSvg | null;
    distribution: TrustedSvg;
    distributionNote: string;
  };
  requests: { rows: StatsRow[]; showService: boolean; statusCodes: string; errorKinds: string };
  phases: { rows: StatsRow[]; groups: Array<{ title: string; rows: StatsRow[] }>; plannedUnit: string };
  /** a run with scenarios: one row each (model, start, peak level, totals) */
  scenarios: { rows: StatsRow[] };
  comparison: ComparisonView | null;
  /** said under the verdict when there are regressions (a link to them), '' otherwise */
  regressionLine: string;
  environment: Field[];
  /** the resolved profile in compact lines (the appendix) */
  profileText: string | null;
}

/** A staircase step in the analysis table; the breaking step and the last good one carry a badge. */
export interface StepView extends StepRow {
  cls: string;
  badge: { cls: 'pass' | 'fail'; label: string } | null;
}

function stepView(step: StepRow): StepView {
  const badge = step.mark === 'first-broken' ? { cls: 'fail' as const, label: 'breaking point' } : step.mark === 'last-good' ? { cls: 'pass' as const, label: 'last good' } : null;
  return { ...step, cls: `step ${step.result}${step.mark ? ` ${step.mark}` : ''}`, badge };
}

export interface SummaryRow {
  id: string;
  number: number;
  name: string;
  label: string;
  /** --meta as `key=value` pairs, one text */
  meta: string;
  source: string;
  baseUrl: string;
  git: string;
  verdict: VerdictView;
  /** the checks in one short clause (the run's own section has the full reason) */
  why: string;
  startedDay: string;
  startedTime: string;
  requests: string;
  p95: string;
  p99: string;
  errorRate: string;
  checks: string;
  checksNote: string;
}

export interface ReportView {
  title: string;
  generator: string;
  overall: { verdict: VerdictView; runs: string; period: string; summary: SummaryRow[]; attention: AttentionView[]; signature: string[] } | null;
  runs: RunView[];
}

const VERDICT_LABELS: Record<Verdict, { label: string; icon: string }> = {
  pass: { label: 'PASS', icon: '✔' },
  fail: { label: 'FAIL', icon: '✖' },
  inconclusive: { label: 'INCONCLUSIVE', icon: '?' },
  warn: { label: 'WARN', icon: '▲' },
  none: { label: 'NONE', icon: '○' },
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

function defaultReason(result: Result): string {
  const counts = countChecks(result.targets);
  const total = counts.total;
  switch (result.verdict) {
    case 'pass':
      return total === 0 ? 'No regression against the baseline.' : `All ${plural(total, 'target check')} passed.`;
    case 'fail':
      if (result.comparison !== undefined && result.comparison.regressions > 0 && counts.failed === 0) {
        return `${plural(result.comparison.regressions, 'regression')} against the baseline ${result.comparison.baselineFile}.`;
      }
      return total === 0 ? 'The run failed.' : `${formatCount(counts.failed)} of ${plural(total, 'target check')} failed.`;
    case 'inconclusive':
      return counts.uncertain > 0
        ? `${formatCount(counts.uncertain)} of ${plural(total, 'target check')} could not be judged from these samples.`
        : 'perfctl could not deliver the planned load, so these numbers describe the load generator more than the service.';
    case 'warn':
      return `${formatCount(counts.warned)} of ${plural(total, 'target check')} missed a warning limit.`;
    case 'none':
      return 'No targets: nothing was judged.';
    default: {
      const never: never = result.verdict;
      return String(never);
    }
  }
}

function verdictView(verdict: Verdict, reason: string, status: string | null): VerdictView {
  return { cls: verdict, ...VERDICT_LABELS[verdict], reason, long: reason.length > 140, status };
}

function runVerdict(result: Result): VerdictView {
  const reason = result.reason !== undefined && result.reason.trim() !== '' ? result.reason : defaultReason(result);
  return verdictView(result.verdict, reason, result.status === 'completed' ? null : `run ${result.status}`);
}

// ---------------------------------------------------------------- target checks

const METRIC_NAMES: Record<string, string> = { errorRate: 'error rate', rps: 'throughput', mean: 'mean', max: 'max', recovery: 'recovery time', drift: 'p95 drift', memoryGrowth: 'memory growth', cpu: 'service CPU', memory: 'service memory (peak)', breakingPoint: 'breaking point' };

const OUTCOME_CLASS = { PASS: 'pass', FAIL: 'fail', UNCERTAIN: 'uncertain', WARN: 'warn' } as const satisfies Record<CheckOutcome, CheckRow['cls']>;

function checkRow(t: TargetCheckResult): CheckRow {
  const cls = OUTCOME_CLASS[checkOutcome(t)];
  return {
    row: t.row,
    phase: checkScope(t),
    metric: METRIC_NAMES[t.metric] ?? t.metric,
    limit: `${formatLimit(t)}${t.severity === 'warn' ? ' (warn)' : ''}`,
    actual: formatActual(t),
    cls,
    result: cls,
    samples: t.samples === undefined ? '' : formatCount(t.samples),
    bound: formatBound(t),
    // a message that only restates the row's value and limit is left to the hover; the others
    // say why (evidence, what would judge it, a limit scaled by -d)
    note: cls === 'pass' || t.message === undefined || (cls === 'fail' && t.message === formatCheck(t)) ? '' : t.message,
    detail: t.message ?? '',
  };
}

/** Failures first, then uncertain, warnings, passes; the table's order otherwise kept. */
const CHECK_ORDER: Record<CheckRow['cls'], number> = { fail: 0, uncertain: 1, warn: 2, pass: 3 };

function checkRows(checks: TargetCheckResult[]): CheckRow[] {
  return checks
    .map((t, i) => ({ row: checkRow(t), i }))
    .sort((a, b) => CHECK_ORDER[a.row.cls] - CHECK_ORDER[b.row.cls] || a.i - b.i)
    .map(({ row }) => row);
}

/** Passed checks fold away below this many when something else needs reading first. */
const OPEN_PASSED_MAX = 3;

function checksView(result: Result): RunView['checks'] {
  const rows = checkRows(result.targets);
  const passed = rows.filter((r) => r.cls === 'pass');
  const attention = rows.length > passed.length || (result.comparison?.regressions ?? 0) > 0;
  const fold = attention && passed.length > OPEN_PASSED_MAX;
  return {
    rows: fold ? rows.filter((r) => r.cls !== 'pass') : rows,
    passed: fold ? passed : [],
    summary: checksSummary(result.targets),
    failing: countChecks(result.targets).failed,
  };
}

function checksSummary(checks: TargetCheckResult[]): string {
  if (checks.length === 0) return 'No targets were set for this run: it was not judged.';
  const counts = countChecks(checks);
  const parts = [`${formatCount(counts.passed)} of ${plural(checks.length, 'check')} passed`];
  if (counts.failed > 0) parts.push(`${formatCount(counts.failed)} failed`);
  if (counts.uncertain > 0) parts.push(`${formatCount(counts.uncertain)} uncertain`);
  if (counts.warned > 0) parts.push(`${formatCount(counts.warned)} missed a warning limit`);
  return `${parts.join(', ')}.`;
}

// ---------------------------------------------------------------- stats tables

function statsRow(name: string, s: StatsBlock, extra: { total?: boolean; window?: string; planned?: string; cls?: string; unitNote?: string } = {}): StatsRow {
  return {
    name,
    total: extra.total ?? false,
    cls: extra.cls ?? (extra.total === true ? 'total' : 'request'),
    unitNote: extra.unitNote ?? '',
    window: extra.window ?? '',
    planned: extra.planned ?? '',
    requests: formatCount(s.requests),
    rps: formatRps(s.rps),
    errors: formatCount(s.errors),
    errorRate: formatPercent(s.errorRate),
    mean: formatMs(s.latencyMs.mean),
    p50: formatMs(s.latencyMs.p50),
    p95: formatMs(s.latencyMs.p95),
    p99: formatMs(s.latencyMs.p99),
    max: formatMs(s.latencyMs.max),
    serviceP99: s.serviceTimeMs === undefined ? MISSING : formatMs(s.serviceTimeMs.p99),
  };
}

function countsText(counts: Record<string, number>): string {
  const entries = Object.entries(counts).filter(([, n]) => n > 0);
  if (entries.length === 0) return 'none';
  return entries
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k}: ${formatCount(n)}`)
    .join(', ');
}

/** A run with scenarios: each one's totals, its model, start and peak level. */
function scenarioRows(result: Result): StatsRow[] {
  return Object.entries(result.scenarios ?? {}).map(([name, s]) => {
    const peak = Math.max(0, ...s.stages.map((stage) => Math.max(stage.fromLevel, stage.toLevel)));
    return statsRow(name, s, { window: `from ${formatClock(s.startAfterMs)}`, planned: `${s.model}, peak ${formatNumber(peak, 0)} ${s.model === 'open' ? 'req/s' : 'users'}` });
  });
}

function phasesView(result: Result, plannedUnit: string): RunView['phases'] {
  const groups = phaseGroupViews(result);
  return { rows: groups.flatMap((g) => g.rows), groups, plannedUnit };
}

/** The stages table: one group, or with scenarios one group per scenario under its own heading. */
function phaseGroupViews(result: Result): Array<{ title: string; rows: StatsRow[] }> {
  return phaseGroups(result).map((group) => {
    const unit = group.model === 'open' ? 'req/s' : 'users';
    const rows = group.rows.map(({ name, phase: p, stage }) => {
      const planned =
        stage === undefined
          ? ''
          : stage.fromLevel === stage.toLevel
            ? `${formatNumber(stage.toLevel, 0)} ${unit}`
            : `${formatNumber(stage.fromLevel, 0)} → ${formatNumber(stage.toLevel, 0)} ${unit}`;
      return statsRow(name, p, { window: `${formatClock(p.startMs)} – ${formatClock(p.endMs)}`, planned });
    });
    return { title: group.scenario ?? '', rows };
  });
}

// ---------------------------------------------------------------- comparison

function comparisonValue(metric: ComparisonEntry['metric'], v: number): string {
  if (metric === 'rps') return `${formatRps(v)} req/s`;
  if (metric === 'errorRate') return formatPercent(v);
  return formatMsWithUnit(v);
}

const STATE_CLASSES: Record<ComparisonState, string> = { regression: 'fail', noise: 'noise', ok: 'pass', 'not-judged': 'neutral' };

function comparisonRow(e: ComparisonEntry): ComparisonRow {
  const state = entryState(e);
  return {
    scope: e.scope,
    metric: METRIC_NAMES[e.metric] ?? e.metric,
    baseline: comparisonValue(e.metric, e.baseline),
    current: comparisonValue(e.metric, e.current),
    change: e.metric === 'errorRate' ? formatChangePoints(e.change) : formatChangePercent(e.change),
    regression: state === 'regression',
    result: STATE_WORDS[state],
    cls: STATE_CLASSES[state],
    note: e.note ?? '',
  };
}

function comparisonView(result: Result): ComparisonView | null {
  const c = result.comparison;
  if (c === undefined) return null;
  const t = c.tolerance;
  const method = describeMethod(c);
  return {
    baselineFile: c.baselineFile,
    baselineStartedAt: formatDate(c.baselineStartedAt),
    tolerance: `latency ${formatPercent(t.latency, 0)}, throughput ${formatPercent(t.throughput, 0)}, error rate ${trimZeros(formatNumber(t.errorRate * 100, 2))} pp`,
    summary: c.regressions > 0 ? `${plural(c.regressions, 'regression')} against ${c.baselineFile}.` : `No regression against ${c.baselineFile}.`,
    counts: describeCounts(c),
    method: method ? `${method.charAt(0).toUpperCase()}${method.slice(1)}.` : '',
    unmatched: describeUnmatched(c) ?? '',
    regression: c.regressions > 0,
    regressions: regressionsOf(c).map(comparisonRow),
    sections: sectionsByScope(c).map((section) => {
      const counts = { regression: 0, noise: 0, ok: 0, 'not-judged': 0 };
      for (const e of section.entries) counts[entryState(e)]++;
      const summary = (Object.keys(counts) as ComparisonState[]).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${STATE_WORDS[k]}`).join(', ');
      return { scope: section.scope, summary, rows: section.entries.map(comparisonRow) };
    }),
  };
}

const trimZeros = (s: string): string => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);

/** The comparison may carry the baseline's total histogram (for the curve overlay). */
function baselineHistogramOf(result: Result): string | undefined {
  const c = result.comparison as (Result['comparison'] & { baselineHistogram?: unknown }) | undefined;
  return typeof c?.baselineHistogram === 'string' ? c.baselineHistogram : undefined;
}

// ---------------------------------------------------------------- one run

const sourceText = (source: string): string => (source === 'builtin' ? 'built-in' : source);
const gitText = (git: string | null): string => (git === null || git === '' ? 'not a git checkout' : git.length > 12 ? git.slice(0, 12) : git);
const metaText = (result: Result): string =>
  Object.entries(result.run?.meta ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

/** What tells one run from another: label, meta, profile, base URL, commit, start. */
function identityFields(result: Result): Field[] {
  const fields: Field[] = [];
  if (result.run?.label !== undefined && result.run.label !== '') fields.push({ label: 'Label', value: result.run.label });
  for (const [key, value] of Object.entries(result.run?.meta ?? {})) fields.push({ label: key, value });
  fields.push(
    { label: 'Profile', value: `${result.profile.name} (${sourceText(result.profile.source)})` },
    { label: 'Base URL', value: result.baseUrl },
    { label: 'Git commit', value: gitText(result.environment.git) },
    { label: 'Started', value: formatDate(result.startedAt) },
  );
  return fields;
}

function runView(result: Result, index: number, count: number): RunView {
  const id = `run-${index + 1}`;
  const t = result.totals;
  const unit = result.profile.model === 'open' ? 'req/s' : 'users';
  const levels = result.profile.stages.flatMap((s) => [s.fromLevel, s.toLevel]);
  const peak = levels.length > 0 ? Math.max(...levels) : null;
  const meta: Field[] = [
    ...identityFields(result),
    { label: 'Duration', value: formatDuration(result.durationMs) },
    {
      label: 'Load model',
      value: `${result.profile.model === 'open' ? 'open (arrival rate)' : 'closed (virtual users)'}${peak === null ? '' : `, peak ${formatNumber(peak, 0)} ${unit}`}`,
    },
  ];
  if (result.shard !== undefined) meta.push({ label: 'Shard', value: `${result.shard.index} of ${result.shard.count}` });
  if (result.start?.requested !== undefined) {
    const lateMs = Date.parse(result.start.actual) - Date.parse(result.start.planned);
    meta.push({ label: 'Start', value: `planned ${formatDate(result.start.planned)}${lateMs > 1 ? `, began ${formatDuration(lateMs)} late` : ', on time'}` });
  }
  if (result.merge !== undefined) meta.push({ label: 'Merged', value: `${result.merge.shards.length} results, starts within ${formatDuration(result.merge.skewMs)}` });

  const baselineHistogram = baselineHistogramOf(result);
  const baselineLabel = result.comparison === undefined ? undefined : `baseline ${formatDate(result.comparison.baselineStartedAt).slice(0, 10)}`;
  let distributionNote = `Each step to the right is ten times rarer. The slowest request took ${formatMsWithUnit(t.latencyMs.max)}.`;
  if (result.comparison !== undefined) {
    distributionNote += baselineHistogram === undefined ? ' The baseline carries no histogram, so its curve is not drawn.' : ' The dashed curve is the baseline.';
  }

  const groupRows = requestRows(result).map((row) =>
    statsRow(row.name, row.stats, row.kind === 'flow' ? { cls: 'flow', unitNote: 'whole iterations' } : { cls: row.kind }),
  );
  groupRows.push(statsRow('all requests', t, { total: true }));

  return {
    id,
    number: index + 1,
    of: count,
    multi: count > 1,
    name: result.profile.name,
    label: result.run?.label ?? '',
    description: result.profile.description ?? '',
    verdict: runVerdict(result),
    notice: forcedMergeNotice(result),
    meta,
    figures: [
      { field: 'requests', label: 'requests', value: formatCount(t.requests), unit: '' },
      { field: 'rps', label: 'throughput', value: formatRps(t.rps), unit: 'req/s' },
      { field: 'errors', label: 'errors', value: formatCount(t.errors), unit: '', ...(errorsAreBad(result) ? { tone: 'bad' as const } : {}) },
      { field: 'error-rate', label: 'error rate', value: formatPercent(t.errorRate), unit: '', ...(errorsAreBad(result) ? { tone: 'bad' as const } : {}) },
      { field: 'p50', label: 'p50', value: formatMs(t.latencyMs.p50), unit: 'ms' },
      { field: 'p95', label: 'p95', value: formatMs(t.latencyMs.p95), unit: 'ms' },
      { field: 'p99', label: 'p99', value: formatMs(t.latencyMs.p99), unit: 'ms' },
      { field: 'max', label: 'max', value: formatMs(t.latencyMs.max), unit: 'ms' },
    ],
    checks: checksView(result),
    analysis: result.analysis === undefined ? null : { findings: analysisFindings(result), steps: breakingSteps(result).map(stepView) },
    charts: {
      throughput: throughputChart(result, `${id}-chart-throughput`),
      latency: latencyChart(result, `${id}-chart-latency`),
      service: serviceChart(result, `${id}-chart-service`),
      distribution: distributionChart(result, `${id}-chart-distribution`, {
        ...(baselineHistogram === undefined ? {} : { baselineHistogram }),
        ...(baselineLabel === undefined ? {} : { baselineLabel }),
      }),
      distributionNote,
    },
    requests: {
      rows: groupRows,
      showService: t.serviceTimeMs !== undefined,
      statusCodes: countsText(t.statusCodes),
      errorKinds: countsText(t.errorKinds),
    },
    phases: phasesView(result, unit),
    scenarios: { rows: scenarioRows(result) },
    comparison: comparisonView(result),
    regressionLine:
      result.comparison !== undefined && result.comparison.regressions > 0 ? `${plural(result.comparison.regressions, 'regression')} against the baseline ${result.comparison.baselineFile}` : '',
    environment: [
      { label: 'perfctl', value: result.tool.version },
      { label: 'Node.js', value: result.environment.node },
      { label: 'OS', value: result.environment.os },
      { label: 'CPUs', value: String(result.environment.cpus) },
      { label: 'Host', value: result.environment.host },
      { label: 'Git commit', value: result.environment.git ?? 'not a git checkout' },
      { label: 'Profile source', value: sourceText(result.profile.source) },
      { label: 'Profile hash', value: result.profile.hash ?? MISSING },
      { label: 'Ended', value: formatDate(result.endedAt) },
    ],
    profileText: compactProfile(result.profile.resolved),
  };
}

// ---------------------------------------------------------------- the document

function overallVerdict(results: Result[]): VerdictView {
  const n = results.length;
  // `spike (rc-1)`: two runs of one profile are told apart by their labels
  const names = (v: Verdict): string[] => results.filter((r) => r.verdict === v).map((r) => (r.run?.label ? `${r.profile.name} (${r.run.label})` : r.profile.name));
  const verdict = signOffVerdict(results);
  const these = names(verdict);
  switch (verdict) {
    case 'fail':
      return verdictView('fail', `${formatCount(these.length)} of ${plural(n, 'run')} failed: ${these.join(', ')}.`, null);
    case 'inconclusive':
      return verdictView('inconclusive', `${formatCount(these.length)} of ${plural(n, 'run')} ${these.length === 1 ? 'was' : 'were'} inconclusive: ${these.join(', ')}.`, null);
    case 'warn':
      return verdictView('warn', `${formatCount(these.length)} of ${plural(n, 'run')} missed warning limits: ${these.join(', ')}.`, null);
    case 'none':
      return verdictView('none', n === 1 ? 'The run had no targets.' : `None of the ${formatCount(n)} runs had targets.`, null);
    case 'pass': {
      const unjudged = names('none');
      const note = unjudged.length > 0 ? ` ${formatCount(unjudged.length)} had no targets: ${unjudged.join(', ')}.` : '';
      return verdictView('pass', n === 1 ? 'The run passed.' : unjudged.length === 0 ? `All ${formatCount(n)} runs passed.` : `${formatCount(n - unjudged.length)} of ${plural(n, 'run')} passed.${note}`, null);
    }
  }
}

/** Per run, what the sign-off's reader must look at: checks not passed, then regressions. */
export interface AttentionView {
  id: string;
  name: string;
  label: string;
  items: Array<{ cls: string; state: string; text: string }>;
}

/** Checks of one run listed on the first page; the rest are counted ("and 4 more"). */
const ATTENTION_MAX = 4;

function attentionOf(result: Result, run: RunView): AttentionView | null {
  const checks: AttentionView['items'] = [];
  for (const row of [...run.checks.rows, ...run.checks.passed]) {
    if (row.cls === 'pass') continue;
    // the note, when there is one, already says the value and the limit, then why
    const what = row.note === '' ? `${row.metric} ${row.actual}, limit ${row.limit}` : row.note;
    checks.push({ cls: row.cls, state: row.result, text: `${row.row}${row.phase === '' ? '' : ` (${row.phase})`}: ${what}` });
  }
  const items = checks.slice(0, ATTENTION_MAX);
  if (checks.length > items.length) items.push({ cls: 'none', state: '', text: `and ${plural(checks.length - items.length, 'more check')} in the run's section` });
  if (result.status !== 'completed') items.unshift({ cls: 'fail', state: `run ${result.status}`, text: run.verdict.reason });
  // the regressions in one line: how many, and the first (the run's section lists them all)
  const regressions = result.comparison === undefined ? [] : regressionsOf(result.comparison);
  if (regressions.length > 0) {
    const first = comparisonRow(regressions[0]!);
    const more = regressions.length > 1 ? ` and ${formatCount(regressions.length - 1)} more` : '';
    items.push({ cls: 'fail', state: plural(regressions.length, 'regression'), text: `against ${result.comparison!.baselineFile}: ${first.scope} ${first.metric} ${first.baseline} → ${first.current} (${first.change})${more}` });
  }
  if (items.length === 0) return null;
  return { id: run.id, name: run.name, label: run.label, items };
}

function summaryRow(result: Result, run: RunView): SummaryRow {
  const counts = countChecks(result.targets);
  return {
    id: run.id,
    number: run.number,
    name: result.profile.name,
    label: run.label,
    meta: metaText(result),
    source: sourceText(result.profile.source),
    baseUrl: result.baseUrl,
    git: gitText(result.environment.git),
    verdict: run.verdict,
    why: `${summariseChecks(result)}${result.status === 'completed' ? '' : ` (run ${result.status})`}`,
    startedDay: formatDate(result.startedAt).slice(0, 10),
    startedTime: formatDate(result.startedAt).slice(11),
    requests: formatCount(result.totals.requests),
    p95: formatMs(result.totals.latencyMs.p95),
    p99: formatMs(result.totals.latencyMs.p99),
    errorRate: formatPercent(result.totals.errorRate),
    checks: result.targets.length === 0 ? MISSING : `${formatCount(counts.passed)} / ${formatCount(result.targets.length)}`,
    checksNote: counts.uncertain === 0 ? '' : `${formatCount(counts.uncertain)} uncertain`,
  };
}

export function buildReportView(results: Result[]): ReportView {
  if (results.length === 0) throw new Error('renderHtml needs at least one result');
  const runs = results.map((r, i) => runView(r, i, results.length));
  const generator = `perfctl ${results[0]!.tool.version}`;
  if (results.length === 1) {
    const run = runs[0]!;
    return { title: `perfctl report: ${run.name}${run.label === '' ? '' : ` (${run.label})`} — ${run.verdict.label}`, generator, overall: null, runs };
  }
  const verdict = overallVerdict(results);
  const starts = results.map((r) => r.startedAt).sort();
  const ends = results.map((r) => r.endedAt).sort();
  return {
    title: `perfctl release sign-off: ${results.length} runs — ${verdict.label}`,
    generator,
    overall: {
      verdict,
      runs: runs.map((r) => (r.label === '' ? r.name : `${r.name} (${r.label})`)).join(', '),
      period: `${formatDate(starts[0]!)} – ${formatDate(ends[ends.length - 1]!)}`,
      summary: results.map((r, i) => summaryRow(r, runs[i]!)),
      attention: results.map((r, i) => attentionOf(r, runs[i]!)).filter((a): a is AttentionView => a !== null),
      signature: ['Signed off by', 'Role', 'Date', 'Decision (release / hold)'],
    },
    runs,
  };
}
