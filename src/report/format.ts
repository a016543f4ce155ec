// Shared number and check formatting for every report, so terminal, JUnit, Markdown (and HTML)
// print the same values the same way. Pure; reads finished Result data only.
import type { ComparisonEntry, Result, TargetCheckResult, Verdict } from '../result/types.js';
import { formatCheck } from '../judge/checks.js';

const trimZeros = (text: string): string => (text.includes('.') ? text.replace(/\.?0+$/, '') : text);

/** A latency in ms with sensible precision: 0.512, 4.27, 23.4, 234.1, 1234. */
export function formatMs(ms: number): string {
  const abs = Math.abs(ms);
  if (abs === 0) return '0';
  if (abs < 1) return ms.toFixed(3);
  if (abs < 10) return ms.toFixed(2);
  if (abs < 1000) return ms.toFixed(1);
  return ms.toFixed(0);
}

/** Requests per second: 0.25, 4.50, 98.7, 1234. */
export function formatRps(rps: number): string {
  const abs = Math.abs(rps);
  if (abs === 0) return '0';
  if (abs < 10) return rps.toFixed(2);
  if (abs < 1000) return rps.toFixed(1);
  return rps.toFixed(0);
}

/** A ratio as a percentage with two decimals; a non-zero rate never shows as 0.00%. */
export function formatPercent(ratio: number): string {
  if (ratio > 0 && ratio < 0.00005) return '<0.01%';
  return `${(ratio * 100).toFixed(2)}%`;
}

/** A signed relative change: +12.3%, -4.0%. */
export function formatChange(change: number): string {
  const pct = change * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
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
  switch (check.unit) {
    case 'ms':
      return `${trimZeros(check.limit.toFixed(3))} ms`;
    case 'ratio':
      return `${trimZeros((check.limit * 100).toFixed(4))}%`;
    case 'rps':
      return `${trimZeros(check.limit.toFixed(2))}/s`;
  }
}

/** A measured value with its unit: 23.4 ms, 0.10%, 498.2/s; `n/a` when nothing was measured. */
export function formatValue(unit: TargetCheckResult['unit'], value: number | null): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  switch (unit) {
    case 'ms':
      return `${formatMs(value)} ms`;
    case 'ratio':
      return formatPercent(value);
    case 'rps':
      return `${formatRps(value)}/s`;
  }
}

/** `< 200 ms` for latencies and error rates (must stay below), `≥ 500/s` for throughput, `≤ 5m` for a recovery time. */
export function formatLimit(check: Pick<TargetCheckResult, 'unit' | 'limit'> & { metric?: string }): string {
  if (check.metric === 'recovery') return `≤ ${formatDuration(check.limit)}`;
  return `${check.unit === 'rps' ? '≥' : '<'} ${formatLimitValue(check)}`;
}

export function formatActual(check: TargetCheckResult): string {
  if (check.metric === 'recovery' && check.actual !== null) return formatDuration(check.actual);
  if (check.metric === 'recovery') return 'not recovered';
  return formatValue(check.unit, check.actual);
}

export type CheckOutcome = 'PASS' | 'FAIL' | 'INSUFFICIENT';

export function checkOutcome(check: TargetCheckResult): CheckOutcome {
  if (check.insufficient) return 'INSUFFICIENT';
  return check.pass ? 'PASS' : 'FAIL';
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
  insufficient: number;
}

export function countChecks(checks: TargetCheckResult[]): CheckCounts {
  const insufficient = checks.filter((c) => c.insufficient).length;
  const passed = checks.filter((c) => c.pass && !c.insufficient).length;
  return { total: checks.length, passed, failed: checks.length - passed - insufficient, insufficient };
}

/** One clause on the checks (and regressions) of a run: `all 9 checks passed`, `2 of 9 checks failed`. */
export function summariseChecks(result: Result): string {
  const counts = countChecks(result.targets);
  const parts: string[] = [];
  if (counts.total === 0) parts.push('no target checks');
  else if (counts.passed === counts.total) parts.push(counts.total === 1 ? 'the 1 check passed' : `all ${counts.total} checks passed`);
  else {
    if (counts.failed > 0) parts.push(`${counts.failed} of ${counts.total} checks failed`);
    if (counts.insufficient > 0) parts.push(`${counts.insufficient} of ${counts.total} checks had too few samples`);
  }
  if (result.comparison) {
    const n = result.comparison.regressions;
    // the verdict line names the baseline it was compared with
    parts.push(`${n === 0 ? 'no regression' : `${n} regression${n === 1 ? '' : 's'}`} against ${result.comparison.baselineFile}`);
  }
  return parts.join(', ');
}

/** The worst verdict of several results: any fail fails, then any inconclusive. */
export function overallVerdict(results: Result[]): Verdict {
  if (results.some((r) => r.verdict === 'fail')) return 'fail';
  if (results.some((r) => r.verdict === 'inconclusive')) return 'inconclusive';
  return 'pass';
}

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

/** Keys of a count map sorted by count, largest first, zero counts left out. */
export function sortedCounts(counts: Record<string, number>): Array<[string, number]> {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
