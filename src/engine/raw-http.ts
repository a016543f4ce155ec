// A lean HTTP/1.1 client connection over a net or TLS socket, for the request loop. undici's
// dispatch costs ~120 µs of CPU per request on this kind of machine, autocannon's raw-socket
// client ~90 µs; this one writes a request built once into a kept-alive socket and hands the
// answer to a reused parser (http1-parser.ts) that reads only what a load test needs.
import net from 'node:net';
import type tls from 'node:tls';
import { nodeTls } from './lazy-builtins.js';
import { Parse, ResponseParser, type ParseRequest } from './http1-parser.js';
import type { TlsSettings } from './transport.js';

/** Answer of one exchange; `status` null when no complete response arrived. */
export interface RawResponse {
  status: number | null;
  /**
   * why no complete response: a socket error code, 'timeout' (the request's deadline),
   * 'socket' (closed before the response was complete), 'parse' / 'framing' / 'header-size'
   * (a malformed response), 'interrupted' (the run stopped it), 'tls' (certificate or handshake)
   */
  errorCode: string | null;
  /** when the request was written to an open socket (ms on the caller's clock); NaN if never */
  sentAtMs: number;
  /** bytes received for this exchange, as on the wire (before any content decoding) */
  wireBytes: number;
  headers?: Record<string, string[]>;
  /** the body's pieces as received (still content-encoded), when asked */
  body?: Buffer[];
  contentEncoding: string;
  location: string;
  setCookies: string[] | null;
}

export interface RawConnectionOptions {
  host: string;
  port: number;
  tls: TlsSettings | null;
  /** one deadline for the whole request: connect, send, answer */
  timeoutMs: number;
  nowMs: () => number;
  /** +1 when a connection attempt starts, −1 once it has connected or failed */
  onConnecting?: (delta: 1 | -1) => void;
  /** bytes arrived that no request asked for (after a response, or on an idle connection): the connection was closed */
  onStray?: () => void;
  /** a socket to tunnel through (a proxy's CONNECT), instead of connecting to host:port */
  connect?: (done: (error: (Error & { code?: string }) | null, socket?: net.Socket) => void) => void;
}

/**
 * A kept-alive connection idle longer than this is replaced before use: servers close idle
 * connections (Node's default after 5 s), and a request written into one being closed would
 * fail for no fault of the service (undici keeps a margin for the same reason). A server's
 * `keep-alive: timeout=N` replaces the default, less the same margin.
 */
const DEFAULT_IDLE_REUSE_MS = 4000;
const KEEP_ALIVE_MARGIN_MS = 1000;

/**
 * One kept-alive connection carrying one request at a time (no pipelining): a virtual user's
 * connection, or one of the open model's pool.
 */
export class RawConnection {
  private socket: net.Socket | null = null;
  private connected = false;
  private pendingWrite: Buffer | null = null;
  private onDone: ((response: RawResponse) => void) | null = null;
  private readonly parser = new ResponseParser();
  private sentAtMs = Number.NaN;
  /** the request's deadline; re-armed (not re-created) for each request */
  private timer: NodeJS.Timeout | null = null;
  private idleReuseMs = DEFAULT_IDLE_REUSE_MS;
  /** ms on the caller's clock when this connection last went idle */
  idleSinceMs = 0;
  closed = false;

  constructor(private readonly options: RawConnectionOptions) {}

  get busy(): boolean {
    return this.onDone !== null;
  }

  /** whether the next send has to open a socket first (none, or one idle too long to trust) */
  needsOpen(nowMs: number): boolean {
    return this.socket === null || nowMs - this.idleSinceMs > this.idleReuseMs;
  }

  send(request: Buffer, parse: ParseRequest, onDone: (response: RawResponse) => void): void {
    this.onDone = onDone;
    this.parser.start(parse);
    this.sentAtMs = Number.NaN;
    if (this.timer === null) this.timer = setTimeout(() => this.onDeadline(), this.options.timeoutMs).unref();
    else this.timer.refresh();
    if (this.socket !== null && this.needsOpen(this.options.nowMs())) this.close();
    if (this.socket === null) this.open();
    if (this.connected) this.write(request);
    else this.pendingWrite = request;
  }

  /** Opens the connection ahead of use; resolves once it is open (or has failed). */
  preconnect(): Promise<void> {
    if (this.socket === null) this.open();
    const socket = this.socket;
    if (this.connected || socket === null || this.options.connect !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once(this.options.tls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('close', () => resolve());
    });
  }

