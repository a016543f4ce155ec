// `perfctl compare <baseline> <current>`: exit 1 on a regression, else 0. Each side is a
// result.json, a directory of results (every run is then one observation), or several of
// either joined with commas.
import { resolve } from 'node:path';
import { assertComparable, compareResults, parseTolerance } from '../compare/compare.js';
import { renderComparisonText } from '../report/comparison-text.js';
import { ExitCode } from '../errors.js';
import { collectResults, type CollectedResult } from '../result/collect-results.js';

export interface CompareCommandOptions {
  /** `10%` or `latency=5%,throughput=10%,errorRate=0.5%` */
  tolerance?: string;
  /** compare results of different profiles anyway */
  force?: boolean;
  format?: 'text' | 'json';
  /** where relative paths start (default: the process's) */
  cwd?: string;
  io: { stdout: (s: string) => void };
}

/** `base.json`, or `5 results in base/` */
export function describeSide(arg: string, results: readonly CollectedResult[]): string {
  return results.length === 1 ? results[0]!.file : `${results.length} results in ${arg}`;
}

/** The results a side names: `a.json`, `dir/`, or `a.json,b.json`. */
export async function readSide(arg: string, cwd: string): Promise<CollectedResult[]> {
  return collectResults(arg.split(',').filter((p) => p !== '').map((p) => resolve(cwd, p)), cwd);
}

/** Invalid input (bad tolerance, unreadable result, different profiles) throws a PerfctlError with exit 2. */
export async function compareCommand(baselinePath: string, currentPath: string, opts: CompareCommandOptions): Promise<number> {
  // parse the flag first: a typo is reported before any file is read
  const tolerance = opts.tolerance === undefined ? {} : parseTolerance(opts.tolerance);
  const cwd = opts.cwd ?? process.cwd();
  const [baselines, currents] = await Promise.all([readSide(baselinePath, cwd), readSide(currentPath, cwd)]);
  for (const side of [baselines, currents]) for (const r of side) assertComparable(baselines[0]!.result, r.result, opts.force ?? false, r.file);
  const baselineFile = baselines.length === 1 ? baselinePath : describeSide(baselinePath, baselines);
  const comparison = compareResults(
    baselines.map((b) => b.result),
    currents.map((c) => c.result),
    { baselineFile, tolerance },
  );
  if (opts.format === 'json') opts.io.stdout(`${JSON.stringify(comparison, null, 2)}\n`);
  else opts.io.stdout(renderComparisonText(comparison));
  // a run perfctl could not deliver measured the load generator: no regression can be judged from it
  const undelivered = [...baselines, ...currents].filter(({ result }) => result.verdict === 'inconclusive' && result.status === 'completed');
  if (undelivered.length > 0) {
    if (opts.format !== 'json') {
      for (const { file, result } of undelivered) opts.io.stdout(`inconclusive: ${file} — ${result.reason ?? 'perfctl could not deliver its profile'}\n`);
    }
    return ExitCode.inconclusive;
  }
  return comparison.regressions > 0 ? ExitCode.failed : ExitCode.ok;
}
