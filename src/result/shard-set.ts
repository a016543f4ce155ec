// Is this one shard set? Before `perfctl merge` adds anything up it checks that the results are
// the slices of one run: the same plan, every index once, started together. A retried pod's
// index keeps its newest result; everything else that is wrong is a refusal (merge --force
// merges anyway and says so).
import type { Result } from './types.js';

/** Shards whose actual starts lie further apart did not load the service together. */
export const MAX_START_SKEW_MS = 2000;

export interface ShardInput {
  result: Result;
  /** the file (or log#n) it came from, for messages */
  source: string;
}

export interface ShardSetCheck {
  /** the results to merge: shards in index order, then any whole runs */
  kept: ShardInput[];
  dropped: Array<{ source: string; index: number; keptSource: string }>;
  /** one line per dropped result, saying which was kept */
  notes: string[];
  /** why this is not one shard set; empty when it is */
  refusals: string[];
  /** largest difference between the kept results' actual starts */
  skewMs: number;
}

/** t = 0 of a result's timeline: what the shards are aligned on. */
export function actualStartMs(result: Result): number {
  return Date.parse(result.start?.actual ?? result.startedAt);
}

export function checkShardSet(inputs: ShardInput[]): ShardSetCheck {
  const refusals: string[] = [];
  const notes: string[] = [];
  const dropped: ShardSetCheck['dropped'] = [];

  const whole = inputs.filter((i) => !i.result.shard);
  for (const w of whole) {
    refusals.push(`${w.source} is ${w.result.merge ? 'a merged result' : 'a whole run (run without --shard)'}, not a shard; merging it would count its load twice`);
  }

  // one result per index: a retried pod (or a file given twice) keeps the newest
  const byIndex = new Map<number, ShardInput[]>();
  for (const input of inputs) {
    if (!input.result.shard) continue;
    const list = byIndex.get(input.result.shard.index) ?? [];
    list.push(input);
    byIndex.set(input.result.shard.index, list);
  }
  const shards: ShardInput[] = [];
  for (const index of [...byIndex.keys()].sort((a, b) => a - b)) {
    const list = byIndex.get(index)!;
    const newest = list.reduce((best, x) => (isNewer(x.result, best.result) ? x : best));
    shards.push(newest);
    for (const other of list) {
      if (other === newest) continue;
      dropped.push({ source: other.source, index, keptSource: newest.source });
      const same = actualStartMs(other.result) === actualStartMs(newest.result) && other.result.endedAt === newest.result.endedAt;
      notes.push(
        same
          ? `shard ${label(newest.result)} given twice: dropped ${other.source}, the same result as ${newest.source}`
          : `shard ${label(newest.result)} given twice: dropped ${other.source} (started ${iso(actualStartMs(other.result))}), kept ${newest.source} (started ${iso(actualStartMs(newest.result))}, the newest)`,
      );
    }
  }

  const kept = [...shards, ...whole];
  const first = kept[0];
  if (first) {
    for (const k of kept.slice(1)) {
      const a = first.result.profile;
      const b = k.result.profile;
      if (a.name !== b.name || (a.hash && b.hash && a.hash !== b.hash) || Boolean(a.hash) !== Boolean(b.hash)) {
        refusals.push(
          `${k.source}: profile "${b.name}" (plan ${b.hash ?? 'without hash'}) differs from ${first.source}'s "${a.name}" (plan ${a.hash ?? 'without hash'}); only shards of one run can be merged`,
        );
      }
    }
  }

  const counts = [...new Set(shards.map((s) => s.result.shard!.count))];
  if (counts.length > 1) {
    refusals.push(`shards of different splits: ${shards.map((s) => `${s.source} is ${label(s.result)}`).join(', ')}`);
  } else if (counts.length === 1) {
    const count = counts[0]!;
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
    if (missing.length > 0) {
      refusals.push(
        `incomplete shard set: ${missing.length === 1 ? 'shard' : 'shards'} ${missing.join(', ')} of ${count} ${missing.length === 1 ? 'is' : 'are'} missing (given: ${[...byIndex.keys()].sort((a, b) => a - b).join(', ')})`,
      );
    }
  }

  const starts = kept.map((k) => actualStartMs(k.result));
  const skewMs = starts.length === 0 ? 0 : Math.max(...starts) - Math.min(...starts);
  if (skewMs > MAX_START_SKEW_MS) refusals.push(describeSkew(kept, starts, skewMs));
  return { kept, dropped, notes, refusals, skewMs };
}

/**
 * Names the shards outside the largest group that started within MAX_START_SKEW_MS of each
 * other, against that group's first: "shard 3/3 (c.json) started 10.0 s after shard 1/3 (a.json)".
 */
function describeSkew(kept: ShardInput[], starts: number[], skewMs: number): string {
  const order = starts.map((s, i) => ({ s, i })).sort((a, b) => a.s - b.s);
  let best = { from: 0, size: 0 };
  for (let from = 0; from < order.length; from++) {
    let to = from;
    while (to + 1 < order.length && order[to + 1]!.s - order[from]!.s <= MAX_START_SKEW_MS) to++;
    if (to - from + 1 > best.size) best = { from, size: to - from + 1 };
  }
  const anchor = order[best.from]!;
  const inGroup = new Set(order.slice(best.from, best.from + best.size).map((o) => o.i));
  const name = (i: number): string => (kept[i]!.result.shard ? `shard ${label(kept[i]!.result)} (${kept[i]!.source})` : kept[i]!.source);
  const outliers = order
    .filter((o) => !inGroup.has(o.i))
    .map((o) => `${name(o.i)} started ${seconds(Math.abs(o.s - anchor.s))} ${o.s > anchor.s ? 'after' : 'before'} ${name(anchor.i)}`);
  return `shards did not start together (${seconds(skewMs)} apart, more than ${seconds(MAX_START_SKEW_MS)}): ${outliers.join('; ')}; start every shard with one --start-at`;
}

/** `merged shards 1/3, 2/3, 3/3 of plan 1a2b… (spike); actual starts within 4 ms` */
export function describeShardSet(kept: Result[], skewMs: number): string {
  const labels = kept.map((r) => (r.shard ? label(r) : 'a whole run'));
  const first = kept[0]?.profile;
  const plan = first ? ` of ${first.hash ? `plan ${first.hash} ` : ''}(${first.name})` : '';
  return `merged ${kept.length === 1 ? 'shard' : 'shards'} ${labels.join(', ')}${plan}; actual starts within ${skewMs < 1000 ? `${Math.round(skewMs)} ms` : seconds(skewMs)}`;
}

function isNewer(a: Result, b: Result): boolean {
  const byStart = actualStartMs(a) - actualStartMs(b);
  if (byStart !== 0) return byStart > 0;
  return Date.parse(a.endedAt) > Date.parse(b.endedAt);
}

const label = (r: Result): string => `${r.shard!.index}/${r.shard!.count}`;
const iso = (ms: number): string => new Date(ms).toISOString();
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
