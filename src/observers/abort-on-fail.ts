// abortOnFail as a load observer: once a second the judge's own check (judge/live-abort.ts) on
// the data so far; the first clearly failed row stops the run, and says which.
import type { PhaseWindow, TargetRow } from '../config/types.js';
import type { LoadControl, LoadObserver } from '../engine/load-observer.js';
import type { SecondTick } from '../engine/run-load.js';
import { describeRowCheck } from '../judge/checks.js';
import { AbortWatch } from '../judge/live-abort.js';

export class AbortOnFail implements LoadObserver {
  private readonly watch: AbortWatch;
  /** the check that stopped the run (`During the spike errorRate 12.00% ≥ 5%`), or null */
  abortedBy: string | null = null;

  constructor(
    rows: TargetRow[],
    private readonly phases: PhaseWindow[],
  ) {
    this.watch = new AbortWatch(rows);
  }

  get needsCells(): boolean {
    return this.watch.active;
  }

  onSecond(tick: SecondTick, run: LoadControl): void {
    if (!this.watch.active || this.abortedBy !== null) return;
    const decision = this.watch.check(tick.cells(), this.phases, tick.elapsedMs);
    if (!decision) return;
    this.abortedBy = describeRowCheck(decision.check);
    run.stop('aborted');
  }
}
