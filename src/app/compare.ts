// `perfctl compare <baseline.json> <current.json>`: exit 1 on a regression, else 0.
import { assertComparable, compareResults, parseTolerance } from '../compare/compare.js';
import { renderComparisonText } from '../compare/render-comparison.js';
import { ExitCode } from '../errors.js';
import { readResult } from '../result/read-result.js';

export interface CompareCommandOptions {
  /** `10%` or `latency=5%,throughput=10%,errorRate=0.5%` */
  tolerance?: string;
  /** compare results of different profiles anyway */
  force?: boolean;
  format?: 'text' | 'json';
  io: { stdout: (s: string) => void };
}

/** Invalid input (bad tolerance, unreadable result, different profiles) throws a PerfctlError with exit 2. */
export async function compareCommand(baselinePath: string, currentPath: string, opts: CompareCommandOptions): Promise<number> {
  // parse the flag first: a typo is reported before any file is read
  const tolerance = opts.tolerance === undefined ? {} : parseTolerance(opts.tolerance);
  const [baseline, current] = await Promise.all([readResult(baselinePath), readResult(currentPath)]);
  assertComparable(baseline, current, opts.force ?? false);
  const comparison = compareResults(baseline, current, { baselineFile: baselinePath, tolerance });
  if (opts.format === 'json') opts.io.stdout(`${JSON.stringify(comparison, null, 2)}\n`);
  else opts.io.stdout(renderComparisonText(comparison));
  // a run perfctl could not deliver measured the load generator: no regression can be judged from it
  const undelivered = [
    { path: baselinePath, result: baseline },
    { path: currentPath, result: current },
  ].filter(({ result }) => result.verdict === 'inconclusive' && result.status === 'completed');
  if (undelivered.length > 0) {
    if (opts.format !== 'json') {
      for (const { path, result } of undelivered) opts.io.stdout(`inconclusive: ${path} — ${result.reason ?? 'perfctl could not deliver its profile'}\n`);
    }
    return ExitCode.inconclusive;
  }
  return comparison.regressions > 0 ? ExitCode.failed : ExitCode.ok;
}
