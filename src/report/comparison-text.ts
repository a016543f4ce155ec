// A finished Comparison -> text (cli-table3) or Markdown. No statistics here: compare.ts
// decided everything; values are printed with the shared report formatting, states with the
// shared words (comparison-view.ts): regressions first, then every entry by scope.
import type { Comparison, ComparisonEntry } from '../result/types.js';
import { comparisonUnit, formatComparisonChange, formatValue } from './format.js';
import { plain, plainTable } from './terminal.js';
import { describeCounts, describeMethod, describeUnmatched, entryState, regressionsOf, sectionsByScope, STATE_WORDS } from '../compare/comparison-view.js';

const trimZeros = (text: string): string => (text.includes('.') ? text.replace(/\.?0+$/, '') : text);

/** REGRESSION in capitals so it stands out in a CI log; the other states in the shared words. */
function marker(entry: ComparisonEntry): string {
  const state = entryState(entry);
  return state === 'regression' ? 'REGRESSION' : STATE_WORDS[state];
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

function textTable(entries: ComparisonEntry[]): string {
  return plainTable(['scope', 'metric', 'baseline', 'current', 'change', ''], ['left', 'left', 'right', 'right', 'right', 'left'], entries.map(row));
}

/** Regressions first, then every entry by scope, then why each was judged so, then the summary line. */
export function renderComparisonText(comparison: Comparison): string {
  const lines = [`Comparison with ${plain(comparison.baselineFile)} (baseline started ${comparison.baselineStartedAt})`];
  const regressions = regressionsOf(comparison);
  if (regressions.length > 0) lines.push('Regressions', textTable(regressions));
  lines.push('All entries, by scope', textTable(sectionsByScope(comparison).flatMap((s) => s.entries)));
  const explained = comparison.entries.filter((e) => entryState(e) === 'regression' || entryState(e) === 'noise');
  for (const entry of explained) {
    lines.push(`  ${entryState(entry) === 'regression' ? 'REGRESSION' : 'noise'} ${plain(entry.scope)} ${entry.metric}: ${plain(entry.note ?? '')}`);
  }
  const unjudged = comparison.entries.filter((e) => entryState(e) === 'not-judged');
  if (unjudged.length > 0) {
    lines.push(`  not judged (${unjudged.length}): ${plain(unjudged.slice(0, 3).map((e) => `${e.scope} ${e.metric}: ${(e.note ?? '').replace(/^not judged: /, '')}`).join('; '))}${unjudged.length > 3 ? '; …' : ''}`);
  }
  const unmatched = describeUnmatched(comparison);
  if (unmatched) lines.push(plain(unmatched));
  const method = describeMethod(comparison);
  lines.push(`${describeCounts(comparison)}${method ? `; ${method}` : ''}`);
  lines.push(summariseComparison(comparison));
  return `${lines.join('\n')}\n`;
}

/** Escapes what Markdown (and the HTML GitHub renders from it) would interpret in a table cell. */
function md(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_<>|]/g, (ch) => `\\${ch}`);
}

function mdRows(entries: ComparisonEntry[]): string[] {
  return entries.map((entry) => {
    const [scope, metric, baseline, current, change, mark] = row(entry).map(md);
    const flag = entry.regression ? `**${mark}**` : (mark ?? '');
    return `| ${scope} | ${metric} | ${baseline} | ${current} | ${change} | ${flag} |`;
  });
}

/** A Markdown table of the comparison (regressions first) and its summary line, for summary.md and PR comments. */
export function renderComparisonMarkdown(comparison: Comparison): string {
  const regressions = regressionsOf(comparison);
  const others = sectionsByScope(comparison).flatMap((s) => s.entries.filter((e) => entryState(e) !== 'regression'));
  const lines = [
    `**Baseline comparison:** ${md(summariseComparison(comparison))}`,
    '',
    '| scope | metric | baseline | current | change | |',
    '|---|---|---:|---:|---:|---|',
    ...mdRows([...regressions, ...others]),
  ];
  if (regressions.length > 0) {
    lines.push('');
    for (const entry of regressions) lines.push(`- **${md(entry.scope)} ${entry.metric}**: ${md(entry.note ?? '')}`);
  }
  const method = describeMethod(comparison);
  lines.push('', md(`${describeCounts(comparison)}${method ? `; ${method}` : ''}.`));
  const unmatched = describeUnmatched(comparison);
  if (unmatched) lines.push('', md(unmatched));
  return `${lines.join('\n')}\n`;
}
