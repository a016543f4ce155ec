// The exporters of one run as a single load observer: each closed second becomes one
// LiveSnapshot (built once, whoever reads it) handed to every exporter; the end of the load
// sends a final one; `close` lingers and flushes after the reports are written.
import { LiveView, type ServiceReading } from './live-view.js';
import { NdjsonExporter } from './ndjson-exporter.js';
import { PrometheusExporter } from './prometheus-exporter.js';
import { StatsdExporter } from './statsd-exporter.js';
import type { ExportSpec } from './export-spec.js';
import type { Exporter, Warn } from './exporter.js';
import type { RunInfo } from './prometheus-text.js';
import type { LoadObserver } from '../engine/load-observer.js';
import type { LoadRunOutcome, SecondTick } from '../engine/run-load.js';

export interface LiveExportOptions {
  model: 'open' | 'closed';
  info: RunInfo;
  warn: Warn;
  /** the service monitor's latest reading, if the run is monitored */
  service?: () => ServiceReading | undefined;
  /** extra exporters (tests) */
  exporters?: Exporter[];
}

export function createExporter(spec: ExportSpec, options: LiveExportOptions): Exporter {
  switch (spec.kind) {
    case 'prometheus':
      return new PrometheusExporter(spec.host, spec.port, options.info);
    case 'ndjson':
      return new NdjsonExporter(spec.file, options.warn);
    case 'statsd':
      return new StatsdExporter(spec.host, spec.port, options.info, options.warn);
    case 'otlp':
      // the OpenTelemetry SDK is loaded only by a run that pushes OTLP
      return new LazyExporter(`otlp ${spec.url}`, async () => new (await import('./otlp-exporter.js')).OtlpExporter(spec.url, options.info, options.warn));
  }
}

/** An exporter whose module is imported in start(), before the load. */
class LazyExporter implements Exporter {
  private inner: Exporter | undefined;

  constructor(
    private readonly label: string,
    private readonly load: () => Promise<Exporter>,
  ) {}

  get name(): string {
    return this.inner?.name ?? this.label;
  }

  async start(): Promise<void> {
    this.inner = await this.load();
    await this.inner.start?.();
  }

  publish(snapshot: Parameters<Exporter['publish']>[0]): void {
    this.inner?.publish(snapshot);
  }

  close(lingerMs: number): Promise<void> {
    return this.inner?.close(lingerMs) ?? Promise.resolve();
  }
}

export class LiveExports implements LoadObserver {
  readonly exporters: Exporter[];
  private readonly view: LiveView;
  private lastTick: SecondTick | undefined;
  private interrupted = false;

  constructor(specs: readonly ExportSpec[], options: LiveExportOptions) {
    this.exporters = [...specs.map((spec) => createExporter(spec, options)), ...(options.exporters ?? [])];
    this.view = new LiveView(options.model, options.service);
  }

  get active(): boolean {
    return this.exporters.length > 0;
  }

  /** Binds and opens every exporter before the load (a failure is exit 2, nothing sent). */
  async start(): Promise<void> {
    try {
      for (const exporter of this.exporters) await exporter.start?.();
    } catch (error) {
      await this.close(0);
      throw error;
    }
  }

  onSecond(tick: SecondTick): void {
    if (!this.active) return;
    this.lastTick = tick;
    this.publish(this.view.snapshot(tick, tick.cells(), false));
  }

  onFinish(outcome: LoadRunOutcome): void {
    if (!this.active) return;
    const last = outcome.timeline[outcome.timeline.length - 1];
    const requests = outcome.cells.filter((c) => c.flow !== true).reduce((s, c) => s + c.requests, 0);
    const errors = outcome.cells.filter((c) => c.flow !== true).reduce((s, c) => s + c.errors, 0);
    const tick: SecondTick = {
      elapsedMs: outcome.durationMs,
      point: last ?? { t: 0, requests: 0, errors: 0, rps: 0, p50: 0, p95: 0, p99: 0, level: 0 },
      stageIndex: this.lastTick?.stageIndex ?? 0,
      level: last?.level ?? 0,
      requests,
      errors,
      inFlight: 0,
      cells: () => outcome.cells,
    };
    this.publish(this.view.snapshot(tick, outcome.cells, true));
  }

  /** Ctrl-C: no linger. */
  interrupt(): void {
    this.interrupted = true;
    for (const exporter of this.exporters) if (exporter instanceof PrometheusExporter) exporter.stopLingering();
  }

  /** After the reports: pull endpoints stay up for `lingerMs`, push ones send what is left. */
  async close(lingerMs: number): Promise<void> {
    const linger = this.interrupted ? 0 : lingerMs;
    await Promise.all(this.exporters.map((exporter) => exporter.close(linger).catch(() => undefined)));
  }

  private publish(snapshot: ReturnType<LiveView['snapshot']>): void {
    for (const exporter of this.exporters) {
      try {
        exporter.publish(snapshot);
      } catch {
        // an exporter's own bug must not end a 24-hour run; each reports its failures itself
      }
    }
  }
}
