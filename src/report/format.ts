// Shared number and check formatting for every report, so terminal, JUnit, Markdown (and HTML)
// print the same values the same way. Pure; reads finished Result data only.
import type { LoadModel } from '../config/types.js';
import type { ComparisonEntry, Result, TargetCheckResult, Verdict } from '../result/types.js';
import { formatCheck, stateOf } from '../judge/checks.js';
import { formatAgainst, formatChange, formatLimitValue as limitValue, formatMeasured } from '../judge/numbers.js';

const trimZeros = (text: string): string => (text.includes('.') ? text.replace(/\.?0+$/, '') : text);

// the one number formatter (src/judge/numbers.ts) serves every report
export { formatChange, formatMs, formatPercent, formatRps } from '../judge/numbers.js';

/**
 * Whether the run's error figure is shown as bad: failed requests are never shown as a success
 * unless an error-rate check judged them within its limit (one beyond its limit, warn or fail, keeps
 * them bad).
 */
export function errorsAreBad(result: Pick<Result, 'totals' | 'targets'>): boolean {
  if (result.totals.errors === 0) return false;
  const rateChecks = (result.targets ?? []).filter((check) => check.metric === 'errorRate');
  if (rateChecks.some((check) => stateOf(check) === 'fail')) return true;
  return !rateChecks.some((check) => stateOf(check) === 'pass');
}

/** The unit a compared metric is shown in. */
export function comparisonUnit(metric: ComparisonEntry['metric']): TargetCheckResult['unit'] {
  return metric === 'rps' ? 'rps' : metric === 'errorRate' ? 'ratio' : 'ms';
}

/** A comparison change: relative for latency and throughput, percentage points for error rate. */
export function formatComparisonChange(entry: Pick<ComparisonEntry, 'metric' | 'change'>): string {
  if (!Number.isFinite(entry.change)) return 'n/a';
  if (entry.metric === 'errorRate') return `${entry.change >= 0 ? '+' : ''}${(entry.change * 100).toFixed(2)} pp`;
  return formatChange(entry.change);
}

/** A limit as written in a target table: 200 ms, 1%, 500/s (no trailing zeros). */
function formatLimitValue(check: Pick<TargetCheckResult, 'unit' | 'limit'>): string {
  return limitValue(check.unit, check.limit);
}

/** A measured value with its unit: 23.4 ms, 0.10%, 498.2/s; `n/a` when nothing was measured. */
export function formatValue(unit: TargetCheckResult['unit'], value: number | null): string {
  return formatMeasured(unit, value);
}

/** `< 200 ms` for latencies and error rates (must stay below), `≥ 500/s` for throughput, `≤ 5m` for a recovery time. */
export function formatLimit(check: Pick<TargetCheckResult, 'unit' | 'limit'> & { metric?: string }): string {
  if (check.metric === 'recovery') return `≤ ${formatDuration(check.limit)}`;
  return `${check.unit === 'rps' || check.unit === 'level' ? '≥' : '<'} ${formatLimitValue(check)}`;
}

export function formatActual(check: TargetCheckResult): string {
  if (check.metric === 'recovery' && check.actual !== null) return formatDuration(check.actual);
  if (check.metric === 'recovery') return 'not recovered';
  // never shown rounded onto its limit
  return formatAgainst(check.unit, check.actual, check.limit);
}

/** The 95% bound of a check, when it has one: `≤ 25.1 ms`. */
export function formatBound(check: TargetCheckResult): string {
  if (check.bound === undefined) return '';
  if (check.bound === null) return 'none yet';
  return formatMeasured(check.unit, check.bound);
}

/** One set of words for a check's state in every report (a missed warning limit is WARN). */
export type CheckOutcome = 'PASS' | 'FAIL' | 'UNCERTAIN' | 'WARN';

export function checkOutcome(check: TargetCheckResult): CheckOutcome {
  const state = stateOf(check);
  if (state === 'uncertain') return 'UNCERTAIN';
  if (state === 'pass') return 'PASS';
  return check.severity === 'warn' ? 'WARN' : 'FAIL';
}

/** The name of a check as CI lists it: `User Authentication: p95 < 200 ms`. */
export function checkName(check: TargetCheckResult): string {
  return `${check.row}: ${check.metric} ${formatLimit(check)}`;
}

