// The live progress line as a load observer: one snapshot a second to whoever draws it (the
// terminal renderer sits above this layer, so it is handed in).
import type { LoadObserver } from '../engine/load-observer.js';
import type { Plan } from '../engine/plan.js';
import type { ScenarioLevel, SecondTick } from '../engine/run-load.js';
import type { LoadModel } from '../config/types.js';

export interface ProgressSnapshot {
  elapsedMs: number;
  totalMs: number;
  /** name of the current stage */
  stage: string;
  /** planned level now: requests/s (open) or users (closed) */
  level: number;
  model: LoadModel;
  /** achieved requests per second over the last interval */
  rps: number;
  p95Ms: number;
  /** errors and requests so far */
  errors: number;
  requests: number;
  /** a run with scenarios: each one's stage and level (the line shows them instead of one) */
  scenarios?: ScenarioLevel[];
}

export class ProgressLine implements LoadObserver {
  constructor(
    private readonly plan: Plan,
    private readonly draw: (snapshot: ProgressSnapshot) => void,
  ) {}

  onSecond(tick: SecondTick): void {
    this.draw({
      elapsedMs: tick.elapsedMs,
      totalMs: this.plan.totalMs,
      stage: this.plan.stages[tick.stageIndex]?.name ?? '',
      level: tick.level,
      model: this.plan.model,
      rps: tick.point.rps,
      p95Ms: tick.point.p95,
      errors: tick.errors,
      requests: tick.requests,
      ...(tick.scenarios ? { scenarios: tick.scenarios } : {}),
    });
  }
}
