// Cells to and from result.json, and the views (totals, groups, phases) built from them.
import type { PhaseWindow } from '../config/types.js';
import { createCell, requestCells, sumCells, type Cell } from '../metrics/cell.js';
import { decodeCell, encodeCell } from '../metrics/cell-codec.js';
import { encodeHistogram } from '../metrics/histogram.js';
import { statsBlock } from '../metrics/stats.js';
import type { PhaseStats, Result, ResultCell, StatsBlock } from './types.js';

export type { PhaseWindow };

export function encodeCells(cells: Cell[], phases: PhaseWindow[]): ResultCell[] {
  return cells.map((cell) => {
    const { phaseIndex, ...rest } = encodeCell(cell);
    return { ...rest, phase: phases[phaseIndex]?.name ?? String(phaseIndex) };
  });
}

export function decodeCells(result: Pick<Result, 'cells' | 'phases'>): Cell[] {
  const phaseIndex = new Map(result.phases.map((p, i) => [p.name, i]));
  return result.cells.map(({ phase, ...rest }) => decodeCell({ ...rest, phaseIndex: phaseIndex.get(phase) ?? -1 }));
}

export interface StatsViews {
  totals: StatsBlock;
  groups: Record<string, StatsBlock>;
  phases: PhaseStats[];
  histograms: Result['histograms'];
}

/** Totals over the run, per group over the run, per phase over its window: all sums of cells. */
export function buildViews(cells: Cell[], phases: PhaseWindow[], durationMs: number, withServiceTime: boolean): StatsViews {
  // flows are groups of their own; their steps are already counted as requests
  const requests = requestCells(cells);
  const total = sumCells(requests);
  // requests and steps first, then the flows (whole iterations), each in order of appearance
  const groupNames = [...new Set([...requests, ...cells.filter((c) => c.flow === true)].map((c) => c.group))];
  const groups: Record<string, StatsBlock> = {};
  const groupHistograms: Record<string, string> = {};
  for (const name of groupNames) {
    const sum = sumCells(cells.filter((c) => c.group === name), name);
    groups[name] = statsBlock(sum, durationMs, withServiceTime);
    groupHistograms[name] = encodeHistogram(sum.latency);
  }
  const phaseStats: PhaseStats[] = [];
  const phaseHistograms: Record<string, string> = {};
  phases.forEach((phase, index) => {
    const sum = sumCells(requests.filter((c) => c.phaseIndex === index), '*', index);
    const windowMs = Math.max(0, Math.min(phase.endMs, durationMs) - phase.startMs);
    phaseStats.push({ name: phase.name, startMs: phase.startMs, endMs: phase.endMs, ...statsBlock(sum, windowMs, withServiceTime) });
    phaseHistograms[phase.name] = encodeHistogram(sum.latency);
  });
  return {
    totals: statsBlock(total, durationMs, withServiceTime),
    groups,
    phases: phaseStats,
    histograms: {
      total: encodeHistogram(total.latency),
      groups: groupHistograms,
      phases: phaseHistograms,
      ...(withServiceTime ? { serviceTotal: encodeHistogram(total.service) } : {}),
    },
  };
}

export { createCell };
