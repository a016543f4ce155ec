// Spike recovery (pure): how long after the spike stage ended the service was back near the
// behaviour of the stage before the spike, and stayed there to the end of the run.
//
//   reference   p95 and error rate of the requests due in the stage before the spike
//               (exact: from that stage's histograms)
//   window      W consecutive timeline points (W = 5: five seconds). A point keeps only its
//               percentiles, so a window's p95 cannot be merged exactly; it is judged by counts:
//               the request-weighted mean of its points' p95, leaving out its single worst
//               point (one second's blip, a GC pause here or there, is forgiven), and its
//               errors, exact, against what chance allows at the tolerated error rate
//   within      window p95 <= max(reference p95 x 1.5, reference p95 + 5 ms), and
//               window errors <= n·L + 3·sqrt(n·L) + 1 where n is its requests and
//               L = reference error rate + 1 percentage point (at most L of them, but for
//               chance: a stray error or two in a quiet window is no relapse);
//               a window in which nothing completed is not within (a stalled service)
//   recovered   at the first point after the spike's end that is itself within tolerance and
//               from which every window to the end of the run is within tolerance
//   recoveryMs  the start of that point minus the spike's end (whole seconds of the timeline)
//
// Timeline points are closed when requests complete, so a backlog that drains shows as high
// latencies until the queue is empty: the recovery time is the drain time, to a second.
import type { RecoveryAnalysis } from '../../result/analysis-types.js';
import type { TimelinePoint } from '../../result/types.js';
import type { SpikeStages } from '../../config/stage-shape.js';

export interface RecoveryOptions {
  /** timeline points per window; default 5 (5 s) */
  windowPoints?: number;
  p95Factor?: number;
  p95SlackMs?: number;
  errorRatePoints?: number;
}

export const RECOVERY_DEFAULTS = { windowPoints: 5, p95Factor: 1.5, p95SlackMs: 5, errorRatePoints: 0.01 } as const;

export interface RecoveryReference {
  p95Ms: number;
  errorRate: number;
  /** requests of the reference stage; 0 means there is nothing to compare with */
  requests: number;
}

export interface RecoveryInput {
  timeline: TimelinePoint[];
  stages: SpikeStages;
  /** the reference stage's exact numbers (see analyse.ts); null when the spike has no stage before it */
  reference: RecoveryReference | null;
  options?: RecoveryOptions;
}

interface Judged {
  requests: number;
  errors: number;
  p95Ms: number;
}

/** Errors beyond what chance allows at the tolerated rate (one-sided, about 3 standard deviations). */
export function errorsBeyond(errors: number, requests: number, limit: number): boolean {
  const expected = requests * limit;
  return errors > expected + 3 * Math.sqrt(expected) + 1;
}

/** A window's p95 by counts: the request-weighted mean of its points' p95 without its worst point. */
export function windowP95(points: TimelinePoint[]): number {
  const answered = points.filter((p) => p.requests > 0 && p.p95 > 0);
  if (answered.length === 0) return 0;
  let worst = 0;
  answered.forEach((p, i) => {
    if (p.p95 > answered[worst]!.p95) worst = i;
  });
  const kept = answered.length > 1 ? answered.filter((_, i) => i !== worst) : answered;
  const weight = kept.reduce((s, p) => s + p.requests, 0);
  return kept.reduce((s, p) => s + p.p95 * p.requests, 0) / weight;
}

function judgeOf(points: TimelinePoint[]): Judged {
  return {
    requests: points.reduce((s, p) => s + p.requests, 0),
    errors: points.reduce((s, p) => s + p.errors, 0),
    p95Ms: windowP95(points),
  };
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export function analyseRecovery(input: RecoveryInput): RecoveryAnalysis {
  const o = { ...RECOVERY_DEFAULTS, ...input.options };
  const { spike, reference: referenceStage } = input.stages;
  const reference = input.reference ?? { p95Ms: 0, errorRate: 0, requests: 0 };
  const p95LimitMs = round3(Math.max(reference.p95Ms * o.p95Factor, reference.p95Ms + o.p95SlackMs));
  const errorRateLimit = Math.min(1, reference.errorRate + o.errorRatePoints);
  const base: RecoveryAnalysis = {
    spikePhase: spike.name,
    referencePhase: referenceStage?.name ?? '',
    spikeEndMs: spike.endMs,
    referenceP95Ms: reference.p95Ms,
    referenceErrorRate: reference.errorRate,
    windowMs: o.windowPoints * 1000,
    tolerance: {
      p95Factor: o.p95Factor,
      p95SlackMs: o.p95SlackMs,
      errorRatePoints: o.errorRatePoints,
      p95LimitMs,
      errorRateLimit: Math.round(errorRateLimit * 1e6) / 1e6,
    },
    recoveryMs: null,
    recoveredAtMs: null,
    recovered: false,
  };
  if (referenceStage === null || reference.requests === 0) {
    return { ...base, note: `there is no stage before ${spike.name} with requests to compare with` };
  }

  // the first point that lies wholly after the spike: it covers (t-1, t] with t-1 >= spike end
  const firstT = Math.ceil(spike.endMs / 1000) + 1;
  const after = input.timeline.filter((p) => p.t >= firstT);
  const W = Math.max(1, Math.floor(o.windowPoints));
  if (after.length < W) {
    return { ...base, note: `the run ended less than ${W} s after ${spike.name}: recovery cannot be judged` };
  }
  const within = (points: TimelinePoint[]): boolean => {
    const w = judgeOf(points);
    if (w.requests === 0) return false;
    return w.p95Ms <= p95LimitMs && !errorsBeyond(w.errors, w.requests, errorRateLimit);
  };
  // walk back from the last full window: the earliest start from which every window is within
  let recoveredIndex: number | null = null;
  for (let i = after.length - W; i >= 0; i--) {
    if (!within(after.slice(i, i + W))) break;
    // the recovery starts at a point that is itself within tolerance
    if (within([after[i]!])) recoveredIndex = i;
  }
  if (recoveredIndex === null) return base;
  const startMs = (after[recoveredIndex]!.t - 1) * 1000;
  const recoveryMs = Math.max(0, startMs - spike.endMs);
  return { ...base, recoveryMs, recoveredAtMs: spike.endMs + recoveryMs, recovered: true };
}
