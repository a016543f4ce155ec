// merge's refusals and deduplication: is a list of results one shard set? Pure, in tables.
import { describe, expect, it } from 'vitest';
import { checkShardSet, describeShardSet, MAX_START_SKEW_MS, type ShardInput } from '../../src/result/shard-set.js';
import { mergeShardResults, mergeTimelines } from '../../src/result/merge-results.js';
import { makeResult, spread } from '../helpers/result-fixture.js';
import type { Result, TimelinePoint } from '../../src/result/types.js';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const base = makeResult({ cells: [{ group: 'ping', phase: 'main', latenciesMs: spread(100, 1, 50) }], durationMs: 10_000 });

function shard(index: number, count: number, startOffsetMs = 0, extra: Partial<Result> = {}): Result {
  const actual = new Date(T0 + startOffsetMs).toISOString();
  return {
    ...base,
    profile: { ...base.profile, hash: 'aaaaaaaaaaaaaaaa' },
    shard: { index, count },
    startedAt: actual,
    endedAt: new Date(T0 + startOffsetMs + base.durationMs).toISOString(),
    start: { planned: new Date(T0).toISOString(), actual },
    ...extra,
  };
}
const inputs = (...results: Result[]): ShardInput[] => results.map((result, i) => ({ result, source: `s${i + 1}.json` }));

