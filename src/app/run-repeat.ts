// `perfctl run <profile> --repeat N`: N runs of a profile, one after the other, into one
// folder: result-1.json … result-N.json (and report-1.html …), a combined report.html and
// summary.md over the runs, and with --baseline one comparison of all N runs against the
// baseline (each run one observation: the change must hold across runs, SPEC §7).
import { basename, join, resolve } from 'node:path';
import { mkdir, rename, rm } from 'node:fs/promises';
import { compareResults, parseTolerance, assertComparable } from '../compare/compare.js';
import { renderComparisonText } from '../report/comparison-text.js';
import { ExitCode, usageError } from '../errors.js';
import { formatMs, formatPercent, formatRps } from '../report/format.js';
import { renderHtml } from '../report/html/render-html.js';
import { renderMarkdown } from '../report/markdown.js';
import { readResult } from '../result/read-result.js';
import { writeFileAtomic } from '../result/write-atomic.js';
import { readSide } from './compare.js';
import { runCommand } from './run.js';
import { defaultOutDir, type RunFlags } from './run-options.js';
import type { Io } from '../io.js';
import type { Comparison, Result } from '../result/types.js';

/** Most runs one --repeat makes (a typo of 1000 should not keep a machine busy for a day). */
const MAX_REPEAT = 100;

export function parseRepeat(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_REPEAT) throw usageError(`--repeat must be a whole number from 1 to ${MAX_REPEAT}, got "${text}"`);
  return n;
}

/** The exit code of N runs: an interruption or a failure to run first, then fail, then inconclusive. */
export function combinedExitCode(codes: readonly number[], regressions: number): number {
  for (const code of [ExitCode.interrupted, ExitCode.cannotRun, ExitCode.invalidInput]) if (codes.includes(code)) return code;
  if (codes.includes(ExitCode.failed) || regressions > 0) return ExitCode.failed;
  if (codes.includes(ExitCode.inconclusive)) return ExitCode.inconclusive;
  return ExitCode.ok;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length / 2;
  return s.length % 2 === 1 ? s[Math.floor(m)]! : (s[m - 1]! + s[m]!) / 2;
}

/** One line per run and the median over the runs. */
export function renderRepeatTable(results: readonly Result[]): string {
  const rows = results.map((r, i) => [`run ${i + 1}`, r.verdict, String(r.totals.requests), formatMs(r.totals.latencyMs.p50), formatMs(r.totals.latencyMs.p95), formatMs(r.totals.latencyMs.p99), formatRps(r.totals.rps), formatPercent(r.totals.errorRate)]);
  const pick = (f: (r: Result) => number): number => median(results.map(f));
  rows.push([
    'median',
    '',
    String(pick((r) => r.totals.requests)),
    formatMs(pick((r) => r.totals.latencyMs.p50)),
    formatMs(pick((r) => r.totals.latencyMs.p95)),
    formatMs(pick((r) => r.totals.latencyMs.p99)),
    formatRps(pick((r) => r.totals.rps)),
    formatPercent(pick((r) => r.totals.errorRate)),
  ]);
  const head = ['', 'verdict', 'requests', 'p50 ms', 'p95 ms', 'p99 ms', 'rps', 'errors'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]): string => cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

export async function repeatCommand(profileRef: string, flags: RunFlags & { repeat: string }, io: Io): Promise<number> {
  const count = parseRepeat(flags.repeat);
  const tolerance = flags.tolerance === undefined ? {} : parseTolerance(flags.tolerance);
  // the baseline is read before the first run: a bad one is reported before anything is sent
  const baselines = flags.baseline ? await readSide(flags.baseline, io.cwd) : [];
  const outDir = resolve(io.cwd, flags.out ?? defaultOutDir(`${basename(profileRef).replace(/\.ya?ml$/, '')}-repeat`, new Date()));
  await mkdir(outDir, { recursive: true });
  const formats = flags.format ?? 'json,html';
  const results: Result[] = [];
  const codes: number[] = [];
  for (let i = 1; i <= count; i++) {
    if (!flags.quiet) io.out(`\nRun ${i} of ${count}\n`);
    const runDir = join(outDir, `.run-${i}`);
    // each run judged on its own targets; the baseline is compared once, over all runs
    const { baseline: _b, ...own } = flags;
    const code = await runCommand(profileRef, { ...own, out: runDir, format: formats.includes('json') ? formats : `json,${formats}` }, io);
    codes.push(code);
    const result = await readResult(join(runDir, 'result.json'));
    results.push(result);
    await rename(join(runDir, 'result.json'), join(outDir, `result-${i}.json`));
    await rename(join(runDir, 'report.html'), join(outDir, `report-${i}.html`)).catch(() => undefined);
    await rm(runDir, { recursive: true, force: true });
    if (code === ExitCode.interrupted || code === ExitCode.cannotRun) break;
  }

  let comparison: Comparison | undefined;
  if (baselines.length > 0 && flags.baseline) {
    for (const b of baselines) assertComparable(b.result, results[0]!, false, b.file);
    const label = baselines.length === 1 ? flags.baseline : `${baselines.length} results in ${flags.baseline}`;
    comparison = compareResults(
      baselines.map((b) => b.result),
      results,
      { baselineFile: label, tolerance },
    );
    await writeFileAtomic(join(outDir, 'comparison.json'), `${JSON.stringify(comparison, null, 2)}\n`);
  }
  await writeFileAtomic(join(outDir, 'report.html'), renderHtml(results));
  await writeFileAtomic(join(outDir, 'summary.md'), renderMarkdown(results));

  const code = combinedExitCode(codes, comparison?.regressions ?? 0);
  const lines = [`\n${results.length} runs of ${results[0]?.profile.name ?? profileRef}`, renderRepeatTable(results)];
  if (comparison) lines.push('', renderComparisonText(comparison).trimEnd());
  lines.push(`Reports: ${outDir} (result-1.json … result-${results.length}.json, report.html, summary.md${comparison ? ', comparison.json' : ''})`);
  io.out(`${lines.join('\n')}\n`);
  return code;
}
