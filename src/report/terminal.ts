// Terminal output: the live progress line and the end-of-run tables. The only module that uses
// cli-table3; colours through a chalk instance that is a no-op when colour is off.
import chalk, { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { LoadModel, StageSpec } from '../config/types.js';
import type { ProgressSnapshot } from '../observers/progress-line.js';
import type { PhaseStats, Result, StatsBlock, TargetCheckResult, Verdict } from '../result/types.js';
import {
  checkScope,
  checkOutcome,
  formatActual,
  formatBound,
  comparisonUnit,
  describeLoad,
  formatComparisonChange,
  formatClock,
  formatDuration,
  formatLevel,
  formatLimit,
  formatMs,
  formatPercent,
  formatRps,
  formatValue,
  sortedCounts,
  summariseChecks,
  type CheckOutcome,
  errorsAreBad,
} from './format.js';
import { analysisFindings, breakingSteps, type FindingTone } from './analysis-text.js';
import { protocolRows } from './protocol-text.js';
import { requestRows } from './request-rows.js';
import { hasScenarioGroups, phaseGroups, type PhaseGroup } from './phase-groups.js';
import { describeCounts, describeUnmatched, regressionsOf } from '../compare/comparison-view.js';

export interface TerminalOptions {
  color: boolean;
  /** the terminal's width, when known: a wider one than 80 columns gets wider tables */
  width?: number;
}

/** The width the end-of-run tables fit: 80 columns, or the terminal's when it is wider. */
function tableWidth(opts: TerminalOptions): number {
  return Math.max(TABLE_WIDTH, opts.width ?? TABLE_WIDTH);
}

// the live line's snapshot is the observer's (the lower layer owns the type)
export type { ProgressSnapshot } from '../observers/progress-line.js';

function palette(opts: TerminalOptions): ChalkInstance {
  return new Chalk({ level: opts.color ? (chalk.level > 0 ? chalk.level : 1) : 0 });
}

/** Names come from profiles: never let them carry control characters to the terminal. */
export const plain = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

/** The width the end-of-run tables fit in: a terminal's traditional 80 columns. */
export const TABLE_WIDTH = 80;

const visible = (text: string): number => text.replace(/\u001b\[[0-9;]*m/g, '').length;
const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');

/** Cuts a word longer than `width` at a hyphen, slash or dot when it can, else where it must. */
function breakWord(word: string, width: number): string[] {
  const parts: string[] = [];
  let rest = word;
  while (rest.length > width) {
    const window = rest.slice(0, width);
    const at = Math.max(window.lastIndexOf('-'), window.lastIndexOf('/'), window.lastIndexOf('.'), window.lastIndexOf('_'));
    const cut = at >= Math.floor(width / 2) ? at + 1 : width;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest !== '') parts.push(rest);
  return parts;
}

/** Text wrapped to `width` at spaces (long words cut by breakWord); a cell that fits keeps its colour. */
export function wrapCell(text: string, width: number): string {
  if (text.split('\n').every((line) => visible(line) <= width)) return text;
  const lines: string[] = [];
  for (const paragraph of stripAnsi(text).split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter((w) => w !== '').flatMap((w) => breakWord(w, width))) {
      if (line === '') line = word;
      else if (line.length + 1 + word.length <= width) line += ` ${word}`;
      else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  return lines.join('\n');
}

const longestWord = (text: string): number => Math.max(0, ...stripAnsi(text).split(/\s+/).map((w) => w.length));

/**
 * Content widths that make the table fit `maxWidth` (borders and padding included), or null when it
 * fits as it is. Every column gives way first down to its longest word (a header wraps at its
 * space: "p95" over "ms"), the widest first; then, only if it must, a text column's words are cut.
 */
export function fitColumnWidths(rows: string[][], numeric: boolean[], maxWidth = TABLE_WIDTH): number[] | null {
  const n = numeric.length;
  const natural = Array.from({ length: n }, (_, i) => Math.max(1, ...rows.map((r) => Math.max(...(r[i] ?? '').split('\n').map(visible)))));
  const frame = 3 * n + 1; // a border before each column and after the last, one space either side
  if (natural.reduce((a, b) => a + b, 0) + frame <= maxWidth) return null;
  const widths = [...natural];
  const shrink = (floor: (i: number) => number): void => {
    let excess = widths.reduce((a, b) => a + b, 0) + frame - maxWidth;
    while (excess > 0) {
      let widest = -1;
      for (let i = 0; i < n; i++) if (widths[i]! > floor(i) && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
      if (widest < 0) return;
      widths[widest]!--;
      excess--;
    }
  };
  const words = natural.map((w, i) => Math.min(w, Math.max(1, ...rows.map((r) => longestWord(r[i] ?? '')))));
  // text columns give way before numbers, then headers wrap ("p95" over "ms"), then numbers
  // wrap at a space ("< 150" over "ms"), and words are cut last
  const data = Array.from({ length: n }, (_, i) => Math.max(words[i]!, 1, ...rows.slice(1).map((r) => Math.max(...(r[i] ?? '').split('\n').map(visible)))));
  shrink((i) => (numeric[i] ? natural[i]! : words[i]!));
  shrink((i) => (numeric[i] ? Math.min(natural[i]!, data[i]!) : words[i]!));
  shrink((i) => words[i]!);
  shrink((i) => (numeric[i] ? words[i]! : Math.min(words[i]!, 8)));
  return widths;
}

/**
 * A table whose columns from `numericFrom` on (up to `numericTo`, exclusive) are right-aligned,
 * wrapped by column (never by the terminal, character by character) to fit TABLE_WIDTH.
 */
function tableText(c: ChalkInstance, width: number, head: string[], rows: string[][], numericFrom: number, numericTo = head.length): string {
  const numeric = head.map((_, i) => i >= numericFrom && i < numericTo);
  const widths = fitColumnWidths([head, ...rows], numeric, width);
  const fit = (cells: string[]): string[] => (widths === null ? cells : cells.map((cell, i) => wrapCell(cell, widths[i]!)));
  const t = new Table({
    head: fit(head).map((h) => c.bold(h)),
    colAligns: numeric.map((right) => (right ? 'right' : 'left')),
    style: { head: [], border: [] },
    ...(widths === null ? {} : { colWidths: widths.map((w) => w + 2) }),
  });
  for (const row of rows) t.push(fit(row));
  return t.toString();
}

/**
 * tableText's table in groups of rows, each group under a heading row across the whole table
 * (null: no heading); the columns are fitted over every group's rows at once, so they line up.
 */
function groupedTableText(c: ChalkInstance, width: number, head: string[], groups: Array<{ title: string | null; rows: string[][] }>, numericFrom: number): string {
  const numeric = head.map((_, i) => i >= numericFrom);
  const all = [head, ...groups.flatMap((g) => g.rows)];
  // fixed widths even when it fits: a heading across the columns must never widen them
  const widths = fitColumnWidths(all, numeric, width) ?? head.map((_, i) => Math.max(1, ...all.map((r) => Math.max(...(r[i] ?? '').split('\n').map(visible)))));
  const across = widths.reduce((a, b) => a + b, 0) + 3 * (widths.length - 1);
  const fit = (cells: string[]): string[] => cells.map((cell, i) => wrapCell(cell, widths[i]!));
  const t = new Table({
    head: fit(head).map((h) => c.bold(h)),
    colAligns: numeric.map((right) => (right ? 'right' : 'left')),
    style: { head: [], border: [] },
    colWidths: widths.map((w) => w + 2),
  });
  for (const group of groups) {
    if (group.title !== null) t.push([{ colSpan: head.length, content: c.bold(wrapCell(group.title, across)) }]);
    for (const row of group.rows) t.push(fit(row));
  }
  return t.toString();
}

/** A table without colour for the other text reports (comparison, history): cli-table3 stays here. */
export function plainTable(head: string[], align: Array<'left' | 'right'>, rows: string[][]): string {
  const cells = rows.map((row) => row.map(plain));
  const widths = fitColumnWidths([head, ...cells], align.map((a) => a === 'right'));
  const fit = (row: string[]): string[] => (widths === null ? row : row.map((cell, i) => wrapCell(cell, widths[i]!)));
  const t = new Table({ head: fit(head), colAligns: align, style: { head: [], border: [] }, ...(widths === null ? {} : { colWidths: widths.map((w) => w + 2) }) });
  for (const row of cells) t.push(fit(row));
  return t.toString();
}

/** `[00:12/01:00] spike  level 400/s  rps 398  p95 12.3 ms  errors 0 (0.00%)` */
export function renderProgressLine(p: ProgressSnapshot, opts: TerminalOptions): string {
  const c = palette(opts);
  const rate = p.requests === 0 ? 0 : p.errors / p.requests;
  const errors = `errors ${p.errors} (${formatPercent(rate)})`;
  // scenarios: each one's stage and level (`browsing hold 100 users · login-wave wave 500/s`)
  const shape = p.scenarios
    ? [p.scenarios.map((s) => `${c.cyan(plain(s.name))} ${plain(s.stage)} ${formatLevel(s.model, s.level)}`).join(c.dim(' · '))]
    : [c.cyan(plain(p.stage)), `level ${formatLevel(p.model, p.level)}`];
  return [
    c.dim(`[${formatClock(p.elapsedMs)}/${formatClock(p.totalMs)}]`),
    ...shape,
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

/** `spike · rc-1`: the label tells two runs of one profile apart */
function runName(result: Result): string {
  const label = result.run?.label;
  return plain(result.profile.name) + (label ? ` · ${plain(label)}` : '');
}

/** `✔ PASS  spike  12000 requests, p95 23.4 ms, 0.10% errors — all 9 checks passed` */
export function renderVerdictLine(result: Result, opts: TerminalOptions): string {
  const c = palette(opts);
  const t = result.totals;
  const name = runName(result) + (result.status === 'completed' ? '' : ` (${result.status})`);
  const errors = `${formatPercent(t.errorRate)} errors`;
  const numbers = `${t.requests} requests, p95 ${formatMs(t.latencyMs.p95)} ms, ${errorsAreBad(result) ? c.red.bold(errors) : errors}`;
  const why = result.verdict === 'pass' || !result.reason ? summariseChecks(result) : plain(result.reason);
  return `${verdictMark(result.verdict, c)}  ${c.bold(name)}  ${numbers} — ${why}`;
}

/** A request row; errors as `4 (0.10%)`, one column, so that the table fits 80 columns. */
function statsRow(name: string, s: StatsBlock, c: ChalkInstance): string[] {
  const errors = s.errors === 0 ? '0' : `${s.errors} (${formatPercent(s.errorRate)})`;
  return [
    name,
    String(s.requests),
    formatRps(s.rps),
    s.errors > 0 ? c.red(errors) : errors,
    formatMs(s.latencyMs.p50),
    formatMs(s.latencyMs.p95),
    formatMs(s.latencyMs.p99),
    formatMs(s.latencyMs.max),
  ];
}

function renderRequests(result: Result, c: ChalkInstance, width: number): string {
  // a flow's own row (whole iterations) first, its steps indented under it
  const rows = requestRows(result).map((row) => statsRow(row.kind === 'step' ? `  ${plain(row.name)}` : row.kind === 'flow' ? `${plain(row.name)} (flow)` : plain(row.name), row.stats, c));
  rows.push(statsRow('TOTAL', result.totals, c).map((cell) => c.bold(cell)));
  const lines = [c.bold('Requests'), tableText(c, width, ['request', 'requests', 'rps', 'errors', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'], rows, 1)];
  const service = result.totals.serviceTimeMs;
  if (service) {
    lines.push(
      c.dim(
        `service time (from the actual send): p50 ${formatMs(service.p50)} ms, p95 ${formatMs(service.p95)} ms, p99 ${formatMs(service.p99)} ms`,
      ),
    );
  }
  const own = result.generator?.cpu;
  if (own) lines.push(c.dim(`perfctl's own CPU (100% = one core): ${own.startPercent}% at the start → ${own.endPercent}% at the end, peak ${own.peakPercent}%`));
  return lines.join('\n');
}

/** A run with scenarios: each one's peak level (users: closed model, /s: open), start and totals (its phases are in the phases table). */
function renderScenarios(result: Result, c: ChalkInstance, width: number): string | null {
  const scenarios = Object.entries(result.scenarios ?? {});
  if (scenarios.length === 0) return null;
  const rows = scenarios.map(([name, s]) => {
    const peak = Math.max(0, ...s.stages.map((stage) => Math.max(stage.fromLevel, stage.toLevel)));
    // name, requests, rps, errors, p50, p95, p99 (max is in the requests table)
    const [, requests, rps, errors, p50, p95, p99] = statsRow('', s, c);
    return [plain(name), formatLevel(s.model, peak), formatClock(s.startAfterMs), requests!, rps!, errors!, p50!, p95!, p99!];
  });
  return [c.bold('Scenarios'), tableText(c, width, ['scenario', 'peak', 'starts', 'requests', 'rps', 'errors', 'p50 ms', 'p95 ms', 'p99 ms'], rows, 1)].join('\n');
}

/** WebSocket messages, SSE events and HTTP versions per group, when the run used any */
function renderProtocols(result: Result, c: ChalkInstance, width: number): string | null {
  const rows = protocolRows(result.groups);
  if (rows.length === 0) return null;
  const cells = rows.map((row) => [plain(row.group), row.protocol, row.sent === null ? '' : String(row.sent), row.received === null ? '' : String(row.received), row.closes]);
  return [c.bold('Protocols'), tableText(c, width, ['request', 'protocol', 'sent', 'received', 'closed by server'], cells, 2, 4), c.dim('sent/received: WebSocket messages (received counts every message, broadcasts too); SSE: events')].join('\n');
}

/** A phase's numbers after its name and window: requests, rps, errors, mean, p95, p99. */
function phaseCells(p: PhaseStats, c: ChalkInstance): string[] {
  const errors = p.errors > 0 ? c.red(`${p.errors} (${formatPercent(p.errorRate)})`) : '0';
  return [String(p.requests), formatRps(p.rps), errors, formatMs(p.latencyMs.mean), formatMs(p.latencyMs.p95), formatMs(p.latencyMs.p99)];
}

/** `00:20–01:20`, or on two lines (`00:20–` over `01:20`) where the table has no room for it on one */
const phaseWindow = (p: PhaseStats, twoLines = false): string => `${formatClock(p.startMs)}–${twoLines ? '\n' : ''}${formatClock(p.endMs)}`;

/** A stage's planned level in its scenario's unit: `200 users`, `50 → 500/s` (open: arrivals per second). */
const plannedLevel = (stage: StageSpec | undefined, model: LoadModel): string => (stage === undefined ? '' : formatLevel(model, stage.toLevel, stage.fromLevel));

function renderPhases(result: Result, c: ChalkInstance, width: number): string {
  const groups = phaseGroups(result);
  if (hasScenarioGroups(groups)) return renderScenarioPhases(groups, c, width);
  const rows = result.phases.map((p) => [plain(p.name), phaseWindow(p), ...phaseCells(p, c)]);
  return [c.bold('Phases'), tableText(c, width, ['phase', 'window', 'requests', 'rps', 'errors', 'mean ms', 'p95 ms', 'p99 ms'], rows, 2)].join('\n');
}

/** A run of scenarios: each scenario's stages under its own heading, by their own names, planned in its unit. */
function renderScenarioPhases(groups: PhaseGroup[], c: ChalkInstance, width: number): string {
  const head = ['phase', 'window', 'planned', 'requests', 'rps', 'errors', 'mean ms', 'p95 ms', 'p99 ms'];
  const sections = (twoLineWindows: boolean) =>
    groups.map((g) => ({
      title: g.scenario === null ? null : `Scenario ${plain(g.scenario)}`,
      rows: g.rows.map(({ name, phase, stage }) => [plain(name), phaseWindow(phase, twoLineWindows), plannedLevel(stage, g.model), ...phaseCells(phase, c)]),
    }));
  // nine columns: on 80 a window would be cut mid-time (`00:00–02` over `:00`); it breaks after its dash instead
  const oneLine = sections(false);
  const widths = fitColumnWidths([head, ...oneLine.flatMap((s) => s.rows)], head.map((_, i) => i >= 3), width);
  const cut = widths !== null && oneLine.some((s) => s.rows.some((row) => row[1]!.length > widths[1]!));
  return [c.bold('Phases'), groupedTableText(c, width, head, cut ? sections(true) : oneLine, 3)].join('\n');
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

function renderChecks(checks: TargetCheckResult[], c: ChalkInstance, width: number): string {
  const rows = checks.map((check) => {
    const scope = checkScope(check);
    const row = scope ? `${plain(check.row)} (${plain(scope)})` : plain(check.row);
    const severity = check.severity === 'warn' ? ' (warn)' : '';
    return [
      row,
      plain(check.metric),
      `${formatLimit(check)}${severity}`,
      formatActual(check),
      check.samples === undefined ? '' : String(check.samples),
      formatBound(check),
      colourOutcome(checkOutcome(check), c),
    ];
  });
  return [c.bold('Target checks'), tableText(c, width, ['target', 'metric', 'limit', 'actual', 'samples', '95% bound', 'result'], rows, 2, 6)].join('\n');
}

function renderErrors(result: Result, c: ChalkInstance, width: number): string {
  const kinds = sortedCounts(result.totals.errorKinds).map(([kind, n]) => [plain(kind), String(n)]);
  const codes = sortedCounts(result.totals.statusCodes).map(([code, n]) => [plain(code), String(n)]);
  const parts = [c.bold('Errors'), tableText(c, width, ['error kind', 'count'], kinds, 1)];
  if (codes.length > 0) parts.push(tableText(c, width, ['status', 'count'], codes, 1));
  return parts.join('\n');
}

/** The regressions (each with why), then how many entries were within noise, ok or not judged. */
function renderRegressions(result: Result, c: ChalkInstance, width: number): string | null {
  const comparison = result.comparison;
  if (!comparison) return null;
  const regressions = regressionsOf(comparison);
  const title = c.bold(`Baseline comparison (${plain(comparison.baselineFile)})`);
  const counts = `${describeCounts(comparison)}; compare ${plain(comparison.baselineFile)} with this result.json for every entry`;
  const unmatched = describeUnmatched(comparison);
  const tail = [counts, ...(unmatched ? [plain(unmatched)] : [])].map((line) => `  ${line}`);
  if (regressions.length === 0) return [`${title}: ${c.green('no regression')}`, ...tail].join('\n');
  const rows = regressions.map((e) => {
    const unit = comparisonUnit(e.metric);
    return [plain(e.scope), e.metric, formatValue(unit, e.baseline), formatValue(unit, e.current), c.red(formatComparisonChange(e))];
  });
  const why = regressions.map((e) => `  ${plain(e.scope)} ${e.metric}: ${plain(e.note ?? '')}`);
  return [title, tableText(c, width, ['scope', 'metric', 'baseline', 'current', 'change'], rows, 2), ...why, ...tail].join('\n');
}

function toneOf(tone: FindingTone, c: ChalkInstance): (text: string) => string {
  return tone === 'good' ? c.green : tone === 'bad' ? c.red : (text: string) => text;
}

/** The profile verdicts: one line per analysis, and the staircase's steps. */
function renderAnalysis(result: Result, c: ChalkInstance, width: number): string | null {
  const findings = analysisFindings(result);
  if (findings.length === 0) return null;
  const lines = [c.bold('Analysis'), ...findings.map((f) => `  ${toneOf(f.tone, c)(`${f.title}:`)} ${plain(f.text)}`)];
  const steps = breakingSteps(result);
  if (steps.length > 0) {
    const rows = steps.map((step) => {
      const label = step.mark === 'first-broken' ? `${step.result} ← breaking point` : step.mark === 'last-good' ? `${step.result} ← last good` : step.result;
      return [plain(step.phase), step.level, step.rps, step.p95, step.errorRate, step.result === 'broken' ? c.red(label) : label, plain(step.detail)];
    });
    lines.push(tableText(c, width, ['step', 'level', 'rps', 'p95 ms', 'errors', 'result', 'broken by'], rows, 1, 5));
  }
  return lines.join('\n');
}

/** Everything printed at the end of a run, the verdict line last. */
export function renderSummary(result: Result, opts: TerminalOptions): string {
  const c = palette(opts);
  const width = tableWidth(opts);
  const header = `${c.bold(runName(result))} — ${describeLoad(result)}, ${formatDuration(result.durationMs)} against ${plain(result.baseUrl)}`;
  const sections: string[] = [header, renderRequests(result, c, width)];
  const protocols = renderProtocols(result, c, width);
  if (protocols) sections.push(protocols);
  const scenarios = renderScenarios(result, c, width);
  if (scenarios) sections.push(scenarios);
  if (result.phases.length > 0) sections.push(renderPhases(result, c, width));
  if (result.targets.length > 0) sections.push(renderChecks(result.targets, c, width));
  const analysis = renderAnalysis(result, c, width);
  if (analysis) sections.push(analysis);
  if (result.totals.errors > 0) sections.push(renderErrors(result, c, width));
  const unsent = result.cells.reduce((sum, cell) => sum + (cell.counters?.['interrupted.unsent'] ?? 0), 0);
  if (unsent > 0) {
    sections.push(`${c.bold('Not sent')}: ${unsent.toLocaleString('en')} requests were still waiting for a connection when the run stopped; they never reached the service and are not counted as requests (counters."interrupted.unsent")`);
  }
  const regressions = renderRegressions(result, c, width);
  if (regressions) sections.push(regressions);
  sections.push(renderVerdictLine(result, opts));
  return sections.join('\n\n') + '\n';
}
