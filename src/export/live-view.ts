// One view of the run per closed second, shared by every exporter: the totals so far per
// request group (counts, errors by kind, latency buckets) and that second's own numbers. It is
// built from the cells the recorder already keeps, once a second, off the request path; its
// cost depends on the number of groups and histogram buckets, never on the number of requests.
import { requestCells, sumCells, type Cell } from '../metrics/cell.js';
import { scanHistogram, type LatencyHistogram } from '../metrics/histogram.js';
import type { SecondTick } from '../engine/run-load.js';
import type { TimelinePoint } from '../result/types.js';

/**
 * Latency histogram bounds, seconds: fine from 1 ms to 100 ms (where most services answer),
 * then at the limits target tables use (200, 300, 500 ms, 1 s ...), up to 30 s (timeouts).
 * A quantile read from them (histogram_quantile) is exact to the bucket it falls in.
 */
export const LATENCY_BUCKETS_SECONDS = [
  0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 2.5, 5, 10, 30,
] as const;

const BOUNDS_MICROS = LATENCY_BUCKETS_SECONDS.map((s) => Math.round(s * 1e6));

export interface LiveGroup {
  name: string;
  /** since the start of the run */
  requests: number;
  errors: number;
  statusCodes: Record<string, number>;
  errorKinds: Record<string, number>;
  latency: {
    /** cumulative counts at or below each of LATENCY_BUCKETS_SECONDS */
    buckets: number[];
    count: number;
    sumSeconds: number;
    minMs: number;
    maxMs: number;
  };
  /** this second only */
  second: { requests: number; errors: number; p50: number; p95: number; p99: number };
}

export interface ServiceReading {
  cpuPercent?: number;
  memoryMB?: number;
}

export interface LiveSnapshot {
  /** second since the start, 1-based */
  t: number;
  elapsedMs: number;
  /** since the start (requests and steps; flow iterations are not requests) */
  requests: number;
  errors: number;
  inFlight: number;
  /** the second's timeline point: rps (achieved), planned (open model), level, percentiles */
  point: TimelinePoint;
  model: 'open' | 'closed';
  groups: LiveGroup[];
  service?: ServiceReading;
  /** the run has ended: this is the last snapshot */
  final: boolean;
}

/** Turns each tick into a LiveSnapshot (keeping the previous totals to tell one second's own). */
export class LiveView {
  private readonly previous = new Map<string, { requests: number; errors: number; latency: LatencyHistogram }>();

  constructor(
    private readonly model: 'open' | 'closed',
    private readonly service: () => ServiceReading | undefined = () => undefined,
  ) {}

  snapshot(tick: SecondTick, cells: Cell[], final = false): LiveSnapshot {
    const byGroup = new Map<string, Cell[]>();
    for (const cell of requestCells(cells)) {
      const list = byGroup.get(cell.group);
      if (list) list.push(cell);
      else byGroup.set(cell.group, [cell]);
    }
    const groups: LiveGroup[] = [];
    for (const [name, list] of byGroup) groups.push(this.group(name, sumCells(list, name)));
    const service = this.service();
    return {
      t: tick.point.t,
      elapsedMs: Math.round(tick.elapsedMs),
      requests: tick.requests,
      errors: tick.errors,
      inFlight: tick.inFlight,
      point: tick.point,
      model: this.model,
      groups,
      ...(service ? { service } : {}),
      final,
    };
  }

  private group(name: string, sum: Cell): LiveGroup {
    const before = this.previous.get(name);
    // this second's latencies: the totals now beyond the totals a second ago (sumCells made
    // `sum` afresh, so it can be kept as next second's "before")
    const scan = scanHistogram(sum.latency, BOUNDS_MICROS, before?.latency);
    this.previous.set(name, { requests: sum.requests, errors: sum.errors, latency: sum.latency });
    return {
      name,
      requests: sum.requests,
      errors: sum.errors,
      statusCodes: sum.statusCodes,
      errorKinds: sum.errorKinds,
      latency: {
        buckets: scan.buckets,
        count: sum.latency.totalCount,
        sumSeconds: scan.sumSeconds,
        minMs: sum.latency.totalCount === 0 ? 0 : sum.latency.minNonZeroValue / 1000,
        maxMs: sum.latency.maxValue / 1000,
      },
      second: {
        requests: sum.requests - (before?.requests ?? 0),
        errors: sum.errors - (before?.errors ?? 0),
        p50: scan.added.p50,
        p95: scan.added.p95,
        p99: scan.added.p99,
      },
    };
  }
}
