// The only module that touches undici. One connection pool per run; requests go out through
// the raw dispatch API (no stream objects on the hot path), and the handler's onConnect
// callback tells when the request actually went on the wire, for the service time.
import { createRequire } from 'node:module';
import type { Dispatcher, Pool, ProxyAgent } from 'undici';
import type { Clock } from './clock.js';
import type { CollectedResponse, PreparedRequest, SendResult, Transport, TransportOptions } from './transport.js';
import { MAX_COLLECTED_BYTES } from './transport.js';
import type { ErrorKind } from '../metrics/outcome.js';
import type { TlsSettings } from './transport.js';
import { isSafeInHead, MAX_REQUEST_HEAD_BYTES } from './raw-http.js';

/** undici loaded at the first pool: most runs use the raw client and need not pay its ~60 ms import */
let undici: typeof import('undici') | undefined;
const loadUndici = (): typeof import('undici') => (undici ??= createRequire(import.meta.url)('undici') as typeof import('undici'));

export class HttpTransport implements Transport {
  private readonly pool: Pool | ProxyAgent;
  /** set when the pool is a proxy agent, which needs each request's origin */
  private readonly origin: string | undefined;
  private readonly timeoutMs: number;
  private destroyed = false;

  constructor(
    origin: string,
    options: TransportOptions,
    private readonly clock: Clock,
  ) {
    const settings = {
      connections: options.connections,
      pipelining: 1,
      // the request's own deadline (below) bounds the whole exchange; undici's timers only as a backstop
      headersTimeout: options.timeoutMs + 1000,
      bodyTimeout: options.timeoutMs + 1000,
      connectTimeout: options.timeoutMs + 1000,
      keepAliveTimeout: 30_000,
    };
    if (options.proxy !== undefined) {
      this.pool = new (loadUndici().ProxyAgent)({ ...settings, uri: options.proxy, ...(options.tls !== undefined ? { requestTls: tlsConnectOptions(options.tls) } : {}) });
      this.origin = origin;
    } else {
      this.pool = new (loadUndici().Pool)(origin, { ...settings, ...(options.tls !== undefined ? { connect: tlsConnectOptions(options.tls) } : {}) });
      this.origin = undefined;
    }
    this.timeoutMs = options.timeoutMs;
  }

  send(request: PreparedRequest, done: (result: SendResult) => void): void {
    const clock = this.clock;
    if (this.destroyed) return done({ status: null, errorKind: 'interrupted', sentAtMs: Number.NaN, endedAtMs: clock.nowMs() });
    if (!isSafeRequest(request)) return done({ status: null, errorKind: 'header', sentAtMs: Number.NaN, endedAtMs: clock.nowMs() });
    let sentAtMs = Number.NaN;
    let status: number | null = null;
    let finished = false;
    let abort: ((error: Error) => void) | null = null;
    // one deadline for the whole request, connect and wait for a connection included
    const deadline = setTimeout(() => {
      finish('timeout');
      abort?.(new Error('perfctl deadline'));
    }, this.timeoutMs);
    // only for captures: everything else keeps the no-body fast path
    const collector = request.collect === true ? new ResponseCollector() : null;
    let wireBytes = 0;
    let location = '';
    let setCookies: string[] | null = null;
    let contentEncoding = '';
    const finish = (errorKind: ErrorKind | null): void => {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      const endedAtMs = clock.nowMs();
      // an exchange that did not complete has no status, as with the raw transport
      if (errorKind !== null && errorKind !== 'status') return done({ status: null, errorKind, sentAtMs, endedAtMs, wireBytes });
      const result: SendResult = { status, errorKind, sentAtMs, endedAtMs, wireBytes };
      if (location !== '') result.location = location;
      if (setCookies !== null) result.setCookies = setCookies;
      if (collector !== null) {
        const encoded = contentEncoding !== '' && contentEncoding !== 'identity';
        result.response = collector.response(encoded);
        if (encoded) {
          result.contentEncoding = contentEncoding;
          result.encodedBody = collector.pieces();
        }
      }
      done(result);
    };
    const handler: Dispatcher.DispatchHandler = {
      onConnect(abortRequest) {
        if (finished) return abortRequest(new Error('perfctl deadline'));
        abort = abortRequest;
        sentAtMs = clock.nowMs();
      },
      onHeaders(statusCode, rawHeaders) {
        status = statusCode;
        collector?.headers(rawHeaders);
        // what the HTTP client layer needs, and the head's size (as written: "name: value\r\n")
        wireBytes += 17;
        const raw = (rawHeaders ?? []) as Array<Buffer | string>;
        for (let i = 0; i + 1 < raw.length; i += 2) {
          const name = raw[i]!;
          const value = raw[i + 1]!;
          wireBytes += name.length + value.length + 4;
          if (name.length !== 8 && name.length !== 10 && name.length !== 16) continue;
          const lower = name.toString().toLowerCase();
          if (lower === 'location') location = value.toString();
          else if (lower === 'set-cookie') (setCookies ??= []).push(value.toString());
          else if (lower === 'content-encoding') contentEncoding = value.toString().toLowerCase();
        }
        return true;
      },
      onData(chunk) {
        wireBytes += chunk.length;
        collector?.data(chunk);
        return true;
      },
      onComplete() {
        finish(isExpected(request.expectStatus, status!) ? null : 'status');
      },
      onError(error) {
        finish(classifyError(error));
      },
    };
    try {
      this.pool.dispatch(
        { origin: this.origin, path: request.path, method: request.method, headers: utf8Headers(request.headers), body: request.body },
        handler,
      );
    } catch (error) {
      finish(classifyError(error as Error));
    }
  }

