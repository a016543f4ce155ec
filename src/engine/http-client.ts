// What a browser-like client adds on top of a transport's single exchange: a pool per origin (an
// absolute URL in `path` goes to its own host; a request with its own `http.version` to that
// protocol's pool), redirects followed, cookies kept per user, bodies
// decoded when something reads them, and the expectations on body and headers. The transports
// below (raw, undici) stay single exchanges on one origin; this layer works the same over both.
import zlib from 'node:zlib';
import type { ErrorKind } from '../metrics/outcome.js';
import { missedExpectation } from './expectations.js';
import { MAX_COLLECTED_BYTES, type PreparedRequest, type SendContext, type SendResult, type Transport } from './transport.js';
import type { CookieJar } from './cookie-jar.js';
import type { HttpVersion } from '../config/types.js';

/** a redirect's target is requested again (its status a hop), with the method RFC 9110 §15.4 gives */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** a decoded body bigger than this is refused (a decompression bomb), as error kind `decode` */
const MAX_DECODED_BYTES = 8 * MAX_COLLECTED_BYTES;

export class HttpClient implements Transport {
  private readonly transports = new Map<string, Transport>();
  private readonly base: Transport;

  constructor(
    private readonly baseOrigin: string,
    private readonly makeTransport: (origin: string, version?: HttpVersion) => Transport,
    /** the profile's `http.version`: a request that asks for the same one shares the base pool */
    private readonly defaultVersion?: HttpVersion,
  ) {
    this.base = makeTransport(baseOrigin);
    this.transports.set(baseOrigin, this.base);
  }

  send(request: PreparedRequest, done: (result: SendResult) => void, context?: SendContext): void {
    const jar = request.cookies === true ? context?.jar : undefined;
    if (jar === undefined && request.origin === undefined && (request.httpVersion === undefined || request.httpVersion === this.defaultVersion)) {
      // the usual first hop (base origin and protocol, no cookies): a callback that holds only what it needs
      this.base.send(request, (result) => this.afterFirstHop(request, result, done));
      return;
    }
    this.exchange(request, request, jar, 0, Number.NaN, 0, done);
  }

  /** `exchange`'s callback for hop 0 without a cookie jar, on the base origin */
  private afterFirstHop(request: PreparedRequest, result: SendResult, done: (result: SendResult) => void): void {
    if (result.status === null) return done(result);
    const bytes = result.wireBytes ?? 0;
    if ((request.redirects ?? 0) > 0 && REDIRECTS.has(result.status) && result.location !== undefined) {
      const next = redirected(request, this.baseOrigin, result.status, result.location);
      if (next !== null) return this.exchange(request, next, undefined, 1, result.sentAtMs, bytes, done);
    }
    done(this.finish(request, result, 0, result.sentAtMs, bytes));
  }

  prewarm(count: number): Promise<void> {
    return this.base.prewarm?.(count) ?? Promise.resolve();
  }

  async destroy(): Promise<void> {
    await Promise.all([...this.transports.values()].map((t) => t.destroy()));
  }

  stopStarting(): void {
    for (const transport of this.transports.values()) transport.stopStarting?.();
  }

  /** One hop: `original` is what the profile asked for, `current` the request of this hop. */
  private exchange(
    original: PreparedRequest,
    current: PreparedRequest,
    jar: CookieJar | undefined,
    hops: number,
    firstSentAtMs: number,
    wireBytes: number,
    done: (result: SendResult) => void,
  ): void {
    const origin = current.origin ?? this.baseOrigin;
    const transport = this.transportFor(origin, original.httpVersion);
    let sent = current;
    if (jar !== undefined && jar.size > 0) {
      const cookie = jar.header(new URL(current.path, origin));
      if (cookie !== '') sent = { ...current, headers: { ...current.headers, cookie } };
    }
    const following = (original.redirects ?? 0) > hops;
    transport.send(sent, (result) => {
      const sentAtMs = hops === 0 ? result.sentAtMs : firstSentAtMs;
      const bytes = wireBytes + (result.wireBytes ?? 0);
      if (result.status === null) return done(hops === 0 ? result : { ...result, sentAtMs, wireBytes: bytes, redirects: hops });
      if (jar !== undefined && result.setCookies) jar.store(new URL(current.path, origin), result.setCookies);
      if (following && REDIRECTS.has(result.status) && result.location !== undefined) {
        const next = redirected(current, origin, result.status, result.location);
        if (next !== null) return this.exchange(original, next, jar, hops + 1, sentAtMs, bytes, done);
      }
      done(this.finish(original, result, hops, sentAtMs, bytes));
    });
  }