/**
 * What a check found, e.g. `p95 234.1 ms > 200 ms`: the message the target evaluator put on the
 * check, or the evaluator's own formatting of it, so every report words a check the same way.
 */
export function describeCheck(check: TargetCheckResult): string {
  return check.message ?? formatCheck(check);
}

export interface CheckCounts {
  total: number;
  passed: number;
  failed: number;
  uncertain: number;
  warned: number;
}

export function countChecks(checks: TargetCheckResult[]): CheckCounts {
  const counts: CheckCounts = { total: checks.length, passed: 0, failed: 0, uncertain: 0, warned: 0 };
  for (const check of checks) {
    const outcome = checkOutcome(check);
    if (outcome === 'PASS') counts.passed++;
    else if (outcome === 'FAIL') counts.failed++;
    else if (outcome === 'UNCERTAIN') counts.uncertain++;
    else counts.warned++;
  }
  return counts;
}

/** One clause on the checks (and regressions) of a run: `all 9 checks passed`, `2 of 9 checks failed`. */
export function summariseChecks(result: Result): string {
  const counts = countChecks(result.targets);
  const parts: string[] = [];
  if (counts.total === 0) parts.push('no targets');
  else if (counts.passed === counts.total) parts.push(counts.total === 1 ? 'the 1 check passed' : `all ${counts.total} checks passed`);
  else {
    if (counts.failed > 0) parts.push(`${counts.failed} of ${counts.total} checks failed`);
    if (counts.uncertain > 0) parts.push(`${counts.uncertain} of ${counts.total} checks ${counts.uncertain === 1 ? 'is' : 'are'} uncertain`);
    if (counts.warned > 0) parts.push(`${counts.warned} of ${counts.total} missed a warning limit`);
  }
  if (result.comparison) {
    const n = result.comparison.regressions;
    // the verdict line names the baseline it was compared with
    parts.push(`${n === 0 ? 'no regression' : `${n} regression${n === 1 ? '' : 's'}`} against ${result.comparison.baselineFile}`);
  }
  return parts.join(', ');
}

export { overallVerdict } from '../judge/verdict.js';

/** Elapsed time as mm:ss, or h:mm:ss from one hour. */
export function formatClock(ms: number): string {
  const totalSeconds = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const mm = String(minutes).padStart(2, '0');
  const ss = String(seconds).padStart(2, '0');
  return hours > 0 ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** A duration for prose: 45 s, 2m 30s, 1h 5m. */
export function formatDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 60) return `${trimZeros(seconds.toFixed(1))} s`;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  return s > 0 ? `${m}m ${s}s` : `${m}m`;
}

/** What drove the run, as every report's headline says it: `open model`, `closed model`, or `2 scenarios` (each has its own model). */
export function describeLoad(result: Pick<Result, 'profile' | 'scenarios'>): string {
  const scenarios = Object.keys(result.scenarios ?? {}).length;
  if (scenarios > 0) return `${scenarios} scenario${scenarios === 1 ? '' : 's'}`;
  return `${result.profile.model} model`;
}

/** An open level's unit: `/s` where the table is narrow (terminal), ` req/s` in prose. */
export type OpenLevelUnit = '/s' | ' req/s';

/**
 * A planned level in its model's unit, the word the README and SPEC use: `200 users` (closed: the
 * `vus` of a stage), `500/s` (open: arrivals per second); a ramp `0 → 200 users`.
 */
export function formatLevel(model: LoadModel, to: number, from: number = to, openUnit: OpenLevelUnit = '/s'): string {
  const level = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  const unit = model === 'open' ? openUnit : ' users';
  return from === to ? `${level(to)}${unit}` : `${level(from)} → ${level(to)}${unit}`;
}

/** Keys of a count map sorted by count, largest first, zero counts left out. */
export function sortedCounts(counts: Record<string, number>): Array<[string, number]> {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** What a check judged beyond its row's requests: its phase, its scenario, or a scenario's stage ('' for the whole run). */
export function checkScope(check: Pick<TargetCheckResult, 'phase' | 'scenario'>): string {
  if (check.scenario !== undefined) return check.phase ? `${check.scenario}/${check.phase}` : check.scenario;
  return check.phase ?? '';
}