  /** Closes the connection; a request in flight ends as `interrupted` (the run stopped it). */
  destroy(): void {
    this.fail('interrupted');
    this.close();
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * A connect still pending is cut, with the request queued on it (if any) ending unsent as
   * `interrupted`; true when that happened. An open connection is left as it is.
   */
  cancelConnect(): boolean {
    if (this.connected || this.socket === null) return false;
    this.fail('interrupted');
    this.close();
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    return true;
  }

  private close(): void {
    this.closed = true;
    this.connected = false;
    this.socket?.destroy();
    this.socket = null;
  }

  private open(): void {
    this.closed = false;
    this.connected = false;
    this.idleReuseMs = DEFAULT_IDLE_REUSE_MS;
    this.options.onConnecting?.(1);
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      this.options.onConnecting?.(-1);
    };
    if (this.options.connect) {
      // through a proxy: the tunnel comes first, then (for https) TLS inside it
      const placeholder = new net.Socket();
      this.socket = placeholder;
      this.options.connect((error, tunnel) => {
        if (this.socket !== placeholder) return tunnel?.destroy();
        if (error !== null || tunnel === undefined) {
          settle();
          this.socket = null;
          return this.fail(errorCode(error ?? new Error('proxy')));
        }
        this.attach(this.options.tls ? this.startTls(tunnel) : tunnel, settle, this.options.tls === null);
      });
      return;
    }
    const { host, port } = this.options;
    if (this.options.tls) return this.attach(this.startTls(null), settle, false);
    // plain TCP reads straight into one shared buffer (net's `onread`): no Buffer and no stream
    // machinery per read; the parser copies whatever it keeps before the callback returns
    const socket: net.Socket = net.connect({
      host,
      port,
      onread: {
        buffer: sharedReadBuffer(),
        callback: (bytes: number, buffer: Uint8Array): boolean => {
          if (socket === this.socket) this.onData(buffer as Buffer, bytes);
          return true;
        },
      },
    });
    this.attach(socket, settle, false);
  }

  private startTls(tunnel: net.Socket | null): tls.TLSSocket {
    const { host, port } = this.options;
    const settings = this.options.tls!;
    // SNI only for names: an IP address as servername is deprecated (DEP0123)
    const servername = settings.servername ?? (net.isIP(host) === 0 ? host : undefined);
    return nodeTls().connect({
      ...(tunnel !== null ? { socket: tunnel } : { host, port }),
      ...(servername !== undefined ? { servername } : {}),
      ALPNProtocols: ['http/1.1'],
      rejectUnauthorized: settings.insecure !== true,
      ...(settings.ca !== undefined ? { ca: settings.ca } : {}),
      ...(settings.cert !== undefined ? { cert: settings.cert } : {}),
      ...(settings.key !== undefined ? { key: settings.key } : {}),
    });
  }

  private attach(socket: net.Socket, settle: () => void, alreadyConnected: boolean): void {
    socket.setNoDelay(true);
    this.socket = socket;
    socket.once('close', settle);
    const onConnected = (): void => {
      settle();
      if (socket !== this.socket) return;
      this.connected = true;
      if (this.pendingWrite !== null) {
        const request = this.pendingWrite;
        this.pendingWrite = null;
        this.write(request);
      }
    };
    // events of a socket this connection has already replaced are ignored
    if (alreadyConnected) onConnected();
    else socket.once(this.options.tls ? 'secureConnect' : 'connect', onConnected);
    socket.on('data', (chunk: Buffer) => {
      if (socket === this.socket) this.onData(chunk, chunk.length);
    });
    socket.on('error', (error: Error & { code?: string }) => {
      if (socket === this.socket) this.fail(errorCode(error));
    });
    socket.on('close', () => {
      if (socket !== this.socket) return;
      this.socket = null;
      this.connected = false;
      this.closed = true;
      if (this.onDone === null) return;
      // a close-delimited body ends here; anything else was cut short
      if (this.parser.finish() === Parse.Done) this.complete(false);
      else this.fail(this.parser.errorKind ?? 'socket');
    });
  }

  private write(request: Buffer): void {
    this.sentAtMs = this.options.nowMs();
    this.socket!.write(request);
  }

  private onDeadline(): void {
    if (this.onDone !== null) this.fail('timeout');
  }