  /** The final answer: judged by the original request's expectations, its body decoded if read. */
  private finish(original: PreparedRequest, result: SendResult, hops: number, sentAtMs: number, wireBytes: number): SendResult {
    const plain = hops === 0 && result.encodedBody === undefined && original.expect === undefined;
    if (plain) return result;
    const final: SendResult = { ...result, sentAtMs, wireBytes };
    if (hops > 0) final.redirects = hops;
    const status = result.status!;
    let errorKind: ErrorKind | null = isExpected(original.expectStatus, status) ? null : 'status';
    if (final.response !== undefined && result.encodedBody !== undefined) {
      const body = decode(result.encodedBody, result.contentEncoding ?? '');
      if (body === null) errorKind ??= 'decode';
      final.response = { headers: final.response.headers, body: body ?? '' };
    }
    delete final.encodedBody;
    if (errorKind === null && original.expect !== undefined && final.response !== undefined) {
      errorKind = missedExpectation(original.expect, final.response);
    }
    final.errorKind = errorKind;
    return final;
  }

  private transportFor(origin: string, asked: HttpVersion | undefined): Transport {
    // on the base origin, asking for the profile's own version is asking for the base pool
    const version = asked === this.defaultVersion && origin === this.baseOrigin ? undefined : asked;
    const key = version === undefined ? origin : `${version} ${origin}`;
    let transport = this.transports.get(key);
    if (transport === undefined) {
      transport = this.makeTransport(origin, version);
      this.transports.set(key, transport);
    }
    return transport;
  }
}

/** The request a redirect asks for, or null when its location is not an http(s) URL. */
function redirected(current: PreparedRequest, origin: string, status: number, location: string): PreparedRequest | null {
  let url: URL;
  try {
    url = new URL(location, new URL(current.path, origin));
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // 303, and 301/302 after a POST (as browsers and k6 do), become a GET without a body
  const toGet = (status === 303 && current.method !== 'HEAD') || ((status === 301 || status === 302) && current.method === 'POST');
  let headers = current.headers;
  if (toGet || url.origin !== origin) {
    headers = {};
    for (const name in current.headers) {
      const lower = name.toLowerCase();
      if (toGet && (lower === 'content-type' || lower === 'content-length')) continue;
      // credentials are not handed to another origin; the jar gives it its own cookies
      if (url.origin !== origin && (lower === 'authorization' || lower === 'cookie' || lower === 'host')) continue;
      headers[name] = current.headers[name]!;
    }
  }
  return {
    ...current,
    method: toGet ? 'GET' : current.method,
    body: toGet ? undefined : current.body,
    headers,
    path: url.pathname + url.search,
    origin: url.origin,
    expectStatus: null,
  };
}

/** gzip, deflate (zlib or raw) and br bodies as UTF-8 text; null when they do not decode */
export function decode(pieces: readonly Buffer[], encoding: string): string | null {
  const data = Buffer.concat(pieces);
  const options = { maxOutputLength: MAX_DECODED_BYTES, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  try {
    switch (encoding) {
      case 'gzip':
      case 'x-gzip':
        return zlib.gunzipSync(data, options).toString('utf8');
      case 'deflate':
        // servers send zlib-wrapped deflate, a few raw deflate
        return (data[0]! & 0x0f) === 8 ? zlib.inflateSync(data, options).toString('utf8') : zlib.inflateRawSync(data, options).toString('utf8');
      case 'br':
        return zlib.brotliDecompressSync(data, { maxOutputLength: MAX_DECODED_BYTES, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH }).toString('utf8');
      default:
        return null;
    }
  } catch {
    return null;
  }
}

function isExpected(expect: ReadonlySet<number> | null, status: number): boolean {
  return expect === null ? status >= 200 && status < 400 : expect.has(status);
}
