// A lean HTTP/1.1 client over net sockets, for the request loop. undici's dispatch costs
// ~120 µs of CPU per request on this kind of machine, autocannon's raw-socket client ~90 µs;
// this one writes a request built once into a kept-alive socket and parses only what a load
// test needs (status, framing, and headers/body when a capture asks for them).
import net from 'node:net';
import tls from 'node:tls';

/** Answer of one exchange; `status` null when no complete response arrived. */
export interface RawResponse {
  status: number | null;
  /** socket error code, 'timeout', or 'socket' (closed before the response was complete) */
  errorCode: string | null;
  /** when the request was written to an open socket (ms on the caller's clock); NaN if never */
  sentAtMs: number;
  headers?: Record<string, string[]>;
  body?: string;
}

export interface RawConnectionOptions {
  host: string;
  port: number;
  tls: boolean;
  servername?: string;
  timeoutMs: number;
  nowMs: () => number;
  /** most body bytes kept for a collecting request */
  maxCollectBytes: number;
  /** +1 when a connection attempt starts, −1 once it has connected or failed */
  onConnecting?: (delta: 1 | -1) => void;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
/**
 * A kept-alive connection idle longer than this is replaced before use: servers close idle
 * connections (Node's default after 5 s), and a request written into one being closed would
 * fail for no fault of the service (undici keeps a 4 s margin for the same reason).
 */
const MAX_IDLE_REUSE_MS = 4000;
const CRLF = Buffer.from('\r\n');

const enum Framing {
  Length,
  Chunked,
  UntilClose,
  None,
}

const enum ChunkState {
  Size,
  Data,
  DataEnd,
  Trailer,
}

/**
 * One kept-alive connection carrying one request at a time (no pipelining): a virtual user's
 * connection, or one of the open model's pool.
 */
export class RawConnection {
  private socket: net.Socket | null = null;
  private connected = false;
  private pendingWrite: Buffer | null = null;
  private onDone: ((response: RawResponse) => void) | null = null;
  private collect = false;
  private headOnly = false;
  // parser state
  private head: Buffer | null = null;
  private status = 0;
  private framing = Framing.None;
  private remaining = 0;
  private chunkState = ChunkState.Size;
  private chunkLine: Buffer | null = null;
  private keepAlive = true;
  private sentAtMs = Number.NaN;
  private headers: Record<string, string[]> | undefined;
  private bodyChunks: Buffer[] = [];
  private bodyBytes = 0;
  /** ms on the caller's clock when this connection last went idle */
  idleSinceMs = 0;
  closed = false;

  constructor(private readonly options: RawConnectionOptions) {}

  get busy(): boolean {
    return this.onDone !== null;
  }

  send(request: Buffer, collect: boolean, headOnly: boolean, onDone: (response: RawResponse) => void): void {
    this.onDone = onDone;
    this.collect = collect;
    this.headOnly = headOnly;
    this.resetParser();
    if (this.socket !== null && this.options.nowMs() - this.idleSinceMs > MAX_IDLE_REUSE_MS) this.destroy();
    if (this.socket === null) this.open();
    if (this.connected) this.write(request);
    else this.pendingWrite = request;
    this.socket!.setTimeout(this.options.timeoutMs);
  }

  /** Opens the connection ahead of use; resolves once it is open (or has failed). */
  preconnect(): Promise<void> {
    if (this.socket === null) this.open();
    const socket = this.socket!;
    return new Promise((resolve) => {
      socket.once(this.options.tls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('close', () => resolve());
    });
  }

  destroy(): void {
    this.closed = true;
    this.socket?.destroy();
    this.socket = null;
  }

  private open(): void {
    const { host, port } = this.options;
    const socket = this.options.tls
      ? tls.connect({ host, port, servername: this.options.servername ?? host, ALPNProtocols: ['http/1.1'] })
      : net.connect({ host, port });
    socket.setNoDelay(true);
    this.socket = socket;
    this.connected = false;
    this.closed = false;
    this.options.onConnecting?.(1);
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      this.options.onConnecting?.(-1);
    };
    socket.once('close', settle);
    // events of a socket this connection has already replaced are ignored
    socket.once(this.options.tls ? 'secureConnect' : 'connect', () => {
      settle();
      if (socket !== this.socket) return;
      this.connected = true;
      if (this.pendingWrite !== null) {
        const request = this.pendingWrite;
        this.pendingWrite = null;
        this.write(request);
      }
    });
    socket.on('data', (chunk: Buffer) => {
      if (socket === this.socket) this.onData(chunk);
    });
    socket.on('timeout', () => {
      if (socket === this.socket) this.fail('timeout');
    });
    socket.on('error', (error: Error & { code?: string }) => {
      if (socket === this.socket) this.fail(error.code ?? 'socket');
    });
    socket.on('close', () => {
      if (socket !== this.socket) return;
      if (this.framing === Framing.UntilClose && this.status !== 0 && this.head === null) return this.complete();
      this.fail('socket');
    });
  }

  private write(request: Buffer): void {
    this.sentAtMs = this.options.nowMs();
    this.socket!.write(request);
  }

  private resetParser(): void {
    this.head = Buffer.alloc(0);
    this.status = 0;
    this.framing = Framing.None;
    this.remaining = 0;
    this.chunkState = ChunkState.Size;
    this.chunkLine = null;
    this.keepAlive = true;
    this.sentAtMs = Number.NaN;
    this.headers = undefined;
    this.bodyChunks = [];
    this.bodyBytes = 0;
  }

