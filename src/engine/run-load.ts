// Runs one plan against one service: starts the executor of the plan's model, closes a
// timeline point every second (with the generator's own health), and stops on request.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';
import { monotonicClock, type Clock } from './clock.js';
import { startClosedExecution } from './closed-executor.js';
import { HttpTransport } from './http-transport.js';
import type { TlsSettings, Transport, TransportKind, TransportOptions } from './transport.js';
import { RawTransport } from './raw-transport.js';
import { HttpClient } from './http-client.js';
import { proxyFor } from './proxy.js';
import { startOpenExecution } from './open-executor.js';
import { arrivalsBefore, createPacer, limitPacer, sliceOfLevel } from './pacer.js';
import { buildPlan, levelAt, stageIndexAt, type Plan } from './plan.js';
import { DataRows, FlowRunner, prepareFlows } from './flow-runner.js';
import { parseTarget, prepareRequest } from './prepare-requests.js';
import { prepareStream, StreamRunner } from './stream-runner.js';
import { H2Transport } from './h2-transport.js';
import { NegotiatedTransport, type WireProtocol } from './negotiated-transport.js';
import { collectStartUpGarbage, promoteHeadStartObjects, socketWarmUpFits, wantsWarmUp, warmUp } from './warm-up.js';
import { startWarmUpSink } from './warm-up-sink.js';
import { idleLoweredThreads, lowerOtherThreadsPriority } from './thread-priority.js';
import { holdLowRateBudget, isLowRate } from './compiler-budget.js';
import { loopLagOf } from './generator-health.js';
import { Recorder, elapsedSince } from '../metrics/recorder.js';
import type { HttpVersion, DataSourceSpec, LoadModel, FlowSpec, HttpSpec, RequestSpec, ThinkTime } from '../config/types.js';
import type { Cell } from '../metrics/cell.js';
import type { LatencyHistogram } from '../metrics/histogram.js';
import type { TimelinePoint } from '../metrics/recorder.js';
import type { Execution, ScheduleHealth, Slice } from './executor.js';

/**
 * The event loop's lag is sampled by a timer this often (node's monitorEventLoopDelay). Every
 * sample wakes the loop: at 10 ms that was 100 wake-ups a second, ~6 ms of CPU a second in an
 * otherwise idle low-rate run. A stall of the generator (what the lag is for: it explains an
 * inconclusive run) lasts longer than this and is always caught.
 */
const LOOP_LAG_SAMPLE_MS = 50;

export interface LoadRunOptions {
  plan: Plan;
  slice?: Slice;
  baseUrl: string;
  requests: RequestSpec[];
  /** multi-step flows, picked by weight together with `requests` */
  flows?: FlowSpec[];
  /** the data files the flows read */
  data?: DataSourceSpec[];
  timeoutMs: number;
  maxInFlight: number;
  thinkTime: ThinkTime;
  /** how long to wait for requests in flight after a stop */
  drainMs?: number;
  clock?: Clock;
  /** called once a second after the timeline point is closed */
  onSecond?: (tick: SecondTick) => void;
  /** include each second's latency histogram in the tick (for merging across workers) */
  exportSecondHistograms?: boolean;
  /** which HTTP client sends the requests; default raw */
  transport?: TransportKind;
  /** `http.version`: HTTP/2 (h2/h2c) or negotiated by ALPN; with it, each group records its protocol */
  httpVersion?: HttpVersion;
  /** the profile's `http:` (redirects, compression, cookies, TLS, proxy) */
  http?: HttpSpec;
  /** --insecure: accept any TLS certificate */
  insecure?: boolean;
  /** for HTTP_PROXY / HTTPS_PROXY / NO_PROXY; default process.env */
  env?: Record<string, string | undefined>;
  /** clock time of t = 0, so several worker threads share one schedule; default: now */
  startAtMs?: number;
  /** -n: stop once this many requests (flow iterations) were sent, over all slices */
  requestLimit?: number;
  /** --seed: every random choice (template functions, think ranges, random data rows) */
  seed?: number;
  /** the values the profile's setup steps captured ({{ setup.NAME }}) */
  setupValues?: Record<string, string>;
  /** this run is another run's socket warm-up, against perfctl's own sink: nothing warms it */
  isWarmUp?: boolean;
  /** called after the socket warm-up with how many requests perfctl's sink answered */
  onSocketWarmUp?: (answered: number) => void;
}

