// The request loop's transport: kept-alive raw HTTP/1.1 connections (raw-http.ts), one
// request per connection at a time, idle connections reused last-in first-out.
import net from 'node:net';
import { buildRequestBytes, RawConnection, type RawConnectionOptions, type RawResponse } from './raw-http.js';
import type { ParseRequest } from './http1-parser.js';
import type { Clock } from './clock.js';
import type { ErrorKind } from '../metrics/outcome.js';
import { MAX_COLLECTED_BYTES, type CollectedResponse, type PreparedRequest, type SendResult, type Transport, type TransportOptions } from './transport.js';

/**
 * At most this many connections being opened at once, first connections and reconnects alike.
 * After a stall of the load generator (or of the service), a burst of due requests would
 * otherwise open one connection each, and the connection storm slows both sides into the next
 * burst; instead the burst waits a moment for a connection, and that wait is in its latency
 * (measured from the due time) as it should be.
 */
const MAX_CONNECTING = 32;

interface Waiting {
  request: PreparedRequest;
  done: (result: SendResult) => void;
}

const plainParse: ParseRequest = { head: false, headers: false, bodyBytes: 0 };
const headParse: ParseRequest = { head: true, headers: false, bodyBytes: 0 };
const collectParse: ParseRequest = { head: false, headers: true, bodyBytes: MAX_COLLECTED_BYTES };
const collectHeadParse: ParseRequest = { head: true, headers: true, bodyBytes: 0 };

export class RawTransport implements Transport {
  private readonly idle: RawConnection[] = [];
  private readonly waiting: Waiting[] = [];
  private waitingHead = 0;
  private readonly all = new Set<RawConnection>();
  private connecting = 0;
  private destroyed = false;
  /** stopStarting(): nothing new is sent or opened */
  private stopping = false;
  private readonly connectionOptions: RawConnectionOptions;
  private readonly hostHeader: string;
  /** request bytes built once per prepared request (plain requests are prepared once per run); null = unsafe */
  private readonly bytes = new WeakMap<PreparedRequest, Buffer | null>();
  /** before each path: the origin, when a proxy takes absolute-form requests */
  private readonly pathPrefix: string = '';
  /** responses with bytes beyond them, or answers nobody asked for (the connection was closed each time) */
  strays = 0;

  constructor(
    origin: string,
    private readonly options: TransportOptions,
    private readonly clock: Clock,
  ) {
    const url = new URL(origin);
    const secure = url.protocol === 'https:';
    this.hostHeader = url.host;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || (secure ? 443 : 80));
    const proxy = options.proxy === undefined ? null : new URL(options.proxy);
    const proxyHost = proxy?.hostname.replace(/^\[|\]$/g, '');
    const proxyPort = Number(proxy?.port || 80);
    // through a proxy: plain http is sent to it in absolute form, https goes through a CONNECT tunnel
    if (proxy !== null && !secure) this.pathPrefix = url.origin;
    this.connectionOptions = {
      host: proxy !== null && !secure ? proxyHost! : host,
      port: proxy !== null && !secure ? proxyPort : port,
      tls: secure ? (options.tls ?? {}) : null,
      ...(proxy !== null && secure ? { connect: (done) => openTunnel(proxyHost!, proxyPort, `${url.hostname}:${port}`, options.timeoutMs, done) } : {}),
      timeoutMs: options.timeoutMs,
      nowMs: () => clock.nowMs(),
      onConnecting: (delta) => {
        this.connecting += delta;
        // a connecting slot is free again: the next waiter may open a connection if none is idle
        if (delta < 0) this.serveWaiting();
      },
      onStray: () => this.strays++,
    };
  }

  send(request: PreparedRequest, done: (result: SendResult) => void): void {
    if (this.destroyed || this.stopping) return done(interrupted(this.clock.nowMs()));
    const bytes = this.requestBytes(request);
    if (bytes === null) {
      // a CR or LF from a template: never sent
      return done({ status: null, errorKind: 'header', sentAtMs: Number.NaN, endedAtMs: this.clock.nowMs() });
    }
    const connection = this.take();
    if (connection === null) {
      // every connection is busy, or enough are being opened: wait for one (in the latency, not hidden)
      this.waiting.push({ request, done });
      return;
    }
    const collect = request.collect === true;
    const head = request.method === 'HEAD';
    const parse = collect ? (head ? collectHeadParse : collectParse) : head ? headParse : plainParse;
    connection.send(bytes, parse, (response) => {
      this.release(connection);
      done(toSendResult(request, response, this.clock.nowMs()));
    });
  }

  /**
   * Opens `count` connections before the load starts, so the first second does not pay for a
   * burst of connection set-ups that real, warmed-up clients would not.
   */
  async prewarm(count: number): Promise<void> {
    const opening: Promise<void>[] = [];
    for (let i = 0; i < count && this.all.size < this.options.connections; i++) {
      const connection = new RawConnection(this.connectionOptions);
      this.all.add(connection);
      // each is used as soon as it is open: one slow connect must not hold back the others
      opening.push(connection.preconnect().then(() => this.adopt(connection)));
    }
    await Promise.all(opening);
  }

  /** A pre-opened connection joins the idle ones; one that failed gives its place back (or the cap would count it forever). */
  private adopt(connection: RawConnection): void {
    if (this.destroyed || this.stopping) return;
    if (connection.closed) {
      this.all.delete(connection);
      return;
    }
    this.idle.push(connection);
    this.serveWaiting();
  }

  async close(): Promise<void> {
    this.destroyAll();
  }

  stopStarting(): void {
    if (this.stopping || this.destroyed) return;
    this.stopping = true;
    const waiting = this.waiting.splice(this.waitingHead);
    this.waiting.length = 0;
    this.waitingHead = 0;
    const now = this.clock.nowMs();
    for (const { done } of waiting) done(interrupted(now));
    // connects still pending are cut (a request queued on one ends unsent); open ones stay
    for (const connection of [...this.all]) {
      if (connection.cancelConnect()) this.all.delete(connection);
    }
  }

  /** Cuts every connection: requests in flight, and those waiting for a connection, end as `interrupted`. */
  async destroy(): Promise<void> {
    this.destroyAll();
  }

  private destroyAll(): void {
    this.destroyed = true;
    const waiting = this.waiting.splice(this.waitingHead);
    this.waiting.length = 0;
    this.waitingHead = 0;
    for (const connection of this.all) connection.destroy();
    this.all.clear();
    this.idle.length = 0;
    const now = this.clock.nowMs();
    for (const { done } of waiting) done(interrupted(now));
  }

  /** An idle connection, or a new one, within the caps; null when the request has to wait. */
  private take(): RawConnection | null {
    const now = this.clock.nowMs();
    const last = this.idle[this.idle.length - 1];
    if (last !== undefined) {
      // reopening a connection the server may have closed counts against the opening limit too
      if (last.needsOpen(now) && this.connecting >= MAX_CONNECTING) return null;
      return this.idle.pop()!;
    }
    if (this.all.size >= this.options.connections || this.connecting >= MAX_CONNECTING) return null;
    const connection = new RawConnection(this.connectionOptions);
    this.all.add(connection);
    return connection;
  }

  private release(connection: RawConnection): void {
    if (this.destroyed) return;
    this.idle.push(connection);
    this.serveWaiting();
  }

  private serveWaiting(): void {
    if (this.stopping) return;
    while (this.waitingHead < this.waiting.length) {
      const connection = this.take();
      if (connection === null) return;
      this.idle.push(connection);
      const next = this.waiting[this.waitingHead++]!;
      if (this.waitingHead > 1024 && this.waitingHead * 2 > this.waiting.length) {
        this.waiting.splice(0, this.waitingHead);
        this.waitingHead = 0;
      }
      this.send(next.request, next.done);
    }
  }

  private requestBytes(request: PreparedRequest): Buffer | null {
    let bytes = this.bytes.get(request);
    if (bytes === undefined) {
      bytes = buildRequestBytes(request.method, this.pathPrefix + request.path, this.hostHeader, request.headers, request.body);
      this.bytes.set(request, bytes);
    }
    return bytes;
  }
}

