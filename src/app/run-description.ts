// What a run says it is: a profile shortened with -d or scaled with --scale describes the shape
// it actually ran, then the one it was written with (its own description speaks of the original).
import type { Plan } from '../engine/plan.js';

export interface Adjustments {
  /** -d as typed */
  duration?: string;
  /** --scale */
  scale: number;
  /** -c / -R: one hold replaced the stages */
  vus?: number;
  rate?: number;
}

const trim = (n: number, decimals: number): string => String(Number(n.toFixed(decimals)));

function span(ms: number): string {
  if (ms < 60_000) return `${trim(ms / 1000, 1)}s`;
  const minutes = ms / 60_000;
  if (minutes < 60) return `${trim(minutes, 1)}m`;
  return `${trim(minutes / 60, 1)}h`;
}

/** `6.7s at 30 req/s, 6.7s at 600 req/s, ...`: the stages as planned after the adjustments. */
export function describeShape(plan: Plan): string {
  const unit = plan.model === 'open' ? '/s' : ' users';
  const level = (n: number): string => trim(n, 1);
  const s = plan.stages;
  // a staircase in one phrase: `10 steps of 2s, 50 → 500 users`
  const holds = s.every((st) => st.fromLevel === st.toLevel && st.durationMs > 0);
  const sameLength = s.every((st) => Math.abs(st.durationMs - s[0]!.durationMs) <= 1);
  if (s.length >= 4 && holds && sameLength && s.every((st, i) => i === 0 || st.toLevel > s[i - 1]!.toLevel)) {
    return `${s.length} steps of ${span(s[0]!.durationMs)}, ${level(s[0]!.toLevel)} → ${level(s[s.length - 1]!.toLevel)}${unit}`;
  }
  return plan.stages
    .map((s) =>
      s.durationMs === 0
        ? `jump to ${level(s.toLevel)}${unit}`
        : s.fromLevel === s.toLevel
          ? `${span(s.durationMs)} at ${level(s.toLevel)}${unit}`
          : `${span(s.durationMs)} ramp ${level(s.fromLevel)} → ${level(s.toLevel)}${unit}`,
    )
    .join(', ');
}

/** The description to record: unchanged without -d/--scale, else the actual shape and the original's. */
export function describeAsRun(written: string | undefined, plan: Plan, adjust: Adjustments, scenarios?: ReadonlyArray<{ name: string; startAfterMs: number; plan: Plan }>): string | undefined {
  const flags = [
    adjust.vus !== undefined ? `-c ${adjust.vus}` : null,
    adjust.rate !== undefined ? `-R ${adjust.rate}` : null,
    adjust.duration !== undefined ? `-d ${adjust.duration}` : null,
    adjust.scale !== 1 ? `--scale ${adjust.scale}` : null,
  ].filter((f): f is string => f !== null);
  if (flags.length === 0) return written;
  // scenarios: each one's own shape, in its own unit
  const shape = scenarios
    ? scenarios.map((s) => `${s.name}${s.startAfterMs > 0 ? ` from ${span(s.startAfterMs)}` : ''}: ${describeShape(s.plan)}`).join('; ')
    : describeShape(plan);
  const actual = `Run with ${flags.join(' ')}: ${span(plan.totalMs)} in all, ${shape}.`;
  return written === undefined || written.trim() === '' ? actual : `${actual} As written: ${written}`;
}