export interface SecondTick {
  elapsedMs: number;
  point: TimelinePoint;
  stageIndex: number;
  level: number;
  requests: number;
  errors: number;
  /** requests (or flow iterations) in flight at the end of the second */
  inFlight: number;
  /** the data so far, for live checks (abortOnFail) */
  cells: () => Cell[];
  /** this second's latencies (HdrHistogram base64), with exportSecondHistograms */
  secondHistogram?: string;
  /** a run with scenarios: each one's planned level and stage at the end of the second */
  scenarios?: ScenarioLevel[];
}

export interface ScenarioLevel {
  name: string;
  model: LoadModel;
  /** its stage's name (`wait` before its startAfter) */
  stage: string;
  level: number;
}

/** `breakingPoint`: stopOnBreak ended a staircase at its broken step (the run counts as completed) */
export type StopReason = 'interrupted' | 'aborted' | 'breakingPoint';

export interface LoadRunOutcome {
  status: 'completed' | StopReason;
  startedAt: Date;
  endedAt: Date;
  durationMs: number;
  cells: Cell[];
  timeline: TimelinePoint[];
  health: ScheduleHealth | null;
  /** worst event-loop lag over the run, ms */
  maxLoopLagMs: number;
  /** when the first request left (wall clock); null when none did */
  firstSendAt: Date | null;
  /** per request group, its latencies in TIME_BLOCKS time blocks */
  timeBlocks: Map<string, LatencyHistogram[]>;
  /** a warm-up's connections, left open when it ended: its caller closes them (see startSocketWarmUp) */
  teardown?: () => Promise<void>;
}

export interface LoadRun {
  stop(reason: StopReason): void;
  readonly finished: Promise<LoadRunOutcome>;
}

/** Time given to opening the first connections before t = 0. */
const PREWARM_HEAD_START_MS = 50;
/** The same after a warm-up, so the optimising compiler (on another thread) is done by t = 0. */
const WARM_HEAD_START_MS = 120;
/** How long the socket warm-up sends to perfctl's own sink. */
const SOCKET_WARM_UP_MS = 600;
/** Time for the sink's thread to start listening. */
const SINK_START_MS = 40;
/** The socket warm-up is cut off this long before the compiler's head start: time for its last answers and its teardown. */
const SOCKET_WARM_UP_WIND_DOWN_MS = 80;
/** The head start of a run with a socket warm-up. */
const SOCKET_WARM_HEAD_START_MS = SINK_START_MS + PREWARM_HEAD_START_MS + SOCKET_WARM_UP_MS + SOCKET_WARM_UP_WIND_DOWN_MS + WARM_HEAD_START_MS;
/** How long before t = 0 a busy run promotes what its head start allocated (two scavenges, ~1 ms each). */
const PROMOTE_LEAD_MS = 15;
/**
 * At most this many connections are opened before t = 0. It was 64: at 20,000/s (1% is 200) a
 * hiccup in the first second then left a backlog that needed new connections, opened under
 * load, and the first second's worst start was 37-45 ms late in 4 of 5 runs on a busy machine,
 * against 5.7-8.7 ms with 160 opened before (5 interleaved pairs). A loopback connect costs
 * ~0.1 ms, well inside the head start.
 */
const PREWARM_MOST = 256;

/**
 * Enough connections for the first stage at a ~10 ms service time (open model), or one per
 * starting user (closed), never more than PREWARM_MOST nor than the transport may open.
 */
function prewarmConnections(plan: Plan, sliceCount: number, most: number): number {
  const first = plan.stages[0];
  if (!first) return 0;
  const level = Math.max(first.fromLevel, first.toLevel) / sliceCount;
  const wanted = plan.model === 'open' ? Math.ceil(level * 0.01) : Math.ceil(level);
  return Math.min(most, PREWARM_MOST, Math.max(1, wanted));
}

/** `http.tls` with its files read, and --insecure; undefined when neither says anything */
export function tlsSettings(http: HttpSpec | undefined, insecure: boolean): TlsSettings | undefined {
  const spec = http?.tls;
  if (spec === undefined && !insecure) return undefined;
  const settings: TlsSettings = {};
  if (insecure || spec?.insecure === true) settings.insecure = true;
  if (spec?.ca !== undefined) settings.ca = readFileSync(spec.ca);
  if (spec?.cert !== undefined) settings.cert = readFileSync(spec.cert);
  if (spec?.key !== undefined) settings.key = readFileSync(spec.key);
  if (spec?.servername !== undefined) settings.servername = spec.servername;
  return settings;
}

