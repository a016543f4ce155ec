// `perfctl merge <result.json>... --out <dir>`: one result from the shards of a run, judged
// again on the merged data by the same judge as `run` (generator health included: a shard
// perfctl could not deliver makes the merge inconclusive).
import { resolve } from 'node:path';
import { judgeRun, targetRowsOf } from '../judge/judge-run.js';
import { renderHtml } from '../report/html/render-html.js';
import { renderVerdictLine } from '../report/terminal.js';
import { parseFormats, writeReports } from '../report/write-reports.js';
import { assembleResult } from '../result/build-result.js';
import { mergeShardResults } from '../result/merge-results.js';
import { readResult } from '../result/read-result.js';
import { exitCodeOf } from './run.js';
import { readFile } from 'node:fs/promises';
import { usageError } from '../errors.js';
import { forcedMergeLine } from '../report/merge-notice.js';
import { decodeResultsFromLog } from '../result/result-log.js';
import { checkShardSet, describeShardSet, type ShardInput } from '../result/shard-set.js';
import type { Io } from '../io.js';

export async function mergeCommand(files: string[], flags: { out: string; format?: string; fromLogs?: boolean; force?: boolean }, io: Io): Promise<number> {
  const formats = parseFormats(flags.format ?? 'json,html');
  // is this one shard set? (shard identity, duplicates, start skew) before anything is added
  const set = checkShardSet(await readShardInputs(files, Boolean(flags.fromLogs), io.cwd));
  if (set.refusals.length > 0 && !flags.force) {
    // what was deduplicated explains which of an index's results the refusal is about
    throw usageError(`not one shard set, nothing merged:\n  ${[...set.refusals, ...set.notes].join('\n  ')}`, 'merge the shards of one run, or pass --force to merge them anyway');
  }
  const forced = set.refusals.length > 0 ? set.refusals : undefined;
  if (forced) io.out(`${forcedMergeLine(forced)}\n`);
  for (const note of set.notes) io.out(`${note}\n`);
  io.out(`${describeShardSet(set.kept.map((k) => k.result), set.skewMs)}\n`);
  const { merged, cells } = mergeShardResults(
    set.kept.map((k) => k.result),
    set.kept.map((k) => k.source),
    { dropped: set.dropped.map((d) => ({ file: d.source, index: d.index, keptFile: d.keptSource })), ...(forced ? { forced } : {}) },
  );
  const results = set.kept.map((k) => k.result);
  const judgement = judgeRun({ result: merged, cells }, targetRowsOf(merged), { shards: results });
  const result = assembleResult(merged, judgement);
  await writeReports([result], resolve(io.cwd, flags.out), formats, { html: renderHtml });
  io.out(`${renderVerdictLine(result, { color: io.color })}\n`);
  return exitCodeOf(result);
}

async function readShardInputs(files: string[], fromLogs: boolean, cwd: string): Promise<ShardInput[]> {
  if (!fromLogs) return Promise.all(files.map(async (file) => ({ result: await readResult(resolve(cwd, file)), source: file })));
  const logs = await Promise.all(
    files.map(async (file) => {
      try {
        return { file, text: await readFile(resolve(cwd, file), 'utf8') };
      } catch (error) {
        throw usageError(`${file}: cannot read the log: ${(error as Error).message.split('\n')[0]}`);
      }
    }),
  );
  return logs.flatMap(({ file, text }) => decodeResultsFromLog(text, file));
}
