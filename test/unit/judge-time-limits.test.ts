import { describe, expect, it } from 'vitest';
import type { TargetRow } from '../../src/config/types.js';
import { evaluateTargets } from '../../src/judge/checks.js';
import { scaleTimeLimits } from '../../src/judge/time-limits.js';
import type { Analysis } from '../../src/result/analysis-types.js';

const rows: TargetRow[] = [{ name: 'Recovery', requests: null, phase: null, abortOnFail: false, checks: [{ metric: 'recovery', limit: 300_000 }, { metric: 'p95', limit: 200 }] }];

describe('-d scales time limits', () => {
  it('a 15-minute spike run in 60 s: recovery 5m becomes 20 s; latency limits stay', () => {
    const [row] = scaleTimeLimits(rows, 60 / 900);
    expect(row!.checks).toEqual([{ metric: 'recovery', limit: 20_000, writtenLimit: 300_000 }, { metric: 'p95', limit: 200 }]);
    expect(scaleTimeLimits(rows, 1)).toBe(rows);
  });

  it('the check says the limit was scaled', () => {
    const [row] = scaleTimeLimits(rows, 60 / 900);
    const analysis = { recovery: { spikePhase: 'spike', recovered: true, recoveryMs: 25_000 } } as unknown as Analysis;
    const [check] = evaluateTargets([{ ...row!, checks: [row!.checks[0]!] }], [], [{ name: 'spike', startMs: 0, endMs: 1 }], 60_000, analysis);
    expect(check).toMatchObject({ state: 'fail', limit: 20_000 });
    expect(check!.message).toBe('recovery 25 s > 20s, 5m scaled by -d');
  });
});
