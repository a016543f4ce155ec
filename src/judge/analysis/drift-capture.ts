// Captures the data of a soak's early and late windows during the run: a copy of the
// cumulative cells at each window boundary (four in all), taken on the per-second tick, so
// that each window is the exact difference of two snapshots (drift.ts windowCells). Pure with
// respect to time: the caller passes the tick's second and its cells. Memory: four copies of
// the cells, whatever the length of the run.
import { addCellInto, createCell, type Cell } from '../../metrics/cell.js';
import { windowCells, type WindowCells } from './drift.js';
import type { DriftWindows } from '../../config/stage-shape.js';

interface Snapshot {
  atMs: number;
  cells: Cell[];
}

function copyCells(cells: Cell[]): Cell[] {
  return cells.map((cell) => {
    const copy = createCell(cell.group, cell.phaseIndex, cell.flow === true);
    addCellInto(copy, cell);
    return copy;
  });
}

export class DriftCapture {
  /** boundaries in ms: early start, early end, late start, late end */
  private readonly boundaries: number[];
  private readonly snapshots: Array<Snapshot | undefined> = [undefined, undefined, undefined, undefined];

  constructor(readonly windows: DriftWindows) {
    this.boundaries = [windows.early.startMs, windows.early.endMs, windows.late.startMs, windows.late.endMs];
  }

  /** true while a boundary is still ahead (the caller needs the cells on its ticks) */
  get pending(): boolean {
    return this.snapshots.some((s) => s === undefined);
  }

  /** true when the tick at `second` (1-based, end of that second) reaches a boundary not yet captured */
  wants(second: number): boolean {
    return this.boundaries.some((b, i) => this.snapshots[i] === undefined && b <= second * 1000);
  }

  /** On the tick that closes `second`: snapshot the cumulative cells for every boundary reached. */
  onSecond(second: number, cells: () => Cell[]): void {
    if (!this.wants(second)) return;
    const snapshot: Snapshot = { atMs: second * 1000, cells: copyCells(cells()) };
    this.boundaries.forEach((b, i) => {
      if (this.snapshots[i] === undefined && b <= second * 1000) this.snapshots[i] = snapshot;
    });
  }

  /**
   * The two windows once the run is over (`finalCells`: the outcome's cells at `durationMs`).
   * A boundary the ticks did not reach is taken from the final cells when the run got there
   * (the end of a span that is the last stage); a window the run stopped in ends at the end of
   * the run; null when the run ended before the late window began.
   */
  finish(finalCells: Cell[], durationMs: number): { early: WindowCells; late: WindowCells } | null {
    const final: Snapshot = { atMs: durationMs, cells: finalCells };
    const [a, b, c, d] = [this.snapshots[0], this.snapshots[1] ?? final, this.snapshots[2], this.snapshots[3] ?? final];
    if (!a || !c || b.atMs <= a.atMs || d.atMs <= c.atMs) return null;
    return {
      early: { startMs: a.atMs, endMs: b.atMs, cells: windowCells(a.cells, b.cells) },
      late: { startMs: c.atMs, endMs: d.atMs, cells: windowCells(c.cells, d.cells) },
    };
  }
}