/** Most connections a process opens (its worker threads share them): the open-file limit less room for everything else. */
export function connectionCap(limit = openFileLimit()): number {
  return Math.max(64, Math.min(10_000, limit - 256));
}

/** the soft limit on open files (Linux), or a common default */
function openFileLimit(): number {
  try {
    const match = /Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // not Linux: assume the common default
  }
  return 1024;
}

/**
 * The client for `http.version`: none given, HTTP/1.1 as always (no protocol recorded); `1.1`, the
 * same, recorded; `2`, HTTP/2 (h2c on http://); `auto`, h2 where the TLS server offers it by ALPN.
 */
function chooseClient(
  version: HttpVersion | undefined,
  origin: string,
  transportOptions: TransportOptions,
  clock: Clock,
  http1: () => Transport,
): { client: Transport; protocolOf?: () => WireProtocol | undefined } {
  if (version === undefined) return { client: http1() };
  if (version === '1.1') return { client: http1(), protocolOf: () => 'http/1.1' };
  const h2 = (): Transport => new H2Transport(origin, transportOptions, clock);
  if (version === '2') {
    const protocol: WireProtocol = origin.startsWith('https:') ? 'h2' : 'h2c';
    return { client: h2(), protocolOf: () => protocol };
  }
  const negotiated = new NegotiatedTransport(origin, transportOptions, h2, http1);
  return { client: negotiated, protocolOf: () => negotiated.protocol };
}

/** The client, each answer marked with the protocol it went out with. */
function stampProtocol(client: Transport, protocolOf: () => WireProtocol | undefined): Transport {
  return {
    send(request, done, context) {
      client.send(request, (result) => {
        const protocol = protocolOf();
        if (protocol !== undefined) result.protocol = protocol; // each result is the transport's own fresh object
        done(result);
      }, context);
    },
    destroy: () => client.destroy(),
    ...(client.stopStarting ? { stopStarting: () => client.stopStarting!() } : {}),
    ...(client.prewarm ? { prewarm: (count: number) => client.prewarm!(count) } : {}),
  };
}