/** A CONNECT tunnel through an HTTP proxy to `authority` (host:port); the socket once the proxy said 2xx. */
function openTunnel(
  proxyHost: string,
  proxyPort: number,
  authority: string,
  timeoutMs: number,
  done: (error: (Error & { code?: string }) | null, socket?: net.Socket) => void,
): void {
  const socket = net.connect({ host: proxyHost, port: proxyPort });
  let head = '';
  let settled = false;
  const settle = (error: (Error & { code?: string }) | null): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    socket.removeListener('data', onData);
    if (error !== null) {
      socket.destroy();
      done(error);
    } else done(null, socket);
  };
  const timer = setTimeout(() => settle(Object.assign(new Error('proxy timeout'), { code: 'timeout' })), timeoutMs).unref();
  const onData = (chunk: Buffer): void => {
    head += chunk.toString('latin1');
    if (head.length > 16 * 1024) return settle(Object.assign(new Error('proxy answer too long'), { code: 'proxy' }));
    if (!head.includes('\r\n\r\n')) return;
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
    settle(status >= 200 && status < 300 ? null : Object.assign(new Error(`proxy answered ${status}`), { code: 'proxy' }));
  };
  socket.on('data', onData);
  socket.once('error', (error: Error & { code?: string }) => settle(error));
  socket.once('close', () => settle(Object.assign(new Error('proxy closed'), { code: 'proxy' })));
  socket.once('connect', () => socket.write(`CONNECT ${authority} HTTP/1.1\r\nhost: ${authority}\r\n\r\n`));
}

function interrupted(nowMs: number): SendResult {
  return { status: null, errorKind: 'interrupted', sentAtMs: Number.NaN, endedAtMs: nowMs };
}

function toSendResult(request: PreparedRequest, response: RawResponse, endedAtMs: number): SendResult {
  const { status } = response;
  const errorKind: ErrorKind | null =
    status === null ? (response.errorCode ?? 'socket') : isExpected(request.expectStatus, status) ? null : 'status';
  const result: SendResult = { status, errorKind, sentAtMs: response.sentAtMs, endedAtMs, wireBytes: response.wireBytes };
  if (status === null) return result;
  if (response.location !== '') result.location = response.location;
  if (response.setCookies !== null) result.setCookies = response.setCookies;
  if (response.headers !== undefined) {
    // an encoded body is left to the HTTP client layer to decode
    const encoded = response.contentEncoding !== '' && response.contentEncoding !== 'identity';
    const body = response.body === undefined || encoded ? '' : Buffer.concat(response.body).toString('utf8');
    const collected: CollectedResponse = { headers: response.headers, body };
    result.response = collected;
    if (encoded) {
      result.contentEncoding = response.contentEncoding;
      result.encodedBody = response.body ?? [];
    }
  }
  return result;
}

function isExpected(expect: ReadonlySet<number> | null, status: number): boolean {
  return expect === null ? status >= 200 && status < 400 : expect.has(status);
}
