// Cells as plain data (histograms as HdrHistogram base64), to cross a thread or a file.
import { addCellInto, createCell, type Cell } from './cell.js';
import { addInto, decodeHistogram, encodeHistogram, type LatencyHistogram } from './histogram.js';

/** A cell with its two histograms as HdrHistogram base64 (the same fields otherwise). */
export type EncodedCell = Omit<Cell, 'latency' | 'service'> & { latency: string; service: string };

export function encodeCell(cell: Cell): EncodedCell {
  return {
    group: cell.group,
    phaseIndex: cell.phaseIndex,
    requests: cell.requests,
    errors: cell.errors,
    statusCodes: { ...cell.statusCodes },
    errorKinds: { ...cell.errorKinds },
    latency: encodeHistogram(cell.latency),
    service: encodeHistogram(cell.service),
    ...(cell.flow ? { flow: true as const } : {}),
    ...(cell.counters ? { counters: { ...cell.counters } } : {}),
  };
}

export function decodeCell(encoded: EncodedCell): Cell {
  const cell = createCell(encoded.group, encoded.phaseIndex, encoded.flow === true);
  cell.requests = encoded.requests;
  cell.errors = encoded.errors;
  cell.statusCodes = { ...encoded.statusCodes };
  cell.errorKinds = { ...encoded.errorKinds };
  cell.latency = decodeHistogram(encoded.latency);
  cell.service = decodeHistogram(encoded.service, true);
  if (encoded.counters) cell.counters = { ...encoded.counters };
  return cell;
}

/** Adds cells of the same (group, phase) together exactly; one cell per pair comes out. */
export function combineCells(cells: Iterable<Cell>): Cell[] {
  const byKey = new Map<string, Cell>();
  for (const cell of cells) {
    const key = `${cell.phaseIndex}\u0000${cell.group}`;
    let sum = byKey.get(key);
    if (!sum) {
      // a fresh cell: the inputs are never changed, so combining the same cells twice (the
      // workers' live cells, read by more than one watch in a second) cannot count them twice
      sum = createCell(cell.group, cell.phaseIndex, cell.flow === true);
      byKey.set(key, sum);
    }
    addCellInto(sum, cell);
  }
  return [...byKey.values()];
}

/** Time blocks (per group, one histogram per block) as plain data, and back. */
export function encodeTimeBlocks(blocks: Map<string, LatencyHistogram[]>): Record<string, string[]> {
  return Object.fromEntries([...blocks].map(([group, histograms]) => [group, histograms.map(encodeHistogram)]));
}

export function decodeTimeBlocks(encoded: Record<string, string[]>): Map<string, LatencyHistogram[]> {
  return new Map(Object.entries(encoded).map(([group, histograms]) => [group, histograms.map((h) => decodeHistogram(h, true))]));
}

/** Adds time blocks block by block (workers, shards). */
export function combineTimeBlocks(all: Iterable<Map<string, LatencyHistogram[]>>): Map<string, LatencyHistogram[]> {
  const combined = new Map<string, LatencyHistogram[]>();
  for (const blocks of all) {
    for (const [group, histograms] of blocks) {
      const into = combined.get(group);
      if (!into) combined.set(group, histograms);
      else histograms.forEach((h, i) => {
        if (into[i]) addInto(into[i], h);
      });
    }
  }
  return combined;
}

/**
 * In the recorder's block map, a phase's own blocks of a group sit under this key beside the
 * whole run's (keyed by the group name alone), so workers and shards add both alike.
 */
export function phaseBlockKey(phaseIndex: number, group: string): string {
  return `\u0000${phaseIndex}\u0000${group}`;
}

function parsePhaseBlockKey(key: string): { phaseIndex: number; group: string } | null {
  const match = /^\u0000(\d+)\u0000([\s\S]*)$/.exec(key);
  return match ? { phaseIndex: Number(match[1]), group: match[2]! } : null;
}

/** result.json's time blocks: the whole run's per group, and each phase's per phase name and group. */
export interface EncodedBlockViews {
  timeBlocks: Record<string, string[]>;
  phaseTimeBlocks: Record<string, Record<string, string[]>>;
}

export function encodeBlockViews(blocks: Map<string, LatencyHistogram[]>, phaseNames: readonly string[]): EncodedBlockViews {
  const timeBlocks: Record<string, string[]> = {};
  const phaseTimeBlocks: Record<string, Record<string, string[]>> = {};
  for (const [key, histograms] of blocks) {
    const phaseKey = parsePhaseBlockKey(key);
    if (phaseKey === null) {
      timeBlocks[key] = histograms.map(encodeHistogram);
      continue;
    }
    const phase = phaseNames[phaseKey.phaseIndex] ?? String(phaseKey.phaseIndex);
    (phaseTimeBlocks[phase] ??= {})[phaseKey.group] = histograms.map(encodeHistogram);
  }
  return { timeBlocks, phaseTimeBlocks };
}

/** The inverse of encodeBlockViews (for merge): one map with the phases' blocks under phaseBlockKey. */
export function decodeBlockViews(views: Partial<EncodedBlockViews>, phaseNames: readonly string[]): Map<string, LatencyHistogram[]> {
  const blocks = decodeTimeBlocks(views.timeBlocks ?? {});
  for (const [phase, byGroup] of Object.entries(views.phaseTimeBlocks ?? {})) {
    const phaseIndex = phaseNames.indexOf(phase);
    if (phaseIndex < 0) continue;
    for (const [group, histograms] of Object.entries(byGroup)) blocks.set(phaseBlockKey(phaseIndex, group), histograms.map((h) => decodeHistogram(h, true)));
  }
  return blocks;
}