  private onData(chunk: Buffer): void {
    if (this.onDone === null) return; // nothing asked: a stray byte on an idle connection
    let data = chunk;
    if (this.head !== null) {
      const buffered = this.head.length === 0 ? data : Buffer.concat([this.head, data]);
      const end = buffered.indexOf(CRLFCRLF);
      if (end < 0) {
        this.head = buffered;
        return;
      }
      this.parseHead(buffered.subarray(0, end).toString('latin1'));
      this.head = null;
      data = buffered.subarray(end + 4);
      if (this.framing === Framing.None) return this.complete();
    }
    this.onBody(data);
  }

  private parseHead(text: string): void {
    // "HTTP/1.1 200 OK"
    this.status = Number(text.slice(9, 12));
    const lines = text.split('\r\n');
    const http10 = lines[0]!.startsWith('HTTP/1.0');
    let length = -1;
    let chunked = false;
    let connection = '';
    if (this.collect) this.headers = {};
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-length') length = Number(value);
      else if (name === 'transfer-encoding') chunked = value.toLowerCase().includes('chunked');
      else if (name === 'connection') connection = value.toLowerCase();
      if (this.headers) (this.headers[name] ??= []).push(value);
    }
    this.keepAlive = http10 ? connection === 'keep-alive' : connection !== 'close';
    const noBody = this.headOnly || this.status === 204 || this.status === 304 || (this.status >= 100 && this.status < 200);
    if (noBody) this.framing = Framing.None;
    else if (chunked) this.framing = Framing.Chunked;
    else if (length >= 0) {
      this.framing = length === 0 ? Framing.None : Framing.Length;
      this.remaining = length;
    } else {
      this.framing = Framing.UntilClose;
      this.keepAlive = false;
    }
  }

  private keep(data: Buffer): void {
    if (!this.collect || this.bodyBytes >= this.options.maxCollectBytes) return;
    const room = this.options.maxCollectBytes - this.bodyBytes;
    const kept = data.length <= room ? data : data.subarray(0, room);
    this.bodyChunks.push(kept);
    this.bodyBytes += kept.length;
  }

  private onBody(data: Buffer): void {
    switch (this.framing) {
      case Framing.Length:
        if (data.length < this.remaining) {
          this.keep(data);
          this.remaining -= data.length;
          return;
        }
        this.keep(data.subarray(0, this.remaining));
        this.remaining = 0;
        return this.complete();
      case Framing.UntilClose:
        this.keep(data);
        return;
      case Framing.Chunked:
        return this.onChunked(data);
      case Framing.None:
        return;
    }
  }

  private onChunked(input: Buffer): void {
    let data = input;
    while (data.length > 0) {
      if (this.chunkState === ChunkState.Data) {
        const take = Math.min(this.remaining, data.length);
        this.keep(data.subarray(0, take));
        this.remaining -= take;
        data = data.subarray(take);
        if (this.remaining === 0) this.chunkState = ChunkState.DataEnd;
        continue;
      }
      // Size, DataEnd and Trailer read whole lines
      const line = this.readLine(data);
      if (line === null) return;
      data = line.rest;
      if (this.chunkState === ChunkState.DataEnd) {
        this.chunkState = ChunkState.Size;
      } else if (this.chunkState === ChunkState.Size) {
        const size = parseInt(line.text, 16);
        if (Number.isNaN(size)) return this.fail('parse');
        if (size === 0) this.chunkState = ChunkState.Trailer;
        else {
          this.remaining = size;
          this.chunkState = ChunkState.Data;
        }
      } else if (line.text === '') {
        return this.complete(); // the empty line after the last chunk (and any trailers)
      }
    }
  }

  private readLine(data: Buffer): { text: string; rest: Buffer } | null {
    const buffered = this.chunkLine === null ? data : Buffer.concat([this.chunkLine, data]);
    const end = buffered.indexOf(CRLF);
    if (end < 0) {
      this.chunkLine = buffered;
      return null;
    }
    this.chunkLine = null;
    return { text: buffered.subarray(0, end).toString('latin1').split(';')[0]!.trim(), rest: buffered.subarray(end + 2) };
  }

  private complete(): void {
    const onDone = this.onDone;
    if (onDone === null) return;
    this.onDone = null;
    this.head = null;
    const response: RawResponse = { status: this.status, errorCode: null, sentAtMs: this.sentAtMs };
    if (this.collect) {
      response.headers = this.headers ?? {};
      response.body = Buffer.concat(this.bodyChunks, this.bodyBytes).toString('utf8');
    }
    if (this.keepAlive) {
      this.socket?.setTimeout(0);
      this.idleSinceMs = this.options.nowMs();
    } else this.destroy();
    onDone(response);
  }

  private fail(code: string): void {
    const onDone = this.onDone;
    this.onDone = null;
    this.destroy();
    if (onDone !== null) onDone({ status: null, errorCode: code, sentAtMs: this.sentAtMs });
  }
}

/** Builds the bytes of a request once: request line, host, headers, content-length, body. */
export function buildRequestBytes(method: string, path: string, hostHeader: string, headers: Record<string, string>, body: string | undefined): Buffer {
  let head = `${method} ${path} HTTP/1.1\r\nhost: ${hostHeader}\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'host' || name === 'content-length' || name === 'connection') continue;
    head += `${name}: ${value}\r\n`;
  }
  const bodyBytes = body === undefined ? null : Buffer.from(body, 'utf8');
  if (bodyBytes !== null || method === 'POST' || method === 'PUT' || method === 'PATCH') head += `content-length: ${bodyBytes?.length ?? 0}\r\n`;
  head += 'connection: keep-alive\r\n\r\n';
  const headBytes = Buffer.from(head, 'latin1');
  return bodyBytes === null ? headBytes : Buffer.concat([headBytes, bodyBytes]);
}
