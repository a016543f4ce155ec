// The one interface between the executors and the clients that put requests on the wire:
// perfctl's raw HTTP/1.1 client (raw-transport.ts) and undici's (http-transport.ts). Protocol
// clients (HTTP/2, WebSocket, SSE) implement it too, so the executors never know which one runs.
import type { ErrorKind } from '../metrics/outcome.js';
import type { CookieJar } from './cookie-jar.js';
import type { PreparedExpect } from './expectations.js';
import type { HttpVersion } from '../config/types.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'CONNECT' | 'OPTIONS' | 'TRACE' | 'PATCH';

export interface PreparedRequest {
  name: string;
  method: HttpMethod;
  /** path including the base URL's path prefix and query */
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** null = any 2xx or 3xx */
  expectStatus: ReadonlySet<number> | null;
  /** keep the response's headers and body (up to MAX_COLLECTED_BYTES) for captures; off by default */
  collect?: boolean;
  /** an absolute URL's own origin (scheme://host:port), when it is not the base URL's */
  origin?: string;
  /** redirects to follow at most (http-client.ts); none when absent */
  redirects?: number;
  /** send and keep cookies in the jar of the send's context */
  cookies?: boolean;
  /** expectations on the body and headers (they set `collect`) */
  expect?: PreparedExpect;
  /** its own `http.version` (over the profile's): it goes to that protocol's pool */
  httpVersion?: HttpVersion;
}

/** What a send carries besides the request: the cookie jar of its user or flow iteration. */
export interface SendContext {
  jar?: CookieJar;
}

/** What a request with `collect` keeps of its response. */
export interface CollectedResponse {
  /** lower-case names; a header sent several times has several values */
  headers: Record<string, string[]>;
  /** the body as UTF-8, cut at MAX_COLLECTED_BYTES */
  body: string;
}

/** a capture reads at most this much of a body */
export const MAX_COLLECTED_BYTES = 1024 * 1024;

export interface SendResult {
  status: number | null;
  errorKind: ErrorKind | null;
  /** when the request went on the wire, ms on the run's clock (NaN if it never did) */
  sentAtMs: number;
  endedAtMs: number;
  /** only for a request with `collect` that was answered */
  response?: CollectedResponse;
  /** bytes received, as on the wire (compressed bodies compressed), where the transport counts them */
  wireBytes?: number;
  /** redirects followed to this answer */
  redirects?: number;
  /** the protocol it went out with (`h2`, `h2c`, `http/1.1`), where `http.version` asked to record it */
  protocol?: string;
  /** for the HTTP client layer: `location`, `set-cookie`, and the still-encoded body of a collecting request */
  location?: string;
  setCookies?: string[] | null;
  contentEncoding?: string;
  encodedBody?: Buffer[];
}

/** What the executors need of a transport: undici's (http-transport.ts) or the raw one (raw-transport.ts). */
export interface Transport {
  send(request: PreparedRequest, done: (result: SendResult) => void, context?: SendContext): void;
  destroy(): Promise<void>;
  /** open this many connections ahead of the load, where the transport can */
  prewarm?(count: number): Promise<void>;
  /**
   * The run is stopping: start nothing more. Requests not yet written (waiting for a connection,
   * or on one still connecting) end now as `interrupted` with no send time, and those connects
   * are cancelled; requests already on the wire keep their drain time.
   */
  stopStarting?(): void;
}

/** `raw`: perfctl's lean HTTP/1.1 client (the default); `undici`: undici's dispatcher. */
export type TransportKind = 'raw' | 'undici';

export interface TransportOptions {
  /** most connections open at once */
  connections: number;
  /** one deadline for the whole request: connect, send and answer */
  timeoutMs: number;
  /** for https origins */
  tls?: TlsSettings;
  /** a forward proxy URL (http://host:port): plain requests in absolute form, https through CONNECT */
  proxy?: string;
}

/** `http.tls` of a profile, with the files already read. */
export interface TlsSettings {
  /** accept any certificate (self-signed, expired, another name) */
  insecure?: boolean;
  /** PEM: certificate authorities to trust besides the system's */
  ca?: string | Buffer;
  /** PEM: a client certificate and its key */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** the name to ask for (SNI) and check the certificate against */
  servername?: string;
}