describe('one shard set', () => {
  it('three shards started within 2 s are one set, kept in index order', () => {
    const check = checkShardSet(inputs(shard(3, 3, 40), shard(1, 3, 0), shard(2, 3, 1990)));
    expect(check.refusals).toEqual([]);
    expect(check.kept.map((k) => k.result.shard!.index)).toEqual([1, 2, 3]);
    expect(check.skewMs).toBe(1990);
    expect(check.dropped).toEqual([]);
  });

  it.each<[string, Result[], RegExp[]]>([
    ['a shard 10 s late', [shard(1, 3), shard(2, 3, 150), shard(3, 3, 10_000)], [/shards did not start together \(10\.0 s apart, more than 2\.0 s\): shard 3\/3 \(s3\.json\) started 10\.0 s after shard 1\/3 \(s1\.json\)/]],
    ['a shard 2.5 s early', [shard(1, 2, -2500), shard(2, 2)], [/2\.5 s apart/]],
    ['a missing index', [shard(1, 3), shard(3, 3)], [/incomplete shard set: shard 2 of 3 is missing \(given: 1, 3\)/]],
    ['two missing indexes', [shard(2, 4), shard(4, 4)], [/shards 1, 3 of 4 are missing/]],
    ['different splits', [shard(1, 2), shard(2, 3)], [/shards of different splits: s1\.json is 1\/2, s2\.json is 2\/3/]],
    ['different plans', [shard(1, 2), shard(2, 2, 0, { profile: { ...base.profile, hash: 'bbbbbbbbbbbbbbbb' } })], [/s2\.json: profile "synthetic" \(plan bbbbbbbbbbbbbbbb\) differs from s1\.json's "synthetic" \(plan aaaaaaaaaaaaaaaa\)/]],
    ['different profiles', [shard(1, 2), shard(2, 2, 0, { profile: { ...base.profile, name: 'peak', hash: 'aaaaaaaaaaaaaaaa' } })], [/profile "peak".*only shards of one run can be merged/]],
    ['two whole runs', [{ ...base }, { ...base }], [/s1\.json is a whole run \(run without --shard\), not a shard/, /s2\.json is a whole run/]],
    ['a merged result among shards', [shard(1, 2), shard(2, 2), { ...shard(1, 2), shard: undefined, merge: { shards: [], dropped: [], skewMs: 0 } }], [/s3\.json is a merged result, not a shard/]],
  ])('%s is refused', (_name, results, messages) => {
    const check = checkShardSet(inputs(...results));
    for (const message of messages) expect(check.refusals.join('\n')).toMatch(message);
    expect(check.refusals).toHaveLength(messages.length);
  });

  it('an index given twice keeps the newest result and says which it dropped', () => {
    const retried = shard(2, 3, 900, { endedAt: new Date(T0 + 20_000).toISOString() });
    const check = checkShardSet(inputs(shard(1, 3), shard(2, 3, 0), shard(3, 3), retried));
    expect(check.refusals).toEqual([]);
    expect(check.kept.map((k) => k.source)).toEqual(['s1.json', 's4.json', 's3.json']);
    expect(check.dropped).toEqual([{ source: 's2.json', index: 2, keptSource: 's4.json' }]);
    expect(check.notes).toEqual(['shard 2/3 given twice: dropped s2.json (started 2026-12-01T10:00:00.000Z), kept s4.json (started 2026-12-01T10:00:00.900Z, the newest)']);
  });

  it('the same result given twice is merged once', () => {
    const one = shard(1, 2);
    const check = checkShardSet([...inputs(one, shard(2, 2)), { result: one, source: 'again.json' }]);
    expect(check.kept.map((k) => k.source)).toEqual(['s1.json', 's2.json']);
    expect(check.notes).toEqual(['shard 1/2 given twice: dropped again.json, the same result as s1.json']);
  });

  it('a retried shard that started too late is still refused by its skew', () => {
    const check = checkShardSet(inputs(shard(1, 2), shard(2, 2), shard(2, 2, 30_000)));
    expect(check.dropped.map((d) => d.source)).toEqual(['s2.json']);
    expect(check.refusals.join()).toMatch(/shard 2\/2 \(s3\.json\) started 30\.0 s after/);
  });

  it('the limit is 2 s', () => expect(MAX_START_SKEW_MS).toBe(2000));

  it.each<[Result[], number, string]>([
    [[shard(1, 3), shard(2, 3), shard(3, 3)], 4, 'merged shards 1/3, 2/3, 3/3 of plan aaaaaaaaaaaaaaaa (synthetic); actual starts within 4 ms'],
    [[shard(1, 1)], 0, 'merged shard 1/1 of plan aaaaaaaaaaaaaaaa (synthetic); actual starts within 0 ms'],
    [[shard(1, 2), { ...shard(2, 2), shard: undefined }], 10_000, 'merged shards 1/2, a whole run of plan aaaaaaaaaaaaaaaa (synthetic); actual starts within 10.0 s'],
  ])('the merged set is described in one line (%#)', (results, skewMs, line) => {
    expect(describeShardSet(results, skewMs)).toBe(line);
  });
});

describe('alignment on the actual starts', () => {
  const point = (t: number, requests: number): TimelinePoint => ({ t, requests, errors: 0, rps: requests, p50: 1, p95: 2, p99: 3, level: requests });

  it.each<[string, number[], number[]]>([
    ['no shift', [0, 0], [2, 2, 2]],
    ['the second shard one second later', [0, 1], [1, 2, 2, 1]],
    ['two seconds later', [0, 2], [1, 1, 2, 1, 1]],
  ])('%s', (_name, shifts, perSecond) => {
    const merged = mergeTimelines(
      [
        [point(1, 1), point(2, 1), point(3, 1)],
        [point(1, 1), point(2, 1), point(3, 1)],
      ],
      shifts,
    );
    expect(merged.map((p) => p.requests)).toEqual(perSecond);
    expect(merged.map((p) => p.t)).toEqual(perSecond.map((_, i) => i + 1));
  });

  it('the merged result starts at the earliest actual start and records every shard', () => {
    const a = { ...shard(1, 2, 0), timeline: [point(1, 5), point(2, 5)] };
    const b = { ...shard(2, 2, 1400), timeline: [point(1, 5), point(2, 5)] };
    const { merged } = mergeShardResults([a, b], ['a.json', 'b.json'], { dropped: [{ file: 'old.json', index: 2, keptFile: 'b.json' }] });
    expect(merged.startedAt).toBe('2026-12-01T10:00:00.000Z');
    expect(merged.durationMs).toBe(11_400);
    expect(merged.timeline.map((p) => [p.t, p.requests])).toEqual([
      [1, 5],
      [2, 10],
      [3, 5],
    ]);
    expect(merged.start).toEqual({ planned: '2026-12-01T10:00:00.000Z', actual: '2026-12-01T10:00:00.000Z' });
    expect(merged.merge).toEqual({
      shards: [
        { file: 'a.json', index: 1, count: 2, actualStart: '2026-12-01T10:00:00.000Z', offsetMs: 0 },
        { file: 'b.json', index: 2, count: 2, actualStart: '2026-12-01T10:00:01.400Z', offsetMs: 1400 },
      ],
      dropped: [{ file: 'old.json', index: 2, keptFile: 'b.json' }],
      skewMs: 1400,
    });
    expect(merged.shard).toBeUndefined();
    expect(merged.totals.requests).toBe(200);
  });
});
