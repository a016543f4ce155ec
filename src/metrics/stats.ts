// Pure: cells -> the stats blocks of result.json. No histogram is ever summarised twice
// in different ways, so terminal, JSON and reports cannot disagree.
import { summariseMs } from './histogram.js';
import type { Cell } from './cell.js';
import type { LatencySummaryMs } from './histogram.js';

export interface StatsBlock {
  /** every request that was sent (arrivals dropped at maxInFlight are generator health, not requests) */
  requests: number;
  errors: number;
  errorRate: number;
  rps: number;
  /** from the scheduled start (open model) or the send (closed model) to the last byte */
  latencyMs: LatencySummaryMs;
  /** open model only: from the actual send to the last byte */
  serviceTimeMs?: LatencySummaryMs;
  statusCodes: Record<string, number>;
  errorKinds: Record<string, number>;
  /** protocol counts: WebSocket messages sent/received and close codes, SSE events, HTTP versions */
  counters?: Record<string, number>;
}

/**
 * The time a run's rates are taken over: the planned duration, or the actual one when the run
 * took longer. A run ends at its last answer, so 1/s for 5 s ends at ~4 s, and 5 requests over
 * 4 s would read 1.25/s. A stopped run is measured over the time it ran.
 */
export function rateWindowMs(completed: boolean, plannedMs: number, actualMs: number): number {
  return completed ? Math.max(plannedMs, actualMs) : actualMs;
}

/** Requests that were actually sent: `dropped` ones never left perfctl. */
export function sentRequests(cell: Cell): number {
  return cell.requests - (cell.errorKinds['dropped'] ?? 0);
}

export function statsBlock(cell: Cell, durationMs: number, withServiceTime: boolean): StatsBlock {
  const seconds = durationMs / 1000;
  const block: StatsBlock = {
    requests: cell.requests,
    errors: cell.errors,
    errorRate: cell.requests === 0 ? 0 : round6(cell.errors / cell.requests),
    rps: seconds > 0 ? round3(sentRequests(cell) / seconds) : 0,
    latencyMs: summariseMs(cell.latency),
    statusCodes: { ...cell.statusCodes },
    errorKinds: { ...cell.errorKinds },
  };
  if (withServiceTime) block.serviceTimeMs = summariseMs(cell.service);
  if (cell.counters) block.counters = { ...cell.counters };
  return block;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
