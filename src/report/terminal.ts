// Terminal output: the live progress line and the end-of-run tables. The only module that uses
// cli-table3; colours through a chalk instance that is a no-op when colour is off.
import chalk, { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { LoadModel } from '../config/types.js';
import type { ProgressSnapshot } from '../observers/progress-line.js';
import type { Result, StatsBlock, TargetCheckResult, Verdict } from '../result/types.js';
import {
  checkOutcome,
  formatActual,
  formatBound,
  comparisonUnit,
  formatComparisonChange,
  formatClock,
  formatDuration,
  formatLimit,
  formatMs,
  formatPercent,
  formatRps,
  formatValue,
  sortedCounts,
  summariseChecks,
  type CheckOutcome,
} from './format.js';
import { analysisFindings, breakingSteps, type FindingTone } from './analysis-text.js';
import { protocolRows } from './protocol-text.js';
import { describeCounts, describeUnmatched, regressionsOf } from '../compare/comparison-view.js';

export interface TerminalOptions {
  color: boolean;
}

// the live line's snapshot is the observer's (the lower layer owns the type)
export type { ProgressSnapshot } from '../observers/progress-line.js';

function palette(opts: TerminalOptions): ChalkInstance {
  return new Chalk({ level: opts.color ? (chalk.level > 0 ? chalk.level : 1) : 0 });
}

/** Names come from profiles: never let them carry control characters to the terminal. */
export const plain = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

/** A table whose columns from `numericFrom` on (up to `numericTo`, exclusive) are right-aligned. */
function table(c: ChalkInstance, head: string[], numericFrom: number, numericTo = head.length): Table.Table {
  return new Table({
    head: head.map((h) => c.bold(h)),
    colAligns: head.map((_, i) => (i >= numericFrom && i < numericTo ? 'right' : 'left')),
    style: { head: [], border: [] },
  });
}

/** A table without colour for the other text reports (comparison, history): cli-table3 stays here. */
export function plainTable(head: string[], align: Array<'left' | 'right'>, rows: string[][]): string {
  const t = new Table({ head, colAligns: align, style: { head: [], border: [] } });
  for (const row of rows) t.push(row.map(plain));
  return t.toString();
}

function formatLevel(level: number, model: LoadModel): string {
  const value = Number.isInteger(level) ? String(level) : level.toFixed(1);
  return model === 'open' ? `${value}/s` : `${value} VUs`;
}

/** `[00:12/01:00] spike  level 400/s  rps 398  p95 12.3 ms  errors 0 (0.00%)` */
export function renderProgressLine(p: ProgressSnapshot, opts: TerminalOptions): string {
  const c = palette(opts);
  const rate = p.requests === 0 ? 0 : p.errors / p.requests;
  const errors = `errors ${p.errors} (${formatPercent(rate)})`;
  return [
    c.dim(`[${formatClock(p.elapsedMs)}/${formatClock(p.totalMs)}]`),
    c.cyan(plain(p.stage)),
    `level ${formatLevel(p.level, p.model)}`,
    `rps ${Math.round(p.rps)}`,
    `p95 ${formatMs(p.p95Ms)} ms`,
    p.errors > 0 ? c.red(errors) : errors,
  ].join('  ');
}

function verdictMark(verdict: Verdict, c: ChalkInstance): string {
  switch (verdict) {
    case 'pass':
      return c.green.bold('✔ PASS');
    case 'fail':
      return c.red.bold('✖ FAIL');
    case 'inconclusive':
      return c.yellow.bold('⚠ INCONCLUSIVE');
    case 'warn':
      return amber(c).bold('▲ WARN');
    case 'none':
      return c.bold('○ NONE');
  }
}

/** Amber: warning-level limits missed (yellow where only 16 colours are known). */
function amber(c: ChalkInstance): ChalkInstance {
  return c.level >= 2 ? c.hex('#ffb000') : c.yellow;
}

/** `✔ PASS  spike  12000 requests, p95 23.4 ms, 0.10% errors — all 9 checks passed` */
export function renderVerdictLine(result: Result, opts: TerminalOptions): string {
  const c = palette(opts);
  const t = result.totals;
  const name = plain(result.profile.name) + (result.status === 'completed' ? '' : ` (${result.status})`);
  const errors = `${formatPercent(t.errorRate)} errors`;
  // failed requests are never shown as a success, whatever the targets said (or with none)
  const numbers = `${t.requests} requests, p95 ${formatMs(t.latencyMs.p95)} ms, ${t.errors > 0 ? c.red.bold(errors) : errors}`;
  const why = result.verdict === 'pass' || !result.reason ? summariseChecks(result) : plain(result.reason);
  return `${verdictMark(result.verdict, c)}  ${c.bold(name)}  ${numbers} — ${why}`;
}

function statsRow(name: string, s: StatsBlock, c: ChalkInstance): string[] {
  const errors = String(s.errors);
  const rate = formatPercent(s.errorRate);
  return [
    name,
    String(s.requests),
    formatRps(s.rps),
    s.errors > 0 ? c.red(errors) : errors,
    s.errors > 0 ? c.red(rate) : rate,
    formatMs(s.latencyMs.p50),
    formatMs(s.latencyMs.p95),
    formatMs(s.latencyMs.p99),
    formatMs(s.latencyMs.max),
  ];
}

function renderRequests(result: Result, c: ChalkInstance): string {
  const t = table(c, ['request', 'requests', 'rps', 'errors', 'error %', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'], 1);
  for (const [name, stats] of Object.entries(result.groups)) t.push(statsRow(plain(name), stats, c));
  t.push(statsRow('TOTAL', result.totals, c).map((cell) => c.bold(cell)));
  const lines = [c.bold('Requests'), t.toString()];
  const service = result.totals.serviceTimeMs;
  if (service) {
    lines.push(
      c.dim(
        `service time (from the actual send): p50 ${formatMs(service.p50)} ms, p95 ${formatMs(service.p95)} ms, p99 ${formatMs(service.p99)} ms`,
      ),
    );
  }
  return lines.join('\n');
}

/** WebSocket messages, SSE events and HTTP versions per group, when the run used any */
function renderProtocols(result: Result, c: ChalkInstance): string | null {
  const rows = protocolRows(result.groups);
  if (rows.length === 0) return null;
  const t = table(c, ['request', 'protocol', 'sent', 'received', 'closed by server'], 2, 4);
  for (const row of rows) t.push([plain(row.group), row.protocol, row.sent === null ? '' : String(row.sent), row.received === null ? '' : String(row.received), row.closes]);
  return [c.bold('Protocols'), t.toString(), c.dim('sent/received: WebSocket messages (received counts every message, broadcasts too); SSE: events')].join('\n');
}

function renderPhases(result: Result, c: ChalkInstance): string {
  const t = table(c, ['phase', 'window', 'requests', 'rps', 'errors', 'p95 ms', 'p99 ms'], 2);
  for (const p of result.phases) {
    const errors = p.errors > 0 ? c.red(`${p.errors} (${formatPercent(p.errorRate)})`) : '0';
    t.push([
      plain(p.name),
      `${formatClock(p.startMs)}–${formatClock(p.endMs)}`,
      String(p.requests),
      formatRps(p.rps),
      errors,
      formatMs(p.latencyMs.p95),
      formatMs(p.latencyMs.p99),
    ]);
  }
  return [c.bold('Phases'), t.toString()].join('\n');
}

function colourOutcome(outcome: CheckOutcome, c: ChalkInstance): string {
  switch (outcome) {
    case 'PASS':
      return c.green(outcome);
    case 'FAIL':
      return c.red.bold(outcome);
    case 'UNCERTAIN':
      return c.yellow(outcome);
    case 'WARN':
      return amber(c).bold(outcome);
  }
}

function renderChecks(checks: TargetCheckResult[], c: ChalkInstance): string {
  const t = table(c, ['target', 'metric', 'limit', 'actual', 'samples', '95% bound', 'result'], 2, 6);
  for (const check of checks) {
    const row = check.phase ? `${plain(check.row)} (${plain(check.phase)})` : plain(check.row);
    const severity = check.severity === 'warn' ? ' (warn)' : '';
    t.push([
      row,
      plain(check.metric),
      `${formatLimit(check)}${severity}`,
      formatActual(check),
      check.samples === undefined ? '' : String(check.samples),
      formatBound(check),
      colourOutcome(checkOutcome(check), c),
    ]);
  }
  return [c.bold('Target checks'), t.toString()].join('\n');
}

function renderErrors(result: Result, c: ChalkInstance): string {
  const kinds = table(c, ['error kind', 'count'], 1);
  for (const [kind, n] of sortedCounts(result.totals.errorKinds)) kinds.push([plain(kind), String(n)]);
  const codes = table(c, ['status', 'count'], 1);
  for (const [code, n] of sortedCounts(result.totals.statusCodes)) codes.push([plain(code), String(n)]);
  const parts = [c.bold('Errors'), kinds.toString()];
  if (codes.length > 0) parts.push(codes.toString());
  return parts.join('\n');
}

/** The regressions (each with why), then how many entries were within noise, ok or not judged. */
function renderRegressions(result: Result, c: ChalkInstance): string | null {
  const comparison = result.comparison;
  if (!comparison) return null;
  const regressions = regressionsOf(comparison);
  const title = c.bold(`Baseline comparison (${plain(comparison.baselineFile)})`);
  const counts = `${describeCounts(comparison)}; compare ${plain(comparison.baselineFile)} with this result.json for every entry`;
  const unmatched = describeUnmatched(comparison);
  const tail = [counts, ...(unmatched ? [plain(unmatched)] : [])].map((line) => `  ${line}`);
  if (regressions.length === 0) return [`${title}: ${c.green('no regression')}`, ...tail].join('\n');
  const t = table(c, ['scope', 'metric', 'baseline', 'current', 'change'], 2);
  for (const e of regressions) {
    const unit = comparisonUnit(e.metric);
    t.push([plain(e.scope), e.metric, formatValue(unit, e.baseline), formatValue(unit, e.current), c.red(formatComparisonChange(e))]);
  }
  const why = regressions.map((e) => `  ${plain(e.scope)} ${e.metric}: ${plain(e.note ?? '')}`);
  return [title, t.toString(), ...why, ...tail].join('\n');
}

function toneOf(tone: FindingTone, c: ChalkInstance): (text: string) => string {
  return tone === 'good' ? c.green : tone === 'bad' ? c.red : (text: string) => text;
}

/** The profile verdicts: one line per analysis, and the staircase's steps. */
function renderAnalysis(result: Result, c: ChalkInstance): string | null {
  const findings = analysisFindings(result);
  if (findings.length === 0) return null;
  const lines = [c.bold('Analysis'), ...findings.map((f) => `  ${toneOf(f.tone, c)(`${f.title}:`)} ${plain(f.text)}`)];
  const steps = breakingSteps(result);
  if (steps.length > 0) {
    const t = table(c, ['step', 'level', 'rps', 'result', 'broken by'], 1, 3);
    for (const step of steps) {
      const label = step.mark === 'first-broken' ? `${step.result} ← breaking point` : step.mark === 'last-good' ? `${step.result} ← last good` : step.result;
      t.push([plain(step.phase), step.level, step.rps, step.result === 'broken' ? c.red(label) : label, plain(step.detail)]);
    }
    lines.push(t.toString());
  }
  return lines.join('\n');
}

/** Everything printed at the end of a run, the verdict line last. */
export function renderSummary(result: Result, opts: TerminalOptions): string {
  const c = palette(opts);
  const model = result.profile.model === 'open' ? 'open model' : 'closed model';
  const header = `${c.bold(plain(result.profile.name))} — ${model}, ${formatDuration(result.durationMs)} against ${plain(result.baseUrl)}`;
  const sections: string[] = [header, renderRequests(result, c)];
  const protocols = renderProtocols(result, c);
  if (protocols) sections.push(protocols);
  if (result.phases.length > 0) sections.push(renderPhases(result, c));
  if (result.targets.length > 0) sections.push(renderChecks(result.targets, c));
  const analysis = renderAnalysis(result, c);
  if (analysis) sections.push(analysis);
  if (result.totals.errors > 0) sections.push(renderErrors(result, c));
  const regressions = renderRegressions(result, c);
  if (regressions) sections.push(regressions);
  sections.push(renderVerdictLine(result, opts));
  return sections.join('\n\n') + '\n';
}