  /** `length` bytes of `chunk` arrived (a shared buffer: nothing may keep a view of it) */
  private onData(chunk: Buffer, length: number): void {
    if (this.onDone === null) {
      // nothing asked: a stray answer on an idle connection is never read as the next one
      this.close();
      this.options.onStray?.();
      return;
    }
    const result = this.parser.feed(chunk, length);
    if (result === Parse.More) return;
    if (result === Parse.Error) return this.fail(this.parser.errorKind ?? 'parse');
    this.complete(this.parser.consumed < length);
  }

  private complete(extraBytes: boolean): void {
    const onDone = this.onDone;
    if (onDone === null) return;
    this.onDone = null;
    this.pendingWrite = null;
    const parser = this.parser;
    const response: RawResponse = {
      status: parser.status,
      errorCode: null,
      sentAtMs: this.sentAtMs,
      wireBytes: parser.wireBytes,
      contentEncoding: parser.contentEncoding,
      location: parser.location,
      setCookies: parser.setCookies,
    };
    if (parser.headers !== null) response.headers = parser.headers;
    if (parser.bodyLength > 0) response.body = parser.body;
    if (parser.keepAliveTimeoutMs >= 0) this.idleReuseMs = Math.max(0, parser.keepAliveTimeoutMs - KEEP_ALIVE_MARGIN_MS);
    if (extraBytes) {
      // bytes beyond the response with no request pending: close, never read them as the next answer
      this.close();
      this.options.onStray?.();
    } else if (parser.keepAlive && this.socket !== null) {
      this.idleSinceMs = this.options.nowMs();
    } else this.close();
    onDone(response);
  }

  private fail(code: string): void {
    const onDone = this.onDone;
    if (onDone === null) return;
    this.onDone = null;
    this.pendingWrite = null;
    this.close();
    onDone({ status: null, errorCode: code, sentAtMs: this.sentAtMs, wireBytes: this.parser.wireBytes, contentEncoding: '', location: '', setCookies: null });
  }
}

let readBuffer: Buffer | undefined;
/** one read buffer for every plain connection of the thread: reads are handled one at a time */
function sharedReadBuffer(): Buffer {
  return (readBuffer ??= Buffer.allocUnsafe(64 * 1024));
}

/** what a socket error counts as: its code, with certificate and handshake failures as `tls` */
function errorCode(error: Error & { code?: string }): string {
  const code = error.code ?? 'socket';
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME|ALTNAME/.test(code)) return 'tls';
  return code;
}

/** A CR, LF or NUL in a request line or header would let a value end its line and start another. */
const UNSAFE_IN_HEAD = /[\r\n\0]/;

/** false when a header value (or the path) could break out of its line: the request is never sent */
export function isSafeInHead(text: string): boolean {
  return !UNSAFE_IN_HEAD.test(text);
}

/** a request head larger than this (a runaway captured value) is refused, as servers would (nginx: 8-32 KiB) */
export const MAX_REQUEST_HEAD_BYTES = 64 * 1024;

/** header names perfctl writes itself: the connection and framing are its own */
const OWN_HEADERS = new Set(['content-length', 'connection', 'transfer-encoding']);

/**
 * Builds the bytes of a request once: request line, host, headers, content-length, body; null
 * when a value would break out of its line (CR, LF, NUL), or the head is over MAX_REQUEST_HEAD_BYTES. A user's `host` header replaces the
 * URL's. The head is UTF-8 (ASCII for any ordinary header).
 */
export function buildRequestBytes(method: string, path: string, hostHeader: string, headers: Record<string, string>, body: string | undefined): Buffer | null {
  if (!isSafeInHead(path) || path.includes(' ')) return null;
  let host = hostHeader;
  let lines = '';
  for (const name in headers) {
    const value = headers[name]!;
    if (!isSafeInHead(value) || !isSafeInHead(name)) return null;
    const lower = name.toLowerCase();
    if (lower === 'host') host = value;
    else if (!OWN_HEADERS.has(lower)) lines += `${name}: ${value}\r\n`;
  }
  let head = `${method} ${path} HTTP/1.1\r\nhost: ${host}\r\n${lines}`;
  const bodyBytes = body === undefined ? null : Buffer.from(body, 'utf8');
  if (bodyBytes !== null || method === 'POST' || method === 'PUT' || method === 'PATCH') head += `content-length: ${bodyBytes?.length ?? 0}\r\n`;
  head += 'connection: keep-alive\r\n\r\n';
  if (head.length > MAX_REQUEST_HEAD_BYTES) return null;
  const headBytes = Buffer.from(head, 'utf8');
  return bodyBytes === null ? headBytes : Buffer.concat([headBytes, bodyBytes]);
}