  /** Closes idle connections gracefully; `destroy` cuts whatever is still in flight. */
  async close(): Promise<void> {
    await this.pool.close();
  }

  /** Cuts what is in flight: those requests end as `interrupted`, as the raw transport's do. */
  async destroy(): Promise<void> {
    this.destroyed = true;
    await this.pool.destroy();
  }
}

class ResponseCollector {
  private rawHeaders: Buffer[] = [];
  private readonly chunks: Buffer[] = [];
  private bytes = 0;

  headers(raw: Buffer[] | string[] | null | undefined): void {
    this.rawHeaders = (raw ?? []).map((item) => (typeof item === 'string' ? Buffer.from(item) : item));
  }

  data(chunk: Buffer): void {
    if (this.bytes >= MAX_COLLECTED_BYTES) return;
    const kept = chunk.length <= MAX_COLLECTED_BYTES - this.bytes ? chunk : chunk.subarray(0, MAX_COLLECTED_BYTES - this.bytes);
    this.chunks.push(kept);
    this.bytes += kept.length;
  }

  /** the headers, and the body as text unless it is still encoded (left to the HTTP client layer) */
  response(encoded: boolean): CollectedResponse {
    const headers: Record<string, string[]> = {};
    for (let i = 0; i + 1 < this.rawHeaders.length; i += 2) {
      const name = this.rawHeaders[i]!.toString('latin1').toLowerCase();
      (headers[name] ??= []).push(this.rawHeaders[i + 1]!.toString('latin1'));
    }
    return { headers, body: encoded ? '' : Buffer.concat(this.chunks, this.bytes).toString('utf8') };
  }

  pieces(): Buffer[] {
    return this.chunks;
  }
}

function isExpected(expect: ReadonlySet<number> | null, status: number): boolean {
  return expect === null ? status >= 200 && status < 400 : expect.has(status);
}

const timeoutCodes = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

export function classifyError(error: Error): ErrorKind {
  const withCode = error as Error & { code?: string; cause?: { code?: string } };
  const code = withCode.code ?? withCode.cause?.code;
  if (code === undefined) return 'other';
  if (timeoutCodes.has(code)) return 'timeout';
  if (code === 'UND_ERR_SOCKET') return 'socket';
  if (code === 'UND_ERR_DESTROYED' || code === 'UND_ERR_ABORTED' || code === 'UND_ERR_CLOSED') return 'interrupted';
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME|ALTNAME/.test(code)) return 'tls';
  if (code.startsWith('UND_ERR_')) return code.slice('UND_ERR_'.length).toLowerCase();
  return code;
}

/** the path and every header (name and value) can be written without breaking their lines */
function isSafeRequest(request: PreparedRequest): boolean {
  if (!isSafeInHead(request.path)) return false;
  let size = request.path.length;
  for (const name in request.headers) {
    const value = request.headers[name]!;
    if (!isSafeInHead(name) || !isSafeInHead(value)) return false;
    size += name.length + value.length + 4;
  }
  return size <= MAX_REQUEST_HEAD_BYTES;
}

/** undici writes header values as latin1: a value beyond it goes out as its UTF-8 bytes */
function utf8Headers(headers: Record<string, string>): Record<string, string> {
  let converted: Record<string, string> | null = null;
  for (const name in headers) {
    const value = headers[name]!;
    // eslint-disable-next-line no-control-regex
    if (/[^\x00-\x7f]/.test(value)) (converted ??= { ...headers })[name] = Buffer.from(value, 'utf8').toString('latin1');
  }
  return converted ?? headers;
}

function tlsConnectOptions(settings: TlsSettings): Record<string, unknown> {
  return {
    rejectUnauthorized: settings.insecure !== true,
    ...(settings.ca !== undefined ? { ca: settings.ca } : {}),
    ...(settings.cert !== undefined ? { cert: settings.cert } : {}),
    ...(settings.key !== undefined ? { key: settings.key } : {}),
    ...(settings.servername !== undefined ? { servername: settings.servername } : {}),
  };
}
