// `--export otlp=URL`: the same metrics as /metrics, pushed as OTLP/HTTP (JSON encoding) to
// URL/v1/metrics every 10 s and at the end, with the official OpenTelemetry JS SDK. The only
// module that imports @opentelemetry/*.
//
// perfctl's numbers are already aggregated (counts per group, HDR histograms), so they reach the
// SDK through a MetricProducer (the SDK's bridge for pre-aggregated metrics, as its OpenCensus
// and Prometheus bridges use) rather than instruments fed one request at a time: the SDK's
// PeriodicExportingMetricReader schedules the pushes and its OTLP exporter encodes and sends
// them. Counters and the histogram are cumulative from the start of the run.
import { ValueType, type HrTime } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type CollectionResult,
  type DataPoint,
  type MetricData,
  type MetricProducer,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { OnceWarning, type Exporter, type Warn } from './exporter.js';
import { LATENCY_BUCKETS_SECONDS, type LiveSnapshot } from './live-view.js';
import type { RunInfo } from './prometheus-text.js';

export const OTLP_PUSH_INTERVAL_MS = 10_000;
/** a push that takes longer is abandoned (and warned about): the next one is 10 s later */
const PUSH_TIMEOUT_MS = 5_000;

const hrTime = (epochMs: number): HrTime => [Math.floor(epochMs / 1000), Math.round((epochMs % 1000) * 1e6)];

/** The snapshot as OTLP metric data (cumulative since `startMs`, epoch ms). */
export function otlpMetrics(snapshot: LiveSnapshot, startMs: number, nowMs: number): MetricData[] {
  const startTime = hrTime(startMs);
  const endTime = hrTime(nowMs);
  const point = <T>(value: T, attributes: Record<string, string> = {}): DataPoint<T> => ({ startTime, endTime, attributes, value });
  const requests: DataPoint<number>[] = [];
  const errors: DataPoint<number>[] = [];
  const latency: DataPoint<{ buckets: { boundaries: number[]; counts: number[] }; sum: number; count: number; min: number; max: number }>[] = [];
  for (const g of snapshot.groups) {
    let answered = 0;
    for (const [status, n] of Object.entries(g.statusCodes)) {
      answered += n;
      requests.push(point(n, { group: g.name, status }));
    }
    if (g.requests > answered) requests.push(point(g.requests - answered, { group: g.name, status: '0' }));
    for (const [kind, n] of Object.entries(g.errorKinds)) errors.push(point(n, { group: g.name, kind }));
    // cumulative bucket counts -> per-bucket counts, the last one above the highest bound
    const cumulative = [...g.latency.buckets, g.latency.count];
    const counts = cumulative.map((c, i) => c - (i === 0 ? 0 : cumulative[i - 1]!));
    latency.push(
      point(
        { buckets: { boundaries: [...LATENCY_BUCKETS_SECONDS], counts }, sum: g.latency.sumSeconds, count: g.latency.count, min: g.latency.minMs / 1000, max: g.latency.maxMs / 1000 },
        { group: g.name },
      ),
    );
  }
  const descriptor = (name: string, description: string, unit: string, valueType = ValueType.INT) => ({ name, description, unit, valueType });
  const gauge = (name: string, description: string, unit: string, value: number): MetricData => ({
    descriptor: descriptor(name, description, unit, ValueType.DOUBLE),
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.GAUGE,
    dataPoints: [point(value)],
  });
  const metrics: MetricData[] = [
    {
      descriptor: descriptor('perfctl.requests', 'Requests that were due, by request group and HTTP status ("0": no response)', '{request}'),
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      dataPoints: requests,
    },
    {
      descriptor: descriptor('perfctl.errors', 'Failed requests by request group and kind', '{request}'),
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      dataPoints: errors,
    },
    {
      descriptor: descriptor('perfctl.latency', 'Latency from the moment a request was due to its last byte, by request group', 's', ValueType.DOUBLE),
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints: latency,
    },
    gauge('perfctl.in_flight', 'Requests (or flow iterations) in flight', '{request}', snapshot.inFlight),
    gauge('perfctl.planned_rate', 'Requests per second planned in the last second (users in the closed model)', '{request}/s', snapshot.point.planned ?? snapshot.point.level),
    gauge('perfctl.achieved_rate', 'Requests completed in the last second', '{request}/s', snapshot.point.rps),
  ];
  if (snapshot.service?.cpuPercent !== undefined) metrics.push(gauge('perfctl.service.cpu', "The service's CPU use, % of one core", '%', snapshot.service.cpuPercent));
  if (snapshot.service?.memoryMB !== undefined) metrics.push(gauge('perfctl.service.memory', "The service's resident memory", 'By', Math.round(snapshot.service.memoryMB * 1024 * 1024)));
  return metrics;
}

/** Hands the latest snapshot to the SDK whenever its reader collects. */
class SnapshotProducer implements MetricProducer {
  latest: LiveSnapshot | undefined;
  startMs = Date.now();

  async collect(): Promise<CollectionResult> {
    const metrics = this.latest ? otlpMetrics(this.latest, this.startMs, Date.now()) : [];
    // the reader puts these under the MeterProvider's resource
    const resourceMetrics = { resource: resourceFromAttributes({}), scopeMetrics: [{ scope: { name: 'perfctl' }, metrics }] } satisfies ResourceMetrics;
    return { resourceMetrics, errors: [] };
  }
}

/** The OTLP exporter, with its failures reported once instead of to OpenTelemetry's silent logger. */
class WarningExporter implements PushMetricExporter {
  constructor(
    private readonly inner: OTLPMetricExporter,
    private readonly warning: OnceWarning,
  ) {}

  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    this.inner.export(metrics, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) this.warning.fail(result.error?.message ?? 'the push failed');
      done(result);
    });
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  selectAggregationTemporality(): AggregationTemporality {
    return AggregationTemporality.CUMULATIVE;
  }
}

/** `http://host:4318` -> `http://host:4318/v1/metrics`; a URL with a path is used as given. */
export function metricsUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = '/v1/metrics';
  return parsed.toString();
}

export class OtlpExporter implements Exporter {
  readonly name: string;
  private readonly producer = new SnapshotProducer();
  private readonly provider: MeterProvider;

  constructor(url: string, info: RunInfo, warn: Warn, intervalMs = OTLP_PUSH_INTERVAL_MS) {
    const target = metricsUrl(url);
    this.name = `otlp ${target}`;
    const warning = new OnceWarning(this.name, warn);
    const exporter = new WarningExporter(new OTLPMetricExporter({ url: target, timeoutMillis: PUSH_TIMEOUT_MS }), warning);
    this.provider = new MeterProvider({
      resource: resourceFromAttributes({
        'service.name': 'perfctl',
        'perfctl.profile': info.profile,
        ...(info.label ? { 'perfctl.run.label': info.label } : {}),
        ...(info.shard ? { 'perfctl.shard': info.shard } : {}),
      }),
      readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: intervalMs, exportTimeoutMillis: PUSH_TIMEOUT_MS, metricProducers: [this.producer] })],
    });
  }

  publish(snapshot: LiveSnapshot): void {
    if (!this.producer.latest) this.producer.startMs = Date.now() - snapshot.elapsedMs;
    this.producer.latest = snapshot;
  }

  /** The last push (the SDK's shutdown collects and sends once more), at most PUSH_TIMEOUT_MS. */
  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, PUSH_TIMEOUT_MS + 500)));
    await Promise.race([this.provider.shutdown().catch(() => undefined), limit]);
    clearTimeout(timer);
  }
}