export function startLoad(options: LoadRunOptions): LoadRun {
  const clock = options.clock ?? monotonicClock;
  const { plan } = options;
  const slice = options.slice ?? { index: 0, count: 1 };
  const target = parseTarget(options.baseUrl, options.http);
  const flows = prepareFlows(options.flows ?? [], options.data ?? [], target, options.setupValues);
  const requests = [...options.requests.map((r) => (r.stream ? prepareStream(r) : prepareRequest(r, target))), ...flows];
  const peakLevel = Math.max(1, ...plan.stages.map((s) => Math.max(s.fromLevel, s.toLevel)));
  // connections are capped apart from maxInFlight: past the cap requests wait for a connection
  // (in their latency), instead of perfctl running out of file descriptors
  const connections = Math.min(plan.model === 'open' ? options.maxInFlight : Math.ceil(peakLevel), Math.ceil(connectionCap() / slice.count));
  const tls = tlsSettings(options.http, options.insecure === true);
  const env = options.env ?? process.env;
  const optionsFor = (origin: string): TransportOptions => {
    const proxy = proxyFor(origin, options.http?.proxy, env);
    return { connections, timeoutMs: options.timeoutMs, ...(tls !== undefined ? { tls } : {}), ...(proxy !== undefined ? { proxy } : {}) };
  };
  const http1For = (origin: string) => (): Transport =>
    options.transport === 'undici' ? new HttpTransport(origin, optionsFor(origin), clock) : new RawTransport(origin, optionsFor(origin), clock);
  // one pool per origin (an absolute URL in `path` gets its own) and protocol, under one HTTP
  // client layer (redirects, cookies, decoding, expectations) that works the same over every
  // transport; the profile's `http.version` chooses the base origin's, a request's own its own
  let recordsProtocol = options.httpVersion !== undefined;
  const client: Transport = new HttpClient(target.origin, (origin, own) => {
    const version = own ?? (origin === target.origin ? options.httpVersion : undefined);
    if (version === undefined) return http1For(origin)();
    recordsProtocol = true;
    const picked = chooseClient(version, origin, optionsFor(origin), clock, http1For(origin));
    return picked.protocolOf ? stampProtocol(picked.client, picked.protocolOf) : picked.client;
  }, options.httpVersion);
  // the first send is the shard's actual start as the service sees it (--start-at evidence)
  let firstSendMs: number | undefined;
  const transport: Transport = {
    send(request, done, context) {
      firstSendMs ??= clock.nowMs();
      if (!recordsProtocol && request.httpVersion === undefined) return client.send(request, done, context);
      // `http.version` given: each group records the protocol its requests went out with
      client.send(request, (result) => {
        if (result.protocol !== undefined && !Number.isNaN(result.sentAtMs)) recorder.count(request.name, stageIndexAt(plan, result.sentAtMs - startMs), `protocol.${result.protocol}`);
        done(result);
      }, context);
    },
    destroy: () => client.destroy(),
    stopStarting: () => client.stopStarting?.(),
    ...(client.prewarm ? { prewarm: (count: number) => client.prewarm!(count) } : {}),
  };

  const requestLimit = options.requestLimit === undefined ? undefined : sliceOfLevel(options.requestLimit, slice);
  const pacer = plan.model === 'open' ? limitPacer(createPacer(plan, slice), requestLimit) : null;
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_LAG_SAMPLE_MS });
  loopDelay.enable();
  let maxLoopLagMs = 0;

  // connections for the first moments are opened just before t = 0 (a loopback connect takes
  // well under a millisecond; the head start bounds the wait for slower ones)
  if (transport.prewarm) void transport.prewarm(prewarmConnections(plan, slice.count, connections));
  // a busy first second: the hot paths are optimised before t = 0 (made-up data, nothing sent),
  // with a longer head start for the compiler to finish
  const warm = options.isWarmUp !== true && wantsWarmUp(plan, pacer, slice.count, (options.thinkTime.minMs + options.thinkTime.maxMs) / 2);
  // and where the service is plain HTTP/1.1 reached directly, the socket path as well: the same
  // requests through the same code, against perfctl's own loopback sink (the service sees none)
  const socketWarm =
    warm &&
    pacer !== null &&
    socketWarmUpFits({
      origin: target.origin,
      transport: options.transport,
      httpVersion: options.httpVersion,
      proxied: proxyFor(target.origin, options.http?.proxy, env) !== undefined,
      requests: options.requests,
      flows: flows.length,
      leadMs: options.startAtMs === undefined ? undefined : options.startAtMs - clock.nowMs(),
      neededMs: SOCKET_WARM_HEAD_START_MS,
    });
  // a low rate gains nothing from V8's optimising compiler and pays its CPU: it waits longer
  // (the flag is the process's, so only the main thread's load sets it)
  const releaseBudget = isMainThread && options.isWarmUp !== true && !warm && isLowRate(plan, slice.count) ? holdLowRateBudget() : undefined;
  if (warm) {
    warmUp(plan, pacer, requests.map((r) => r.name), clock);
    collectStartUpGarbage();
  }
  // the schedule's thread first: the process's other threads yield to it (not in worker
  // threads, where the other threads include the other load workers)
  if (isMainThread) {
    lowerOtherThreadsPriority();
    // and where the open model's first second is busy, out of its way at once (thread-priority.ts)
    if (warm && pacer !== null) void idleLoweredThreads();
  }
  const startMs = options.startAtMs ?? clock.nowMs() + (socketWarm ? SOCKET_WARM_HEAD_START_MS : warm ? WARM_HEAD_START_MS : PREWARM_HEAD_START_MS);
  const socketWarmUp = socketWarm ? startSocketWarmUp(options, target.basePath, arrivalsBefore(pacer!, 1000), startMs - WARM_HEAD_START_MS - SOCKET_WARM_UP_WIND_DOWN_MS, clock) : undefined;
  if (warm) {
    const promoteInMs = startMs - PROMOTE_LEAD_MS - clock.nowMs();
    if (promoteInMs > 0) setTimeout(promoteHeadStartObjects, promoteInMs).unref();
  }
  const startedAt = new Date(Date.now() + (startMs - clock.nowMs()));
  const recorder = new Recorder(plan.stages.length, { plannedMs: plan.totalMs, elapsedMs: elapsedSince(clock, startMs), phases: plan.stages });
  const streams = requests.some((r) => r.kind === 'stream' || (r.kind === 'flow' && r.steps.some((step) => step.kind === 'stream')))
    ? new StreamRunner({ plan, recorder, clock, startMs, target, timeoutMs: options.timeoutMs, measureServiceTime: plan.model === 'open', ...(tls !== undefined ? { tls } : {}) })
    : undefined;
  const context = {
    ...(streams ? { streams } : {}),
    plan,
    slice,
    requests,
    transport,
    recorder,
    clock,
    startMs,
    maxInFlight: options.maxInFlight,
    thinkTime: options.thinkTime,
    ...(requestLimit !== undefined ? { requestLimit } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(flows.length > 0
      ? {
          flows: new FlowRunner({
            plan,
            transport,
            recorder,
            clock,
            startMs,
            target,
            measureServiceTime: plan.model === 'open',
            ...(options.seed !== undefined ? { seed: options.seed } : {}),
            ...(streams ? { streams } : {}),
            data: (options.data ?? []).map((source) => new DataRows(source, slice)),
          }),
        }
      : {}),
  };
  const execution: Execution = plan.model === 'open' ? startOpenExecution(context) : startClosedExecution(context);

  let status: LoadRunOutcome['status'] = 'completed';
  let second = 0;
  let ticker: NodeJS.Timeout | undefined;

  const closeSecond = (): void => {
    second++;
    const endMs = second * 1000;
    const loopLagMs = loopLagOf(loopDelay.max / 1e6, LOOP_LAG_SAMPLE_MS, execution.longestSleepMs?.() ?? 0);
    loopDelay.reset();
    maxLoopLagMs = Math.max(maxLoopLagMs, loopLagMs);
    const planned = pacer ? arrivalsBefore(pacer, endMs) - arrivalsBefore(pacer, endMs - 1000) : undefined;
    const level = levelAt(plan, Math.min(endMs, plan.totalMs) - 1);
    const secondHistogram = options.exportSecondHistograms ? recorder.encodeSecondLatency() : undefined;
    const point = recorder.closeSecond({ t: second, level: level / slice.count, planned, loopLagMs });
    options.onSecond?.({
      ...(secondHistogram !== undefined ? { secondHistogram } : {}),
      elapsedMs: clock.nowMs() - startMs,
      point,
      stageIndex: stageIndexAt(plan, endMs - 1),
      level,
      requests: recorder.requests,
      errors: recorder.errors,
      inFlight: execution.inFlight(),
      cells: () => recorder.cells(),
    });
  };

  const scheduleTick = (): void => {
    const nextMs = startMs + (second + 1) * 1000;
    ticker = setTimeout(() => {
      closeSecond();
      scheduleTick();
    }, Math.max(0, nextMs - clock.nowMs()));
  };
  scheduleTick();

  const drainMs = options.drainMs ?? 3000;
  let stopRequested: (() => void) | undefined;
  const stopSignal = new Promise<void>((resolve) => (stopRequested = resolve));

  const finished = (async (): Promise<LoadRunOutcome> => {
    await Promise.race([execution.done, stopSignal]);
    if (status !== 'completed') {
      // stopped: wait briefly for what is in flight, then cut it
      await Promise.race([execution.done, sleep(drainMs)]);
    }
    if (ticker) clearTimeout(ticker);
    // a run stopped in its head start (Ctrl-C during the warm-up) never began: it lasted 0 ms
    const durationMs = Math.max(0, clock.nowMs() - startMs);
    // the last, partial second still gets its point (and always when it holds a request: one
    // answered within a millisecond of the full second would otherwise miss the timeline)
    if (durationMs > second * 1000 + 1 || recorder.openSecondRequests > 0) closeSecond();
    loopDelay.disable();
    streams?.destroy();
    const closeTransport = (): Promise<void> => transport.destroy().catch(() => undefined);
    if (options.isWarmUp !== true) await closeTransport();
    // and the socket warm-up's, now that the run's code no longer matters
    await socketWarmUp?.close();
    return {
      ...(options.isWarmUp === true ? { teardown: closeTransport } : {}),
      status,
      startedAt,
      endedAt: new Date(startedAt.getTime() + durationMs),
      durationMs: Math.round(durationMs),
      cells: recorder.cells(),
      timeBlocks: recorder.timeBlocks(),
      timeline: recorder.timeline,
      health: execution.health?.() ?? null,
      maxLoopLagMs: Math.round(maxLoopLagMs * 10) / 10,
      firstSendAt: firstSendMs === undefined ? null : new Date(startedAt.getTime() + (firstSendMs - startMs)),
    };
    // (V8's default budget is back before the caller goes on to the report's code, whatever happened)
  })().finally(() => releaseBudget?.());

  return {
    stop(reason) {
      if (status !== 'completed') return;
      status = reason;
      socketWarmUp?.stop();
      execution.stop();
      // what was not yet on the wire is never sent; only what is in flight gets the drain time
      // (not in a warm-up: its transport's state would change under the run's optimised code)
      if (options.isWarmUp !== true) transport.stopStarting?.();
      stopRequested?.();
    },
    finished,
  };
}

