// HTTP/2 through node:http2 (the one module that uses it): requests are streams multiplexed on a
// few sessions. A request takes the least busy session with a free stream (under the server's
// SETTINGS_MAX_CONCURRENT_STREAMS); when every session is full, a new one is opened, up to the
// connection cap; past it, requests wait in a queue, and that wait is in their latency (measured
// from the due time by the executors). h2 over TLS (ALPN "h2") or h2c (prior knowledge) on http://.
//
// Errors by kind: `h2-refused` (RST_STREAM REFUSED_STREAM, or a stream above the last stream id
// of the server's GOAWAY: never processed), `h2-goaway` (a stream at or below it, cut by a GOAWAY
// with an error), `h2-rst-stream`
// (any other RST_STREAM), and the connection's own codes (ECONNREFUSED, tls, timeout...).
import { nodeHttp2 } from './lazy-builtins.js';
import type { ClientHttp2Session, ClientHttp2Stream, IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http2';
import type { Clock } from './clock.js';
import type { ErrorKind } from '../metrics/outcome.js';
import { MAX_COLLECTED_BYTES, type CollectedResponse, type PreparedRequest, type SendResult, type Transport, type TransportOptions } from './transport.js';

// HTTP/2's error codes (RFC 9113 section 7), as node:http2's constants give them
export const NGHTTP2_NO_ERROR = 0x0;
export const NGHTTP2_REFUSED_STREAM = 0x7;
export const NGHTTP2_CANCEL = 0x8;
/** streams a session is assumed to allow until the server's SETTINGS say otherwise (RFC 9113 suggests ≥ 100) */
const DEFAULT_MAX_STREAMS = 100;
/** sessions open at most, whatever the connection cap: HTTP/2's point is few connections */
const MAX_SESSIONS = 64;
/** request() copies its options: two constants instead of an object per request */
const END_STREAM = Object.freeze({ endStream: true });
const KEEP_STREAM = Object.freeze({ endStream: false });
/** headers HTTP/2 forbids (connection-specific) */
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host']);

interface Session {
  session: ClientHttp2Session;
  active: number;
  ready: boolean;
  /** the server sent GOAWAY: no new streams here */
  closing: boolean;
  /** the GOAWAY's last stream id: the streams above it were never processed */
  lastStreamId?: number;
  /** the connection's failure, for the streams it took down */
  error?: NodeJS.ErrnoException;
}

interface Waiting {
  request: PreparedRequest;
  done: (result: SendResult) => void;
  deadlineMs: number;
}

export class H2Transport implements Transport {
  private readonly sessions: Session[] = [];
  private readonly waiting: Waiting[] = [];
  private waitingHead = 0;
  private destroyed = false;
  /** stopStarting(): nothing new goes on the wire */
  private stopping = false;
  private readonly maxSessions: number;
  private readonly headerCache = new WeakMap<PreparedRequest, OutgoingHttpHeaders>();
  /** GOAWAYs and RST_STREAMs seen, for the run's notes */
  readonly seen = { goaway: 0, rstStream: 0, refused: 0, sessions: 0 };

  constructor(
    private readonly origin: string,
    private readonly options: TransportOptions,
    private readonly clock: Clock,
  ) {
    this.maxSessions = Math.max(1, Math.min(MAX_SESSIONS, Math.ceil(options.connections / DEFAULT_MAX_STREAMS)));
  }

  send(request: PreparedRequest, done: (result: SendResult) => void): void {
    if (this.destroyed || this.stopping) return done(this.failed('interrupted', Number.NaN));
    const deadlineMs = this.clock.nowMs() + this.options.timeoutMs;
    const session = this.pick();
    if (session) this.start(session, request, done, deadlineMs);
    else this.enqueue({ request, done, deadlineMs });
  }

  async prewarm(count: number): Promise<void> {
    // one session carries many streams: the first stage's connections / 100, at least one
    const wanted = Math.min(this.maxSessions, Math.max(1, Math.ceil(count / DEFAULT_MAX_STREAMS)));
    while (this.sessions.length < wanted) this.open();
    await Promise.all(this.sessions.map((s) => (s.ready ? undefined : new Promise<void>((resolve) => {
      s.session.once('connect', () => resolve());
      s.session.once('close', () => resolve());
    }))));
  }

  /** At a stop: the requests still waiting for a stream end unsent (`interrupted`); those on the wire go on. */
  stopStarting(): void {
    if (this.stopping || this.destroyed) return;
    this.stopping = true;
    const waiting = this.waiting.splice(this.waitingHead);
    this.waiting.length = 0;
    this.waitingHead = 0;
    for (const { done } of waiting) done(this.failed('interrupted', Number.NaN));
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    for (let i = this.waitingHead; i < this.waiting.length; i++) this.waiting[i]!.done(this.failed('interrupted', Number.NaN));
    this.waiting.length = 0;
    this.waitingHead = 0;
    await Promise.all(
      this.sessions.map((s) => new Promise<void>((resolve) => {
        if (s.session.destroyed) return resolve();
        s.session.once('close', () => resolve());
        s.session.destroy();
      })),
    );
    this.sessions.length = 0;
  }

  /**
   * The busiest open session that still has a free stream (so the load fills few sessions), or a
   * new one when every session is full and the cap allows; undefined: wait in the queue.
   */
  private pick(): Session | undefined {
    let best: Session | undefined;
    for (const s of this.sessions) {
      if (s.closing || s.session.destroyed) continue;
      if (s.active >= this.streamLimit(s)) continue;
      if (!best || s.active > best.active) best = s;
    }
    if (best) return best;
    return this.sessions.filter((s) => !s.closing).length < this.maxSessions ? this.open() : undefined;
  }

  private streamLimit(s: Session): number {
    const remote = s.ready ? s.session.remoteSettings.maxConcurrentStreams : undefined;
    return Math.min(remote ?? DEFAULT_MAX_STREAMS, 1000);
  }

  private open(): Session {
    const url = new URL(this.origin);
    const tls = this.options.tls;
    const session = nodeHttp2().connect(this.origin, {
      ...(url.protocol === 'https:'
        ? { ALPNProtocols: ['h2'], rejectUnauthorized: !(tls?.insecure ?? false), ...(tls?.ca ? { ca: tls.ca } : {}), ...(tls?.cert ? { cert: tls.cert, key: tls.key } : {}), ...(tls?.servername ? { servername: tls.servername } : {}) }
        : {}),
      // the client never pushes back on the service: a large window, as h2load does
      settings: { enablePush: false, initialWindowSize: 16 * 1024 * 1024 },
    });
    const s: Session = { session, active: 0, ready: false, closing: false };
    this.seen.sessions++;
    this.sessions.push(s);
    session.on('connect', () => {
      s.ready = true;
      session.setLocalWindowSize(16 * 1024 * 1024);
      this.serveWaiting();
    });
    // the server's settings may raise the stream limit: serve the queue
    session.on('remoteSettings', () => this.serveWaiting());
    session.on('goaway', (_code: number, lastStreamId: number) => {
      this.seen.goaway++;
      s.closing = true;
      s.lastStreamId = lastStreamId;
      this.serveWaiting();
    });
    session.on('error', (error: NodeJS.ErrnoException) => (s.error = error)); // each stream reports its own failure
    session.on('close', () => {
      const at = this.sessions.indexOf(s);
      if (at >= 0) this.sessions.splice(at, 1);
      this.serveWaiting();
    });
    return s;
  }

  private start(s: Session, request: PreparedRequest, done: (result: SendResult) => void, deadlineMs: number): void {
    s.active++;
    const exchange = new Exchange(this, s, request, done, this.clock.nowMs());
    exchange.timer = setTimeout(onDeadline, Math.max(1, deadlineMs - exchange.sentAtMs), exchange);
    exchange.timer.unref();
    let stream: ClientHttp2Stream;
    try {
      stream = s.session.request(this.headersOf(request), request.body === undefined ? END_STREAM : KEEP_STREAM);
    } catch {
      // the session went away between the pick and the request
      exchange.finish(s.closing ? 'h2-goaway' : 'socket');
      return;
    }
    exchange.stream = stream;
    // one state object and shared listeners per stream, not a closure each: at tens of thousands
    // of requests a second the garbage is a visible share of the CPU
    (stream as StreamWithExchange)[EXCHANGE] = exchange;
    stream.on('response', onResponse);
    // the body is read (the stream must flow) but kept only for a capture
    if (request.collect) stream.on('data', onData);
    else stream.resume();
    stream.on('end', onEnd);
    stream.on('error', ignore); // 'close' says what happened
    stream.on('close', onClose);
    if (request.body !== undefined) stream.end(request.body);
  }

  /** An exchange is over: its session has a free stream, and the queue may move. */
  ended(s: Session): void {
    s.active--;
    this.serveWaiting();
  }

  private headersOf(request: PreparedRequest): OutgoingHttpHeaders {
    const cached = this.headerCache.get(request);
    if (cached) return cached;
    // node:http2 validates every pseudo-header it is given (a measurable share of a request's CPU)
    // and fills in :method GET, :scheme and :authority from the session itself: only :path, and
    // the others where they differ
    const headers: OutgoingHttpHeaders = { ':path': request.path };
    if (request.method !== 'GET') headers[':method'] = request.method;
    if (request.headers['host'] !== undefined) headers[':authority'] = request.headers['host'];
    for (const [name, value] of Object.entries(request.headers)) if (!hopByHop.has(name)) headers[name] = value;
    this.headerCache.set(request, headers);
    return headers;
  }

  private enqueue(waiting: Waiting): void {
    this.waiting.push(waiting);
  }

  private serveWaiting(): void {
    while (this.waitingHead < this.waiting.length) {
      const next = this.waiting[this.waitingHead]!;
      if (this.clock.nowMs() >= next.deadlineMs) {
        this.waitingHead++;
        next.done({ status: null, errorKind: 'timeout', sentAtMs: Number.NaN, endedAtMs: next.deadlineMs });
        continue;
      }
      const session = this.pick();
      if (!session) break;
      this.waitingHead++;
      this.start(session, next.request, next.done, next.deadlineMs);
    }
    if (this.waitingHead > 1024 && this.waitingHead * 2 > this.waiting.length) {
      this.waiting.splice(0, this.waitingHead);
      this.waitingHead = 0;
    }
  }

  /** the run's clock, for the exchanges */
  now(): number {
    return this.clock.nowMs();
  }

  private failed(errorKind: ErrorKind, sentAtMs: number): SendResult {
    const now = this.clock.nowMs();
    return { status: null, errorKind, sentAtMs, endedAtMs: now };
  }
}

const EXCHANGE = Symbol('perfctl.h2.exchange');
type StreamWithExchange = ClientHttp2Stream & { [EXCHANGE]: Exchange };

/** One request on one stream: what its listeners need, and its end (exactly once). */
class Exchange {
  finished = false;
  status: number | null = null;
  responseHeaders: IncomingHttpHeaders | undefined = undefined;
  chunks: Buffer[] | undefined = undefined;
  collected = 0;
  stream: ClientHttp2Stream | undefined = undefined;
  timer: NodeJS.Timeout | undefined = undefined;

  constructor(
    readonly transport: H2Transport,
    readonly session: Session,
    readonly request: PreparedRequest,
    readonly done: (result: SendResult) => void,
    readonly sentAtMs: number,
  ) {}

  finish(errorKind: ErrorKind | null): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    const { request, status } = this;
    const endedAtMs = this.transport.now();
    const kind = errorKind ?? (request.expectStatus ? (status !== null && request.expectStatus.has(status) ? null : 'status') : status !== null && status >= 200 && status < 400 ? null : 'status');
    const result: SendResult = { status, errorKind: kind, sentAtMs: this.sentAtMs, endedAtMs };
    if (request.collect && status !== null && errorKind === null) result.response = collectResponse(this.responseHeaders ?? {}, this.chunks ?? []);
    this.done(result);
    this.transport.ended(this.session);
  }

  /** the stream closed before its end: why */
  closed(stream: ClientHttp2Stream): void {
    const s = this.session;
    const code = stream.rstCode;
    if (this.status !== null && code === NGHTTP2_NO_ERROR) return this.finish(null);
    if (code === NGHTTP2_REFUSED_STREAM) {
      this.transport.seen.refused++;
      return this.finish('h2-refused');
    }
    // after a GOAWAY: a stream above its last stream id was never processed (safe to retry),
    // one at or below it was (or was being) processed and is cut
    if (s.closing) return this.finish(s.lastStreamId !== undefined && stream.id !== undefined && stream.id <= s.lastStreamId ? 'h2-goaway' : 'h2-refused');
    if (code !== undefined && code !== NGHTTP2_NO_ERROR) {
      this.transport.seen.rstStream++;
      return this.finish('h2-rst-stream');
    }
    this.finish(connectionErrorKind(s.error));
  }
}

