// WebSocket sessions and SSE streams in the mix: each is one item that, when the load model starts
// it (an arrival, or a user's iteration), records several outcomes of its own (`NAME.connect` and
// every message's round trip; `NAME.first` and `NAME`) and ends when its socket or stream does.
import type { RequestSpec, SseSpec, WsSpec } from '../config/types.js';
import type { Recorder } from '../metrics/recorder.js';
import type { Clock } from './clock.js';
import type { IterationEnd } from './flow-runner.js';
import type { PartLookup } from './message-match.js';
import type { Plan } from './plan.js';
import type { Target } from './prepare-requests.js';
import type { TlsSettings } from './transport.js';
import { runSseStream } from './sse-session.js';
import { runWsSession } from './ws-session.js';

/** A `ws:` or `sse:` request of the mix. */
export interface PreparedStream {
  kind: 'stream';
  name: string;
  weight: number;
  spec: WsSpec | SseSpec;
}

export interface StreamRunnerContext {
  plan: Plan;
  recorder: Pick<Recorder, 'record' | 'count' | 'socketDelta'>;
  clock: Clock;
  /** clock time (ms) of the run's t = 0 */
  startMs: number;
  target: Target;
  /** the profile's `timeout`: the handshake, and a reply when `messages.timeout` is not given */
  timeoutMs: number;
  /** open model: connects and round trips also get a service time (from the actual send) */
  measureServiceTime: boolean;
  /** `http.tls` and --insecure, for wss:// and https:// streams as for the HTTP requests */
  tls?: TlsSettings;
}

/** The options of a TLS connection (node:tls / node:https / ws) from `http.tls`. */
export function tlsOptions(tls: TlsSettings | undefined): { rejectUnauthorized?: boolean; ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer; servername?: string } {
  if (tls === undefined) return {};
  return {
    ...(tls.insecure ? { rejectUnauthorized: false } : {}),
    ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
    ...(tls.cert !== undefined ? { cert: tls.cert, key: tls.key } : {}),
    ...(tls.servername !== undefined ? { servername: tls.servername } : {}),
  };
}

/** What a running session or stream offers the runner: end gracefully, or at once. */
export interface LiveStream {
  /** stop sending; close once the answers outstanding are in (or late) */
  finish(): void;
  /** close now; what is outstanding is not counted */
  terminate(): void;
}

export interface StreamRun {
  ctx: StreamRunnerContext;
  name: string;
  /** clock ms the session was due (the arrival, or the user's start) */
  startAtMs: number;
  /** clock ms by which it must be over: the plan's end */
  endByMs: number;
  lookup?: PartLookup;
  /** called exactly once */
  done: (end: IterationEnd) => void;
}

export function prepareStream(spec: RequestSpec): PreparedStream {
  if (!spec.stream) throw new Error(`${spec.name} is not a ws: or sse: request`);
  return { kind: 'stream', name: spec.name, weight: spec.weight, spec: spec.stream };
}

export class StreamRunner {
  private readonly live = new Set<LiveStream>();
  private stopped = false;

  constructor(readonly ctx: StreamRunnerContext) {}

  run(stream: Pick<PreparedStream, 'name' | 'spec'>, startAtMs: number, done: (end: IterationEnd) => void, lookup?: PartLookup): void {
    // nothing opens once the run is over (a closed-model user between its last session and the stop)
    if (this.stopped) return done({ failed: true, unanswered: false });
    if (this.ctx.clock.nowMs() >= this.ctx.startMs + this.ctx.plan.totalMs) return done({ failed: false, unanswered: true });
    let handle: LiveStream | undefined = undefined;
    let ended = false;
    const run: StreamRun = {
      ctx: this.ctx,
      name: stream.name,
      startAtMs,
      endByMs: this.ctx.startMs + this.ctx.plan.totalMs,
      ...(lookup ? { lookup } : {}),
      done: (end) => {
        ended = true;
        if (handle) this.live.delete(handle);
        done(end);
      },
    };
    handle = stream.spec.kind === 'ws' ? runWsSession(stream.spec, run) : runSseStream(stream.spec, run);
    if (!ended) this.live.add(handle);
  }

  /** An arrival that could not start (open model, in-flight cap): counted against the connect. */
  recordDropped(stream: PreparedStream, phaseIndex: number): void {
    const group = stream.spec.kind === 'ws' ? `${stream.name}.connect` : stream.name;
    this.ctx.recorder.record({ group, phaseIndex, latencyUs: null, serviceUs: null, status: null, errorKind: 'dropped' });
  }

  /** Starts nothing more; running sessions stop sending and close once their answers are in. */
  stop(): void {
    this.stopped = true;
    for (const handle of [...this.live]) handle.finish();
  }

  /** Closes whatever is still open (after the drain). */
  destroy(): void {
    this.stopped = true;
    for (const handle of [...this.live]) handle.terminate();
    this.live.clear();
  }
}

/** The URL of a stream: absolute as written, or the path joined to the base URL (ws: http -> ws, https -> wss). */
export function streamUrl(target: Target, path: string, kind: 'ws' | 'sse'): string {
  if (/^(wss?|https?):\/\//i.test(path)) return path;
  const origin = kind === 'ws' ? target.origin.replace(/^http/i, 'ws') : target.origin;
  return origin + target.basePath + (path.startsWith('/') ? path : `/${path}`);
}
