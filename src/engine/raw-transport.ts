// The request loop's transport: kept-alive raw HTTP/1.1 connections (raw-http.ts), one
// request per connection at a time, idle connections reused last-in first-out.
import { buildRequestBytes, RawConnection, type RawConnectionOptions, type RawResponse } from './raw-http.js';
import type { Clock } from './clock.js';
import type { ErrorKind } from '../metrics/outcome.js';
import type { CollectedResponse, PreparedRequest, SendResult, Transport, TransportOptions } from './transport.js';

/** a capture reads at most this much of a body */
const MAX_COLLECTED_BYTES = 1024 * 1024;
/**
 * At most this many connections being opened at once. After a stall of the load generator
 * (or of the service), a burst of due requests would otherwise open one connection each, and
 * the connection storm slows both sides into the next burst; instead the burst waits a moment
 * for a connection, and that wait is in its latency (measured from the due time) as it should be.
 */
const MAX_CONNECTING = 32;

export class RawTransport implements Transport {
  private readonly idle: RawConnection[] = [];
  private readonly waiting: Array<() => void> = [];
  private readonly all = new Set<RawConnection>();
  private connecting = 0;
  private readonly connectionOptions: RawConnectionOptions;
  private readonly hostHeader: string;
  /** request bytes built once per prepared request (plain requests are prepared once per run) */
  private readonly bytes = new WeakMap<PreparedRequest, Buffer>();

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
      tls: secure,
      timeoutMs: options.timeoutMs,
      nowMs: () => clock.nowMs(),
      maxCollectBytes: MAX_COLLECTED_BYTES,
      onConnecting: (delta) => {
        this.connecting += delta;
        // a connecting slot is free again: let the next waiter open a connection if none is idle
        if (delta < 0 && this.waiting.length > 0 && this.idle.length === 0) this.waiting.shift()!();
      },
    };
  }

  send(request: PreparedRequest, done: (result: SendResult) => void): void {
    const connection = this.idle.pop() ?? this.open();
    if (connection === null) {
      // every connection is busy, or enough are being opened: wait for one (in the latency, not hidden)
      this.waiting.push(() => this.send(request, done));
      return;
    }
    const bytes = this.requestBytes(request);
    const collect = request.collect === true;
    connection.send(bytes, collect, request.method === 'HEAD', (response) => {
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
    for (const connection of opened) if (!connection.closed) this.idle.push(connection);
  }

  async close(): Promise<void> {
    this.destroyAll();
  }

  async destroy(): Promise<void> {
    this.destroyAll();
  }

  private destroyAll(): void {
    for (const connection of this.all) connection.destroy();
    this.all.clear();
    this.idle.length = 0;
  }

  private open(): RawConnection | null {
    if (this.all.size >= this.options.connections || this.connecting >= MAX_CONNECTING) return null;
    const connection = new RawConnection(this.connectionOptions);
    this.all.add(connection);
    return connection;
  }

  private release(connection: RawConnection): void {
    const next = this.waiting.shift();
    this.idle.push(connection);
    next?.();
  }

  private requestBytes(request: PreparedRequest): Buffer {
    let bytes = this.bytes.get(request);
    if (bytes === undefined) {
      bytes = buildRequestBytes(request.method, request.path, this.hostHeader, request.headers, request.body);
      this.bytes.set(request, bytes);
    }
    return bytes;
  }
}

function toSendResult(request: PreparedRequest, response: RawResponse, endedAtMs: number): SendResult {
  const { status } = response;
  const errorKind: ErrorKind | null =
    status === null ? (response.errorCode ?? 'socket') : isExpected(request.expectStatus, status) ? null : 'status';
  const result: SendResult = { status, errorKind, sentAtMs: response.sentAtMs, endedAtMs };
  if (status !== null && response.headers !== undefined) {
    const collected: CollectedResponse = { headers: response.headers, body: response.body ?? '' };
    result.response = collected;
  }
  return result;
}

function isExpected(expect: ReadonlySet<number> | null, status: number): boolean {
  return expect === null ? status >= 200 && status < 400 : expect.has(status);
}
