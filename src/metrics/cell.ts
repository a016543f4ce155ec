// A cell holds everything measured for one (group, phase) pair. Totals, groups and phases
// are all sums of cells, so every view of the data adds up exactly.
import { addInto, createHistogram, type LatencyHistogram } from './histogram.js';

export interface Cell {
  group: string;
  phaseIndex: number;
  requests: number;
  errors: number;
  statusCodes: Record<string, number>;
  errorKinds: Record<string, number>;
  latency: LatencyHistogram;
  service: LatencyHistogram;
  /** the cell of a flow: whole iterations, not requests; left out of totals and phases */
  flow?: true;
  /**
   * protocol counts beside the requests, summed like the status codes: `ws.sent`, `ws.received`,
   * `ws.close.1006`, `sse.events`, `protocol.h2`
   */
  counters?: Record<string, number>;
}

export function createCell(group: string, phaseIndex: number, flow = false): Cell {
  return {
    group,
    phaseIndex,
    ...(flow ? { flow: true as const } : {}),
    requests: 0,
    errors: 0,
    statusCodes: {},
    errorKinds: {},
    latency: createHistogram(),
    // 1% resolution is plenty for the diagnostic service time, at an eighth of the memory
    service: createHistogram(true),
  };
}

export function addCount(counts: Record<string, number>, key: string, n = 1): void {
  counts[key] = (counts[key] ?? 0) + n;
}

/** Adds `source` into `target` exactly (counts and histograms). */
export function addCellInto(target: Cell, source: Cell): void {
  target.requests += source.requests;
  target.errors += source.errors;
  for (const [k, v] of Object.entries(source.statusCodes)) addCount(target.statusCodes, k, v);
  for (const [k, v] of Object.entries(source.errorKinds)) addCount(target.errorKinds, k, v);
  if (source.counters) for (const [k, v] of Object.entries(source.counters)) addCount((target.counters ??= {}), k, v);
  addInto(target.latency, source.latency);
  addInto(target.service, source.service);
}

/** The cells of requests and steps: what totals, phases and "all requests" add up (not flows). */
export function requestCells(cells: readonly Cell[]): Cell[] {
  return cells.filter((cell) => cell.flow !== true);
}

export function sumCells(cells: Iterable<Cell>, group = '*', phaseIndex = -1): Cell {
  const sum = createCell(group, phaseIndex);
  for (const cell of cells) addCellInto(sum, cell);
  return sum;
}
