// -d keeps the criteria honest (pure): a run stretched or compressed in time has its time
// limits (`recovery: 5m`) scaled in proportion, so a 15-minute spike run in 60 s is held to a
// recovery within 20 s, not 5 minutes. The limit as written is kept to say so in the reports.
import type { TargetRow } from '../config/types.js';

const TIME_LIMITS = new Set(['recovery']);

export function scaleTimeLimits(rows: TargetRow[], stretch: number): TargetRow[] {
  if (!Number.isFinite(stretch) || stretch <= 0 || Math.abs(stretch - 1) < 1e-9) return rows;
  return rows.map((row) => ({
    ...row,
    checks: row.checks.map((spec) => (TIME_LIMITS.has(spec.metric) ? { ...spec, limit: Math.round(spec.limit * stretch), writtenLimit: spec.writtenLimit ?? spec.limit } : spec)),
  }));
}
