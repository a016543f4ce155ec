// The only module that touches undici. One connection pool per run; requests go out through
// the raw dispatch API (no stream objects on the hot path), and the handler's onConnect
// callback tells when the request actually went on the wire, for the service time.
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import type { Clock } from './clock.js';
import type { CollectedResponse, PreparedRequest, SendResult, Transport, TransportOptions } from './transport.js';
import { MAX_COLLECTED_BYTES } from './transport.js';
import type { ErrorKind } from '../metrics/outcome.js';
import type { TlsSettings } from './transport.js';
import { isSafeInHead } from './raw-http.js';

export class HttpTransport implements Transport {
  private readonly pool: Pool;
  private readonly timeoutMs: number;
  private destroyed = false;

  constructor(
    origin: string,
    options: TransportOptions,
    private readonly clock: Clock,
  ) {
    this.pool = new Pool(origin, {
      connections: options.connections,
      pipelining: 1,
      // the request's own deadline (below) bounds the whole exchange; undici's timers only as a backstop
      headersTimeout: options.timeoutMs + 1000,
      bodyTimeout: options.timeoutMs + 1000,
      connectTimeout: options.timeoutMs + 1000,
      keepAliveTimeout: 30_000,
      ...(options.tls !== undefined ? { connect: tlsConnectOptions(options.tls) } : {}),
    });
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
    const finish = (errorKind: ErrorKind | null): void => {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      const endedAtMs = clock.nowMs();
      if (collector !== null && status !== null && errorKind !== 'timeout') done({ status, errorKind, sentAtMs, endedAtMs, response: collector.response() });
      else done({ status, errorKind, sentAtMs, endedAtMs });
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
        return true;
      },
      onData(chunk) {
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
        { origin: undefined, path: request.path, method: request.method, headers: utf8Headers(request.headers), body: request.body },
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

  response(): CollectedResponse {
    const headers: Record<string, string[]> = {};
    for (let i = 0; i + 1 < this.rawHeaders.length; i += 2) {
      const name = this.rawHeaders[i]!.toString('latin1').toLowerCase();
      (headers[name] ??= []).push(this.rawHeaders[i + 1]!.toString('latin1'));
    }
    return { headers, body: Buffer.concat(this.chunks, this.bytes).toString('utf8') };
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
  for (const name in request.headers) if (!isSafeInHead(name) || !isSafeInHead(request.headers[name]!)) return false;
  return true;
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
