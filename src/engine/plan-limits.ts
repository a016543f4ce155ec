// Upper bounds on a plan, checked before anything is sent. They keep every figure the pacer and
// the executors compute exact in floating point and keep a mistyped number (`rate: 1e10`,
// `--scale 1e12`) from freezing the process: past them perfctl refuses the plan (exit 2).
import { formatDuration } from '../config/duration.js';
import { usageError } from '../errors.js';
import { plannedRequests, type Plan } from './plan.js';

export const PLAN_LIMITS = {
  /** requests started per second (open model) */
  rate: 10_000_000,
  /** virtual users (closed model) */
  vus: 1_000_000,
  stages: 10_000,
  /** the whole run */
  totalMs: 31 * 24 * 3600 * 1000,
  /** arrivals in the whole plan (open model) */
  arrivals: 1e12,
} as const;

const count = (n: number): string => n.toLocaleString('en-US');

/** The first limit the plan exceeds, as a sentence, or null. */
export function planLimitProblem(plan: Plan): string | null {
  const unit = plan.model === 'open' ? 'rate' : 'vus';
  const most = PLAN_LIMITS[unit];
  for (const stage of plan.stages) {
    const level = Math.max(stage.fromLevel, stage.toLevel);
    if (!(level <= most)) {
      return `stage "${stage.name}" reaches ${unit} ${level}, above perfctl's limit of ${count(most)}${plan.model === 'open' ? '/s' : ' users'}`;
    }
  }
  if (plan.stages.length > PLAN_LIMITS.stages) return `the plan has ${count(plan.stages.length)} stages, above perfctl's limit of ${count(PLAN_LIMITS.stages)}`;
  if (plan.totalMs > PLAN_LIMITS.totalMs) return `the plan lasts ${formatDuration(plan.totalMs)}, above perfctl's limit of ${formatDuration(PLAN_LIMITS.totalMs)}`;
  if (plan.model === 'open') {
    const arrivals = plannedRequests(plan);
    if (arrivals > PLAN_LIMITS.arrivals) return `the plan has ${arrivals.toExponential(2)} arrivals, above perfctl's limit of 10^12`;
  }
  return null;
}

/** Throws the invalid-input error (exit 2) for a plan past a limit; `after` names what made it so. */
export function assertWithinLimits(plan: Plan, after = ''): void {
  const problem = planLimitProblem(plan);
  if (problem !== null) throw usageError(`${after}${problem}`, 'lower the level, -d or --scale');
}
