// A merge that `--force` pushed past its refusals says so before anything else, in every
// report: its numbers add up, but they are not those of one run as planned.
import type { Result } from '../result/types.js';

/** `FORCED MERGE (--force): not one shard set: <why>; …` */
export function forcedMergeLine(forced: readonly string[]): string {
  return `FORCED MERGE (--force): not one shard set: ${forced.join('; ')}`;
}

/** The line for a result merged with --force, or null. */
export function forcedMergeNotice(result: Result): string | null {
  const forced = result.merge?.forced;
  return forced && forced.length > 0 ? forcedMergeLine(forced) : null;
}
