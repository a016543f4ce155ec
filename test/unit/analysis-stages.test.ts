// Which stage is the spike, which span a soak's drift is measured on, which stages make a
// staircase: read from the planned stages alone.
import { describe, expect, it } from 'vitest';
import { driftWindows, findDriftSpan, findSpike, findStaircase, stageWindows, type StageWindow } from '../../src/config/stage-shape.js';
import type { TargetRow } from '../../src/config/types.js';

/** [name, seconds, from, to] in order */
function stages(...specs: Array<[string, number, number, number]>): StageWindow[] {
  return stageWindows(specs.map(([name, seconds, fromLevel, toLevel]) => ({ name, durationMs: seconds * 1000, fromLevel, toLevel })));
}
const row = (partial: Partial<TargetRow>): TargetRow => ({ name: 'r', requests: null, phase: null, checks: [], abortOnFail: false, ...partial });

describe('findSpike', () => {
  it('a stage named spike, measured against the timed stage before it (instant jumps skipped)', () => {
    const s = stages(['baseline', 60, 100, 100], ['jump', 0, 2000, 2000], ['spike', 60, 2000, 2000], ['drop', 0, 100, 100], ['recovery', 60, 100, 100]);
    const found = findSpike(s);
    expect(found?.spike.name).toBe('spike');
    expect(found?.reference?.name).toBe('baseline');
  });

  it('found by shape: the highest stage at least twice the one before, followed by a lower one', () => {
    const s = stages(['calm', 10, 30, 30], ['burst', 5, 600, 600], ['after', 10, 30, 30]);
    expect(findSpike(s)?.spike.name).toBe('burst');
  });

  it('a staircase has no spike: each step is followed by a higher one', () => {
    const s = stages(['s1', 10, 50, 50], ['s2', 10, 100, 100], ['s3', 10, 200, 200], ['s4', 10, 400, 400]);
    expect(findSpike(s)).toBeNull();
  });

  it('a normal ramp-up, hold, ramp-down has no spike', () => {
    expect(findSpike(stages(['ramp-up', 60, 0, 50], ['hold', 480, 50, 50], ['ramp-down', 60, 50, 0]))).toBeNull();
  });

  it('a recovery row names the spike with its phase', () => {
    const s = stages(['a', 10, 10, 10], ['b', 10, 40, 40], ['c', 10, 10, 10]);
    const rows = [row({ phase: 'b', checks: [{ metric: 'recovery', limit: 60_000 }] })];
    expect(findSpike(s, rows)).toMatchObject({ spike: { name: 'b' }, reference: { name: 'a' } });
  });
});

describe('findDriftSpan and driftWindows', () => {
  it("a soak's shape (one hold covering at least 85% of the run) is analysed unasked", () => {
    const s = stages(['ramp-up', 300, 0, 60], ['soak', 7200, 60, 60], ['ramp-down', 300, 60, 0]);
    expect(findDriftSpan(s)).toEqual({ phase: 'soak', startMs: 300_000, endMs: 7_500_000 });
  });

  it('a normal profile (hold 80%) is not, unless a row asks for drift', () => {
    const s = stages(['ramp-up', 60, 0, 50], ['hold', 480, 50, 50], ['ramp-down', 60, 50, 0]);
    expect(findDriftSpan(s)).toBeNull();
    expect(findDriftSpan(s, [row({ checks: [{ metric: 'drift', limit: 0.02 }] })])?.phase).toBe('hold');
  });

  it("a drift row's phase chooses the span", () => {
    const s = stages(['a', 100, 10, 10], ['b', 50, 10, 10]);
    expect(findDriftSpan(s, [row({ phase: 'b', checks: [{ metric: 'drift', limit: 0.02 }] })])).toEqual({ phase: 'b', startMs: 100_000, endMs: 150_000 });
  });

  it('windows: warm-up the first 10%, early the next 20%, late the last 20%', () => {
    expect(driftWindows({ phase: 'soak', startMs: 300_000, endMs: 7_500_000 })).toEqual({
      span: { phase: 'soak', startMs: 300_000, endMs: 7_500_000 },
      warmupMs: 720_000,
      early: { startMs: 1_020_000, endMs: 2_460_000 },
      late: { startMs: 6_060_000, endMs: 7_500_000 },
    });
    expect(driftWindows({ phase: null, startMs: 0, endMs: 9_000 })).toBeNull();
  });
});

describe('findStaircase', () => {
  it('the longest run of holds at rising levels; ramps up between them are allowed', () => {
    const s = stages(['s1', 10, 50, 50], ['up', 2, 50, 100], ['s2', 10, 100, 100], ['s3', 10, 150, 150], ['s4', 10, 200, 200]);
    expect(findStaircase(s).map((x) => x.name)).toEqual(['s1', 's2', 's3', 's4']);
  });

  it('fewer than three steps, or a level that does not rise, is no staircase', () => {
    expect(findStaircase(stages(['s1', 10, 50, 50], ['s2', 10, 100, 100]))).toEqual([]);
    expect(findStaircase(stages(['s1', 10, 50, 50], ['s2', 10, 100, 100], ['s3', 10, 100, 100]))).toEqual([]);
    expect(findStaircase(stages(['spike', 10, 30, 30], ['b', 10, 600, 600], ['c', 10, 30, 30]))).toEqual([]);
  });
});
