// The only module that touches undici. One connection pool per run; requests go out through
// the raw dispatch API (no stream objects on the hot path), and the handler's onConnect
// callback tells when the request actually went on the wire, for the service time.
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import type { Clock } from './clock.js';
import type { ErrorKind } from '../metrics/outcome.js';

export interface PreparedRequest {
  name: string;
  method: Dispatcher.HttpMethod;
  /** path including the base URL's path prefix and query */
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** null = any 2xx or 3xx */
  expectStatus: ReadonlySet<number> | null;
}

export interface SendResult {
  status: number | null;
  errorKind: ErrorKind | null;
  /** when the request went on the wire, ms on the run's clock (NaN if it never did) */
  sentAtMs: number;
  endedAtMs: number;
}

export interface TransportOptions {
  /** most connections open at once */
  connections: number;
  timeoutMs: number;
}

export class HttpTransport {
  private readonly pool: Pool;

  constructor(
    origin: string,
    options: TransportOptions,
    private readonly clock: Clock,
  ) {
    this.pool = new Pool(origin, {
      connections: options.connections,
      pipelining: 1,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connectTimeout: Math.min(options.timeoutMs, 10_000),
      keepAliveTimeout: 30_000,
    });
  }

  send(request: PreparedRequest, done: (result: SendResult) => void): void {
    const clock = this.clock;
    let sentAtMs = Number.NaN;
    let status: number | null = null;
    let finished = false;
    const finish = (errorKind: ErrorKind | null): void => {
      if (finished) return;
      finished = true;
      done({ status, errorKind, sentAtMs, endedAtMs: clock.nowMs() });
    };
    const handler: Dispatcher.DispatchHandler = {
      onConnect() {
        sentAtMs = clock.nowMs();
      },
      onHeaders(statusCode) {
        status = statusCode;
        return true;
      },
      onData() {
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
        { origin: undefined, path: request.path, method: request.method, headers: request.headers, body: request.body },
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

  async destroy(): Promise<void> {
    await this.pool.destroy();
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
  if (code.startsWith('UND_ERR_')) return code.slice('UND_ERR_'.length).toLowerCase();
  return code;
}
