// A History -> one self-contained HTML page (same template engine, styles, escaping and CSP
// as report.html): one chart per group and metric, the change points marked, each point a link
// to its run's report with its label, commit and start time as a tooltip.
import type { History, HistorySeries } from '../../history/trend.js';
import { describeRun } from '../../history/trend.js';
import { comparisonUnit, formatComparisonChange, formatValue } from '../format.js';
import { version } from '../../version.js';
import { renderNamedTemplate } from './handlebars-templates.js';
import { bottomAxis, COLORS, el, emptyNote, linearScale, niceTicks, seriesPath, svgRoot, text, title, valueAxis, type PlotArea, type TrustedSvg, type XTick } from './svg.js';

const WIDTH = 900;
const LINE = '#0969da';
const WORSE = '#cf222e';
const BETTER = '#1a7f37';

export interface HistoryPageOptions {
  /** the link of a run's report, relative to the page */
  reportOf: (file: string) => string;
}

const AXIS_TITLES: Record<HistorySeries['metric'], string> = {
  p50: 'p50 (ms)',
  p95: 'p95 (ms)',
  p99: 'p99 (ms)',
  rps: 'throughput (req/s)',
  errorRate: 'error rate (%)',
};

/** Values as plotted: error rates in percent, so the axis reads as the tables do. */
const plotted = (metric: HistorySeries['metric'], v: number): number => (metric === 'errorRate' ? v * 100 : v);

function runTicks(n: number): XTick[] {
  const step = Math.max(1, Math.ceil(n / 12));
  const ticks: XTick[] = [];
  for (let i = 1; i <= n; i += step) ticks.push({ value: i, label: String(i) });
  if (ticks.at(-1)?.value !== n) ticks.push({ value: n, label: String(n) });
  return ticks;
}

export function historyChart(history: History, series: HistorySeries, id: string, opts: HistoryPageOptions): TrustedSvg {
  const top = 40;
  const plotH = 200;
  const height = top + plotH + 50;
  const area: PlotArea = { x: 72, y: top, w: WIDTH - 72 - 24, h: plotH };
  const n = history.runs.length;
  const x = linearScale(n > 1 ? 1 : 0, Math.max(2, n), area.x, area.x + area.w);
  const values = series.values.map((v) => (v === null ? null : plotted(series.metric, v)));
  const max = Math.max(0, ...values.filter((v): v is number => v !== null));
  const yTicks = niceTicks(0, max > 0 ? max * 1.1 : 1, 5, max === 0);
  const y = linearScale(0, yTicks.max, area.y + area.h, area.y);
  const unit = comparisonUnit(series.metric);
  const parts: string[] = [valueAxis(area, y, yTicks, AXIS_TITLES[series.metric]), bottomAxis(area, x, runTicks(n), 'run, in time order')];
  // change points: a dashed line between the last run before and the first after, labelled with the step
  for (const change of series.changes) {
    const cx = x(change.firstRun - 0.5);
    const color = change.direction === 'worse' ? WORSE : BETTER;
    const label = `${formatComparisonChange({ metric: series.metric, change: change.change })} ${change.direction}${change.beyondTolerance ? '' : ' (within tolerance)'}`;
    parts.push(
      el('g', { class: `change-point ${change.direction}` }, [
        el('line', { x1: cx, x2: cx, y1: area.y, y2: area.y + area.h, stroke: color, 'stroke-width': 2, 'stroke-dasharray': '5 4' }),
        text(cx + 4, area.y + 12, label, { fill: color, 'font-size': 12 }),
        title(`change after run ${change.firstRun - 1}: ${formatValue(unit, change.before)} → ${formatValue(unit, change.after)} (p = ${change.pValue})`),
      ]),
    );
  }
  if (values.every((v) => v === null)) parts.push(emptyNote(area, 'no run has this value'));
  else {
    parts.push(seriesPath(values.map((v, i) => (v === null ? null : [x(i + 1), y(v)])), LINE, { cls: 'series history' }));
    values.forEach((v, i) => {
      if (v === null) return;
      const run = history.runs[i]!;
      const tip = `${describeRun(run)} · ${run.startedAt} · ${series.metric} ${formatValue(unit, series.values[i]!)}`;
      parts.push(el('a', { href: opts.reportOf(run.file), class: 'run-point' }, [el('circle', { cx: x(i + 1), cy: y(v), r: 3.5, fill: LINE, stroke: '#fff', 'stroke-width': 1 }), title(tip)]));
    });
  }
  parts.push(text(area.x, 20, `${series.scope} · ${series.metric}`, { fill: COLORS.text, 'font-size': 13, 'font-weight': 700 }));
  return svgRoot(id, WIDTH, height, `${series.scope} ${series.metric} over ${n} runs`, parts);
}

export function renderHistoryHtml(history: History, opts: HistoryPageOptions): string {
  const scopes = [...new Set(history.series.map((s) => s.scope))];
  const view = {
    generator: `perfctl ${version}`,
    title: `History of ${history.profile}`,
    profile: history.profile,
    runCount: history.runs.length,
    first: history.runs[0]?.startedAt ?? '',
    newest: history.runs.at(-1)?.startedAt ?? '',
    method: history.method,
    worse: history.worse.length > 0,
    verdict:
      history.worse.length === 0
        ? 'The newest run is not after a change for the worse.'
        : `The newest run is after a change for the worse: ${history.worse.map((s) => `${s.scope} ${s.metric} ${formatComparisonChange({ metric: s.metric, change: s.changes.at(-1)!.change })} after run ${s.changes.at(-1)!.firstRun - 1}`).join(', ')}.`,
    scopes: scopes.map((scope, si) => ({
      scope,
      charts: history.series
        .filter((s) => s.scope === scope)
        .map((s, mi) => ({
          chart: historyChart(history, s, `history-${si}-${mi}`, opts),
          changes: s.changes.length === 0 ? 'no change point' : `${s.changes.length} change point${s.changes.length === 1 ? '' : 's'}`,
        })),
    })),
    runs: history.runs.map((r) => ({ number: r.number, startedAt: r.startedAt, label: r.label ?? '', commit: r.commit ?? '', file: r.file, href: opts.reportOf(r.file) })),
  };
  return renderNamedTemplate('history', view);
}
