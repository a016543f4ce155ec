// A finished Comparison -> text (cli-table3) or Markdown. No statistics here: compare.ts
// decided everything; values are printed with the shared report formatting.
import Table from 'cli-table3';
import type { Comparison, ComparisonEntry } from '../result/types.js';
import { comparisonUnit, formatComparisonChange, formatValue } from '../report/format.js';
import { isWithinNoise } from './compare.js';

const trimZeros = (text: string): string => (text.includes('.') ? text.replace(/\.?0+$/, '') : text);

function marker(entry: ComparisonEntry): string {
  if (entry.regression) return 'REGRESSION';
  return isWithinNoise(entry) ? 'within noise' : '';
}

function row(entry: ComparisonEntry): string[] {
  const unit = comparisonUnit(entry.metric);
  return [entry.scope, entry.metric, formatValue(unit, entry.baseline), formatValue(unit, entry.current), formatComparisonChange(entry), marker(entry)];
}

/** `latency 10%, throughput 10%, errorRate 1 pp` */
export function formatTolerance(tolerance: Comparison['tolerance']): string {
  const pct = (x: number): string => trimZeros((x * 100).toFixed(2));
  return `latency ${pct(tolerance.latency)}%, throughput ${pct(tolerance.throughput)}%, errorRate ${pct(tolerance.errorRate)} pp`;
}

/** One line: `2 regressions against base.json (tolerance: latency 10%, throughput 10%, errorRate 1 pp)`. */
export function summariseComparison(comparison: Comparison): string {
  const n = comparison.regressions;
  const what = n === 0 ? 'no regression' : `${n} regression${n === 1 ? '' : 's'}`;
  return `${what} against ${comparison.baselineFile} (tolerance: ${formatTolerance(comparison.tolerance)})`;
}

/** Names come from profiles: never let them carry control characters to the terminal. */
const plain = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

/** The table of every entry, then why each flagged or noisy change was judged so, then the summary line. */
export function renderComparisonText(comparison: Comparison): string {
  const table = new Table({
    head: ['scope', 'metric', 'baseline', 'current', 'change', ''],
    colAligns: ['left', 'left', 'right', 'right', 'right', 'left'],
    style: { head: [], border: [] },
  });
  for (const entry of comparison.entries) table.push(row(entry).map(plain));
  const lines = [`Comparison with ${plain(comparison.baselineFile)} (baseline started ${comparison.baselineStartedAt})`, table.toString()];
  const explained = comparison.entries.filter((e) => (e.regression || isWithinNoise(e)) && e.note);
  for (const entry of explained) {
    lines.push(`  ${entry.regression ? 'REGRESSION' : 'noise'} ${plain(entry.scope)} ${entry.metric}: ${plain(entry.note ?? '')}`);
  }
  lines.push(summariseComparison(comparison));
  return `${lines.join('\n')}\n`;
}

/** Escapes what Markdown (and the HTML GitHub renders from it) would interpret in a table cell. */
function md(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_<>|]/g, (ch) => `\\${ch}`);
}

/** A Markdown table of the comparison and its summary line, for summary.md and PR comments. */
export function renderComparisonMarkdown(comparison: Comparison): string {
  const lines = [
    `**Baseline comparison:** ${md(summariseComparison(comparison))}`,
    '',
    '| scope | metric | baseline | current | change | |',
    '|---|---|---:|---:|---:|---|',
  ];
  for (const entry of comparison.entries) {
    const [scope, metric, baseline, current, change, mark] = row(entry).map(md);
    const flag = entry.regression ? `**${mark}**` : (mark ?? '');
    lines.push(`| ${scope} | ${metric} | ${baseline} | ${current} | ${change} | ${flag} |`);
  }
  const explained = comparison.entries.filter((e) => e.regression && e.note);
  if (explained.length > 0) {
    lines.push('');
    for (const entry of explained) lines.push(`- **${md(entry.scope)} ${entry.metric}**: ${md(entry.note ?? '')}`);
  }
  return `${lines.join('\n')}\n`;
}
