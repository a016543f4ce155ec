// abortOnFail, evaluated during the run on the data so far (after k6's delayAbortEval).
// Pure with respect to time: the caller passes the elapsed time, once a second.
import type { TargetRow } from '../config/types.js';
import type { Cell } from '../metrics/cell.js';
import type { TargetCheckResult } from '../result/types.js';
import { evaluateCheck, scopeOf, type PhaseWindow } from './checks.js';
import { phaseOfRow } from '../config/normalise-scenarios.js';

export interface AbortWatchOptions {
  /** nothing aborts before this much of the run has passed; default 5000 */
  graceMs?: number;
  /** nothing aborts before the row's scope holds this many samples; default 100 */
  minSamples?: number;
}

export interface AbortDecision {
  row: string;
  check: TargetCheckResult;
}

export class AbortWatch {
  private readonly rows: TargetRow[];
  private readonly graceMs: number;
  private readonly minSamples: number;

  /** Takes every row of the table and watches only those with `abortOnFail`. */
  constructor(rows: TargetRow[], opts: AbortWatchOptions = {}) {
    this.rows = rows.filter((row) => row.abortOnFail);
    this.graceMs = opts.graceMs ?? 5000;
    this.minSamples = opts.minSamples ?? 100;
  }

  /** true when some row could ever abort the run (the caller may skip the per-second check otherwise). */
  get active(): boolean {
    return this.rows.length > 0;
  }

  /**
   * The first check that has clearly failed (pass false and not for want of samples), or null.
   * `phases` are the planned stage windows, `elapsedMs` the time since the run started.
   * `rps` checks are never judged live: an average over a run that has not ended (and may
   * still be ramping up) says nothing about whether the target will be reached.
   */
  check(cells: Cell[], phases: PhaseWindow[], elapsedMs: number): AbortDecision | null {
    if (elapsedMs < this.graceMs) return null;
    for (const row of this.rows) {
      const rowPhase = phaseOfRow(row);
      if (rowPhase !== null) {
        const phase = phases.find((p) => p.name === rowPhase);
        if (phase === undefined || phase.startMs > elapsedMs) continue;
      }
      const scope = scopeOf(row, cells, phases, elapsedMs);
      for (const spec of row.checks) {
        if (spec.metric === 'rps') continue;
        const check = evaluateCheck(row, spec, scope);
        if ((check.samples ?? 0) < this.minSamples) continue;
        if (check.state === 'fail') return { row: row.name, check };
      }
    }
    return null;
  }
}
