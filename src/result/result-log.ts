// `run --log-result` and `merge --from-logs`: a shard without a shared volume prints its
// result.json into its own log, and merge reads it back from `kubectl logs` output.
// The result travels gzipped, base64 in short lines, each line carrying the marker: log
// collectors split long lines and `kubectl logs --prefix/--timestamps` put text before them,
// so every line is found on its own and the whole is checked by its line count and digest.
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { usageError } from '../errors.js';
import { decodeResult } from './read-result.js';
import type { Result } from './types.js';

export const LOG_MARKER = 'perfctl-result';
const LINE_CHARS = 76;

export function encodeResultForLog(result: Result): string {
  const body = gzipSync(JSON.stringify(result)).toString('base64');
  const chunks: string[] = [];
  for (let i = 0; i < body.length; i += LINE_CHARS) chunks.push(body.slice(i, i + LINE_CHARS));
  const shard = result.shard ? ` shard=${result.shard.index}/${result.shard.count}` : '';
  const lines = [
    `${LOG_MARKER} begin lines=${chunks.length}${shard}`,
    ...chunks.map((chunk, i) => `${LOG_MARKER} ${String(i + 1).padStart(6, '0')} ${chunk}`),
    `${LOG_MARKER} end sha256=${digest(body)}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Every result printed in one log text, in order; `name` (the log file) names them in messages. */
export function decodeResultsFromLog(text: string, name: string): Array<{ result: Result; source: string }> {
  const found: Array<{ result: Result; source: string }> = [];
  const pattern = new RegExp(`${LOG_MARKER} (begin lines=(\\d+)|end sha256=([0-9a-f]+)|(\\d{6}) ([A-Za-z0-9+/=]+))`);
  let block: { lines: number; chunks: string[]; startLine: number } | undefined;
  text.split(/\r?\n/).forEach((line, i) => {
    const m = pattern.exec(line);
    if (!m) return;
    const where = `${name}:${i + 1}`;
    if (m[2] !== undefined) {
      block = { lines: Number(m[2]), chunks: [], startLine: i + 1 };
    } else if (m[4] !== undefined) {
      if (!block) throw usageError(`${where}: a ${LOG_MARKER} line outside a begin/end block`, 'pass the whole log of the shard');
      if (Number(m[4]) !== block.chunks.length + 1) throw usageError(`${where}: ${LOG_MARKER} line ${Number(m[4])} out of order (expected ${block.chunks.length + 1}); the log lost lines`);
      block.chunks.push(m[5]!);
    } else {
      if (!block) throw usageError(`${where}: a ${LOG_MARKER} end without its begin`, 'pass the whole log of the shard');
      const body = block.chunks.join('');
      if (block.chunks.length !== block.lines || digest(body) !== m[3]) {
        throw usageError(`${where}: the result printed from line ${block.startLine} is incomplete or altered (${block.chunks.length} of ${block.lines} lines)`, 'the log lost lines: read it again with kubectl logs');
      }
      const source = `${name}#${found.length + 1}`;
      let json: string;
      try {
        json = gunzipSync(Buffer.from(body, 'base64')).toString('utf8');
      } catch (error) {
        throw usageError(`${where}: the result printed from line ${block.startLine} does not decompress (${(error as Error).message})`);
      }
      found.push({ result: decodeResult(json, source), source });
      block = undefined;
    }
  });
  if (block) throw usageError(`${name}:${block.startLine}: the result printed here has no end line; the log was cut short`, 'the shard may still be running: wait for the pod to finish');
  if (found.length === 0) throw usageError(`${name}: no result in this log (no "${LOG_MARKER} begin" line)`, 'run the shards with --log-result');
  return found;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
