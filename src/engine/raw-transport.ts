// The request loop's transport: kept-alive raw HTTP/1.1 connections (raw-http.ts), one
// request per connection at a time, idle connections reused last-in first-out.
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
  private readonly connectionOptions: RawConnectionOptions;
  private readonly hostHeader: string;
  /** request bytes built once per prepared request (plain requests are prepared once per run); null = unsafe */
  private readonly bytes = new WeakMap<PreparedRequest, Buffer | null>();
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
    this.connectionOptions = {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port || (secure ? 443 : 80)),
      tls: secure ? (options.tls ?? {}) : null,
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
    if (this.destroyed) return done(interrupted(this.clock.nowMs()));
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
    const opened: RawConnection[] = [];
    for (let i = 0; i < count && this.all.size < this.options.connections; i++) {
      const connection = new RawConnection(this.connectionOptions);
      this.all.add(connection);
      opened.push(connection);
    }
    await Promise.all(opened.map((c) => c.preconnect()));
    for (const connection of opened) if (!connection.closed && !this.destroyed) this.idle.push(connection);
  }

  async close(): Promise<void> {
    this.destroyAll();
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
      bytes = buildRequestBytes(request.method, request.path, this.hostHeader, request.headers, request.body);
      this.bytes.set(request, bytes);
    }
    return bytes;
  }
}

function interrupted(nowMs: number): SendResult {
  return { status: null, errorKind: 'interrupted', sentAtMs: Number.NaN, endedAtMs: nowMs };
}

function toSendResult(request: PreparedRequest, response: RawResponse, endedAtMs: number): SendResult {
  const { status } = response;
  const errorKind: ErrorKind | null =
    status === null ? (response.errorCode ?? 'socket') : isExpected(request.expectStatus, status) ? null : 'status';
  const result: SendResult = { status, errorKind, sentAtMs: response.sentAtMs, endedAtMs };
  if (status !== null && response.headers !== undefined) {
    const body = response.body === undefined ? '' : Buffer.concat(response.body).toString('utf8');
    const collected: CollectedResponse = { headers: response.headers, body };
    result.response = collected;
  }
  return result;
}

function isExpected(expect: ReadonlySet<number> | null, status: number): boolean {
  return expect === null ? status >= 200 && status < 400 : expect.has(status);
}
