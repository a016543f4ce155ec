// Spike recovery on synthetic timelines: a reference of p95 10 ms and no errors, a spike
// stage from 10 s to 20 s, then whatever the timeline says.
import { describe, expect, it } from 'vitest';
import { analyseRecovery, errorsBeyond, windowP95 } from '../../src/judge/analysis/recovery.js';
import { stageWindows, type SpikeStages } from '../../src/config/stage-shape.js';
import type { TimelinePoint } from '../../src/result/types.js';

const [baseline, spike, after] = stageWindows([
  { name: 'baseline', durationMs: 10_000, fromLevel: 100, toLevel: 100 },
  { name: 'spike', durationMs: 10_000, fromLevel: 1000, toLevel: 1000 },
  { name: 'recovery', durationMs: 30_000, fromLevel: 100, toLevel: 100 },
]) as [ReturnType<typeof stageWindows>[number], ReturnType<typeof stageWindows>[number], ReturnType<typeof stageWindows>[number]];
void after;
const stages: SpikeStages = { spike, reference: baseline };
const reference = { p95Ms: 10, errorRate: 0, requests: 1000 };

/** Points t = 1.. with these p95 values (100 requests each, errors as given). */
function timeline(p95s: number[], errors: Record<number, number> = {}): TimelinePoint[] {
  return p95s.map((p95, i) => ({ t: i + 1, requests: 100, errors: errors[i + 1] ?? 0, rps: 100, p50: p95 / 2, p95, p99: p95 * 1.2, level: 100 }));
}
const seconds = (n: number, p95: number): number[] => Array.from({ length: n }, () => p95);

describe('analyseRecovery', () => {
  it('a backlog that drains for 5 s after the spike: recovered 5 s after the spike ended', () => {
    const drain = [900, 700, 500, 300, 100];
    const a = analyseRecovery({ timeline: timeline([...seconds(20, 11), ...drain, ...seconds(25, 11)]), stages, reference });
    expect(a).toMatchObject({ spikePhase: 'spike', referencePhase: 'baseline', spikeEndMs: 20_000, recovered: true, recoveryMs: 5000, recoveredAtMs: 25_000, windowMs: 5000 });
    expect(a.tolerance).toEqual({ p95Factor: 1.5, p95SlackMs: 5, errorRatePoints: 0.01, p95LimitMs: 15, errorRateLimit: 0.01 });
  });

  it('a service that was never hurt recovered at once', () => {
    const a = analyseRecovery({ timeline: timeline(seconds(50, 12)), stages, reference });
    expect(a.recoveryMs).toBe(0);
  });

  it('one second of a blip later on is forgiven; two in one window are a relapse', () => {
    const one = [...seconds(20, 11), ...seconds(15, 11), 400, ...seconds(14, 11)];
    expect(analyseRecovery({ timeline: timeline(one), stages, reference }).recoveryMs).toBe(0);
    const two = [...seconds(20, 11), ...seconds(15, 11), 400, 11, 400, ...seconds(12, 11)];
    const a = analyseRecovery({ timeline: timeline(two), stages, reference });
    // windows holding both blips fail; from the point after the first (t = 37: 36..37 s) each holds one
    expect(a.recoveryMs).toBe(16_000);
  });

  it('a service still slow at the end of the run has not recovered', () => {
    const a = analyseRecovery({ timeline: timeline([...seconds(20, 11), ...seconds(30, 40)]), stages, reference });
    expect(a).toMatchObject({ recovered: false, recoveryMs: null, recoveredAtMs: null });
  });

  it('errors count by what chance allows: 1 in 500 is no relapse, 8 a second is', () => {
    const points = [...seconds(20, 11), ...seconds(30, 11)];
    expect(analyseRecovery({ timeline: timeline(points, { 30: 1 }), stages, reference }).recoveryMs).toBe(0);
    const failing = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [21 + i, i < 10 ? 8 : 0]));
    expect(analyseRecovery({ timeline: timeline(points, failing), stages, reference }).recoveryMs).toBe(10_000);
  });

  it('a window in which nothing completed is not recovered (a stalled service)', () => {
    const points = timeline([...seconds(20, 11), ...seconds(30, 11)]);
    for (const p of points) if (p.t > 40) Object.assign(p, { requests: 0, p95: 0 });
    expect(analyseRecovery({ timeline: points, stages, reference }).recovered).toBe(false);
  });

  it('says why it cannot judge: no stage before the spike, or a run that ended with it', () => {
    expect(analyseRecovery({ timeline: timeline(seconds(50, 11)), stages: { spike, reference: null }, reference: null }).note).toMatch(/no stage before spike/);
    expect(analyseRecovery({ timeline: timeline(seconds(22, 11)), stages, reference }).note).toMatch(/ended less than 5 s after spike/);
  });
});

describe('the window, by counts', () => {
  it("p95: the request-weighted mean of its points' p95 without the worst point", () => {
    const points = timeline([10, 20, 1000]);
    points[1]!.requests = 300;
    expect(windowP95(points)).toBe((10 * 100 + 20 * 300) / 400);
  });

  it('errors beyond chance at the tolerated rate: n·L + 3·√(n·L) + 1', () => {
    // 500 requests at 1%: 5 expected, up to 5 + 3·2.24 + 1 = 12.7 tolerated
    expect(errorsBeyond(12, 500, 0.01)).toBe(false);
    expect(errorsBeyond(13, 500, 0.01)).toBe(true);
    expect(errorsBeyond(1, 150, 0)).toBe(false);
    expect(errorsBeyond(2, 150, 0)).toBe(true);
  });
});
