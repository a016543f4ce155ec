// `perfctl merge <result.json>... --out <dir>`: one result from the shards of a run, with
// the targets evaluated again on the merged data.
import { resolve } from 'node:path';
import { renderHtml } from '../report/html/render-html.js';
import { renderVerdictLine } from '../report/terminal.js';
import { parseFormats, writeReports } from '../report/write-reports.js';
import { mergeShardResults } from '../result/merge-results.js';
import { readResult } from '../result/read-result.js';
import { evaluateTargets } from '../judge/checks.js';
import { analyseMerged } from '../judge/analysis/analyse.js';
import { decideVerdict } from '../judge/verdict.js';
import { exitCodeOf } from './run.js';
import type { TargetRow } from '../config/types.js';
import type { Io } from '../io.js';

export async function mergeCommand(files: string[], flags: { out: string; format?: string }, io: Io): Promise<number> {
  const formats = parseFormats(flags.format ?? 'json,html');
  const results = await Promise.all(files.map((file) => readResult(resolve(io.cwd, file))));
  const { merged, cells } = mergeShardResults(results, files);
  const rows = targetRowsOf(merged.profile.resolved);
  // the profile verdicts again on the merged data (a shard's own analysis saw a slice of it)
  const analysis = analyseMerged(merged, cells, rows, results);
  const checks = evaluateTargets(rows, cells, merged.phases, merged.durationMs, analysis);
  const decision = decideVerdict({ status: merged.status, checks, regressions: 0 });
  const { analysis: _shardAnalysis, ...rest } = merged;
  const result = { ...rest, targets: checks, ...(analysis ? { analysis } : {}), verdict: decision.verdict, reason: decision.reason };
  await writeReports([result], resolve(io.cwd, flags.out), formats, { html: renderHtml });
  io.out(`${renderVerdictLine(result, { color: io.color })}\n`);
  return exitCodeOf(result);
}

/** The target rows travel inside the resolved profile that every result carries. */
function targetRowsOf(resolved: unknown): TargetRow[] {
  const rows = (resolved as { targets?: unknown } | undefined)?.targets;
  return Array.isArray(rows) ? (rows as TargetRow[]) : [];
}