/**
 * Two loads this many at once make the socket warm-up: each call site then sees two closures of
 * the same code, and V8 learns the code rather than the one closure (else the run's own
 * closures, new at t = 0, would throw the optimised code away as a "wrong call target").
 */
const SOCKET_WARM_UP_LOADS = 2;
/**
 * The warm-up's rate, as a share of the first second's: the sink and the build-up of the
 * compiler's work share the machine with it, and a warm-up that falls behind would still be
 * sending when it should have made way for the compiler.
 */
const SOCKET_WARM_UP_SHARE = 0.5;

/**
 * The socket warm-up: the run's own requests, through the same client and executor, sent to
 * perfctl's own loopback sink at SOCKET_WARM_UP_SHARE of the first second's rate (`perSecond`)
 * for SOCKET_WARM_UP_MS, cut off at `endByMs` (clock time). Measured at 20,000/s: the first
 * second's worst start within 2× of the later seconds' in 22 runs of 24, against 6 of 16
 * before and 3 of 8 with the same head start and no warm-up. The service sees nothing of it:
 * no proxy (the run goes direct, see socketWarmUpFits), no environment.
 */
function startSocketWarmUp(options: LoadRunOptions, basePath: string, perSecond: number, endByMs: number, clock: Clock): SocketWarmUp {
  const loads: LoadRun[] = [];
  let stopped = false;
  const cut = (): void => {
    for (const load of loads) load.stop('aborted');
  };
  const stop = (): void => {
    stopped = true;
    cut();
  };
  const warmed = (async () => {
    const sink = await startWarmUpSink();
    try {
      if (stopped) return { sink, outcomes: [] };
      const level = (perSecond * SOCKET_WARM_UP_SHARE) / SOCKET_WARM_UP_LOADS;
      for (let i = 0; i < SOCKET_WARM_UP_LOADS; i++) {
        loads.push(
          startLoad({
            // the run's own first stage, held: a stage of other fields would have another shape
            plan: buildPlan('open', [{ ...options.plan.stages[0]!, durationMs: SOCKET_WARM_UP_MS, fromLevel: level, toLevel: level }]),
            baseUrl: sink.origin + basePath,
            requests: options.requests,
            timeoutMs: options.timeoutMs,
            maxInFlight: options.maxInFlight,
            thinkTime: options.thinkTime,
            drainMs: 0,
            clock,
            // never through a proxy: '' is "none" whatever the profile says, and no environment
            ...(options.http !== undefined ? { http: { ...options.http, proxy: '' } } : {}),
            env: {},
            ...(options.seed !== undefined ? { seed: options.seed } : {}),
            ...(options.setupValues !== undefined ? { setupValues: options.setupValues } : {}),
            isWarmUp: true,
          }),
        );
      }
      const cutOff = setTimeout(cut, endByMs - clock.nowMs());
      const outcomes = await Promise.all(loads.map((load) => load.finished));
      clearTimeout(cutOff);
      await sink.rest();
      return { sink, outcomes };
    } catch (error) {
      await sink.close();
      throw error;
    }
  })();
  // until the run has ended, the warm-up's connections stay open and the sink keeps them: closing
  // them sets fields, on objects of the run's classes, that V8's code for the run assumed would not
  // change, and it threw that code away in the first 200 ms (`--trace-deopt`: "code dependencies")
  const close = async (): Promise<void> => {
    const done = await warmed.catch(() => undefined);
    if (done === undefined) return; // no loopback port, say: the run only lost the saving
    await Promise.all(done.outcomes.map((outcome) => outcome.teardown?.()));
    // (on its own line: `f?.(await x)` would not evaluate x where there is no f)
    const answered = await done.sink.close();
    options.onSocketWarmUp?.(answered);
  };
  return { stop, close };
}

interface SocketWarmUp {
  /** stops sending (Ctrl-C in the head start, or the cut-off) */
  stop(): void;
  /** after the run: closes the warm-up's connections and its sink */
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());
