// The only module that touches undici. One connection pool per run; requests go out through
// the raw dispatch API (no stream objects on the hot path), and the handler's onConnect
// callback tells when the request actually went on the wire, for the service time.
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import type { Clock } from './clock.js';
import type { CollectedResponse, PreparedRequest, SendResult, Transport, TransportOptions } from './transport.js';
import { MAX_COLLECTED_BYTES } from './transport.js';
import type { ErrorKind } from '../metrics/outcome.js';

export class HttpTransport implements Transport {
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
    // only for captures: everything else keeps the no-body fast path
    const collector = request.collect === true ? new ResponseCollector() : null;
    const finish = (errorKind: ErrorKind | null): void => {
      if (finished) return;
      finished = true;
      const endedAtMs = clock.nowMs();
      if (collector !== null && status !== null && errorKind !== 'timeout') done({ status, errorKind, sentAtMs, endedAtMs, response: collector.response() });
      else done({ status, errorKind, sentAtMs, endedAtMs });
    };
    const handler: Dispatcher.DispatchHandler = {
      onConnect() {
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
  if (code.startsWith('UND_ERR_')) return code.slice('UND_ERR_'.length).toLowerCase();
  return code;
}
