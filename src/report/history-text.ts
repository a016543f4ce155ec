// A History -> the terminal: one row per group and metric with a sparkline of its series,
// the first and newest values, and its change points; then the verdict line. Plain text (no
// table library: sparklines are one column per run, padded by hand).
import { comparisonUnit, formatComparisonChange, formatValue } from './format.js';
import { describeRun, type History, type HistoryChange, type HistorySeries } from '../history/trend.js';

const BARS = '▁▂▃▄▅▆▇█';
/** Wider series are averaged into this many columns. */
export const SPARK_WIDTH = 40;

/** One character per run (or per bucket of runs beyond SPARK_WIDTH), scaled to the series' range. */
export function sparkline(values: readonly (number | null)[], width = SPARK_WIDTH): string {
  const columns: (number | null)[] = [];
  if (values.length <= width) columns.push(...values);
  else {
    for (let c = 0; c < width; c++) {
      const from = Math.floor((c * values.length) / width);
      const to = Math.floor(((c + 1) * values.length) / width);
      const bucket = values.slice(from, to).filter((v): v is number => v !== null);
      columns.push(bucket.length > 0 ? bucket.reduce((a, b) => a + b, 0) / bucket.length : null);
    }
  }
  const present = columns.filter((v): v is number => v !== null);
  if (present.length === 0) return ' '.repeat(columns.length);
  const lo = Math.min(...present);
  const hi = Math.max(...present);
  return columns.map((v) => (v === null ? ' ' : hi === lo ? BARS[3]! : BARS[Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1))]!)).join('');
}

const plain = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
const width = (text: string): number => [...text].length;
const pad = (text: string, n: number): string => text + ' '.repeat(Math.max(0, n - width(text)));

function describeChange(series: HistorySeries, change: HistoryChange, history: History): string {
  const before = history.runs[change.firstRun - 2];
  const mark = change.direction === 'worse' ? (change.beyondTolerance ? 'worse' : 'worse, within tolerance') : 'better';
  const unit = comparisonUnit(series.metric);
  return `after ${before ? describeRun(before) : `run ${change.firstRun - 1}`}: ${formatValue(unit, change.before)} → ${formatValue(unit, change.after)} ${formatComparisonChange({ metric: series.metric, change: change.change })} ${mark}`;
}

function lastValue(values: readonly (number | null)[]): number | null {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return values[i]!;
  return null;
}

function firstValue(values: readonly (number | null)[]): number | null {
  return values.find((v) => v !== null) ?? null;
}

export function renderHistoryText(history: History): string {
  const first = history.runs[0];
  const newest = history.runs.at(-1);
  const lines = [
    `History of ${plain(history.profile)}: ${history.runs.length} runs${first && newest ? `, ${first.startedAt} … ${newest.startedAt}` : ''}`,
    `Change points: ${history.method}`,
    '',
  ];
  const rows = history.series.map((s) => {
    const unit = comparisonUnit(s.metric);
    const f = firstValue(s.values);
    const l = lastValue(s.values);
    return {
      cells: [plain(s.scope), s.metric, sparkline(s.values), f === null ? '—' : formatValue(unit, f), l === null ? '—' : formatValue(unit, l)],
      changes: s.changes.map((c) => plain(describeChange(s, c, history))),
      worse: s.newestAfterWorse,
    };
  });
  const head = ['scope', 'metric', 'trend', 'first', 'newest'];
  const widths = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r.cells[i]!))));
  lines.push(`${head.map((h, i) => pad(h, widths[i]!)).join('  ')}  change points`);
  for (const row of rows) {
    const changes = row.changes.length === 0 ? 'none' : row.changes.join('; ');
    lines.push(`${row.cells.map((c, i) => pad(c, widths[i]!)).join('  ')}  ${changes}${row.worse ? '  ✗' : ''}`);
  }
  lines.push('');
  if (history.worse.length === 0) lines.push('✔ the newest run is not after a change for the worse');
  else {
    const what = history.worse.map((s) => `${plain(s.scope)} ${s.metric} ${formatComparisonChange({ metric: s.metric, change: s.changes.at(-1)!.change })} after run ${s.changes.at(-1)!.firstRun - 1}`);
    lines.push(`✖ the newest run is after a change for the worse: ${what.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