function onResponse(this: ClientHttp2Stream, headers: IncomingHttpHeaders): void {
  const exchange = (this as StreamWithExchange)[EXCHANGE];
  exchange.status = Number(headers[':status']);
  exchange.responseHeaders = headers;
}

function onData(this: ClientHttp2Stream, chunk: Buffer): void {
  const exchange = (this as StreamWithExchange)[EXCHANGE];
  if (exchange.collected >= MAX_COLLECTED_BYTES) return;
  (exchange.chunks ??= []).push(chunk);
  exchange.collected += chunk.length;
}

function onEnd(this: ClientHttp2Stream): void {
  (this as StreamWithExchange)[EXCHANGE].finish(null);
}

function onClose(this: ClientHttp2Stream): void {
  const exchange = (this as StreamWithExchange)[EXCHANGE];
  if (!exchange.finished) exchange.closed(this);
}

function onDeadline(exchange: Exchange): void {
  if (!exchange.finished) exchange.stream?.close(NGHTTP2_CANCEL);
  exchange.finish('timeout');
}

function ignore(): void {}

const connectCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH']);

/** why a session failed, from the error it kept: a connect code, `tls`, or `socket` */
export function connectionErrorKind(error: NodeJS.ErrnoException | undefined): ErrorKind {
  const code = error?.code ?? '';
  if (connectCodes.has(code)) return code;
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY|ALPN/i.test(code)) return 'tls';
  return 'socket';
}

function collectResponse(headers: IncomingHttpHeaders, chunks: Buffer[]): CollectedResponse {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(':') || value === undefined) continue;
    out[name] = Array.isArray(value) ? value : [String(value)];
  }
  return { headers: out, body: Buffer.concat(chunks).subarray(0, MAX_COLLECTED_BYTES).toString('utf8') };
}
