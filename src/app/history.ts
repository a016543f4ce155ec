// `perfctl history <results or dirs>... [--out dir] [--metric p95] [--group name] [--force]`:
// the runs of one profile in time order, change points per group and metric, and exit 1 when
// the newest run sits after a change for the worse beyond the tolerance.
import { mkdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseTolerance, resolveTolerance } from '../compare/tolerance.js';
import { ExitCode, usageError } from '../errors.js';
import { renderHistoryText } from '../report/history-text.js';
import { buildHistory, HISTORY_METRICS, type HistoryMetric } from '../history/trend.js';
import { renderHistoryHtml } from '../report/html/history-page.js';
import { assertOneProfile, collectResults } from '../result/collect-results.js';
import { writeFileAtomic } from '../result/write-atomic.js';
import type { Io } from '../io.js';

export interface HistoryFlags {
  out?: string;
  metric?: string;
  group?: string[];
  tolerance?: string;
  force?: boolean;
  json?: boolean;
}

function parseMetrics(text: string | undefined): HistoryMetric[] | undefined {
  if (text === undefined) return undefined;
  const metrics = text.split(',').map((m) => m.trim()).filter((m) => m !== '');
  for (const m of metrics) {
    if (!(HISTORY_METRICS as readonly string[]).includes(m)) throw usageError(`--metric ${m}: not one of ${HISTORY_METRICS.join(', ')}`);
  }
  return metrics as HistoryMetric[];
}

export async function historyCommand(paths: string[], flags: HistoryFlags, io: Io): Promise<number> {
  // flags first: a typo is reported before any file is read
  const metrics = parseMetrics(flags.metric);
  const tolerance = resolveTolerance(flags.tolerance === undefined ? {} : parseTolerance(flags.tolerance));
  if (paths.length === 0) throw usageError('history needs result files or directories');
  const all = await collectResults(paths.map((p) => resolve(io.cwd, p)), io.cwd);
  // a run that did not complete (a checkpoint of a run still going, an interrupted or failed one)
  // measured part of its profile: not a point of the trend
  const collected = all.filter((c) => c.result.status === 'completed');
  const left = all.length - collected.length;
  if (collected.length === 0) throw usageError(`${paths.join(', ')}: no completed run among ${all.length} result${all.length === 1 ? '' : 's'}`);
  assertOneProfile(collected, flags.force ?? false, 'history');
  const groups = (flags.group ?? []).flatMap((g) => g.split(',')).map((g) => g.trim()).filter((g) => g !== '');
  for (const group of groups) {
    if (group !== 'total' && !collected.some((c) => c.result.groups[group] !== undefined)) {
      throw usageError(`--group ${group}: no run has a request or flow of that name`, `groups: total, ${[...new Set(collected.flatMap((c) => Object.keys(c.result.groups)))].join(', ')}`);
    }
  }
  const history = buildHistory(collected, { tolerance, ...(metrics ? { metrics } : {}), ...(groups.length > 0 ? { groups } : {}) });

  if (flags.json) io.out(`${JSON.stringify(history, null, 2)}\n`);
  else {
    io.out(renderHistoryText(history));
    if (left > 0) io.out(`Left out: ${left} run${left === 1 ? '' : 's'} that did not complete (${[...new Set(all.filter((c) => c.result.status !== 'completed').map((c) => c.result.status))].join(', ')})\n`);
  }
  if (flags.out !== undefined) {
    const outDir = resolve(io.cwd, flags.out);
    await mkdir(outDir, { recursive: true });
    // each point links its run's report: paths relative to the page
    // result.json sits beside report.html; run --repeat writes result-3.json beside report-3.html
    const reportOf = (file: string): string => {
      const repeat = /result-(\d+)\.json$/.exec(file);
      return relative(outDir, join(resolve(io.cwd, file), '..', repeat ? `report-${repeat[1]}.html` : 'report.html'));
    };
    const html = join(outDir, 'history.html');
    await writeFileAtomic(html, renderHistoryHtml(history, { reportOf }));
    await writeFileAtomic(join(outDir, 'history.json'), `${JSON.stringify(history, null, 2)}\n`);
    const shown = (path: string): string => (relative(io.cwd, path).startsWith('..') ? path : relative(io.cwd, path));
    if (!flags.json) io.out(`Reports: ${shown(html)}, ${shown(join(outDir, 'history.json'))}\n`);
  }
  return history.worse.length > 0 ? ExitCode.failed : ExitCode.ok;
}
