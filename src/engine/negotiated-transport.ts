// `http.version: auto`: on an https origin, one TLS handshake offering ALPN "h2" and "http/1.1"
// decides the client for the whole run: HTTP/2 (h2-transport.ts) where the server picks h2, the
// HTTP/1.1 client otherwise. Requests sent before the answer wait for it (in their latency).
// On http:// there is nothing to negotiate: HTTP/1.1 (h2c only when asked for with version 2).
import { nodeTls } from './lazy-builtins.js';
import type { PreparedRequest, SendResult, Transport, TransportOptions } from './transport.js';

/** `h2` over TLS, `h2c` in clear text, or `http/1.1` */
export type WireProtocol = 'h2' | 'h2c' | 'http/1.1';

/** A transport that knows the protocol it puts requests on the wire with. */
export interface ProtocolTransport extends Transport {
  /** undefined until it is known */
  readonly protocol: WireProtocol | undefined;
}

export class NegotiatedTransport implements ProtocolTransport {
  private chosen: Transport | undefined;
  protocol: WireProtocol | undefined;
  private readonly queue: Array<{ request: PreparedRequest; done: (result: SendResult) => void }> = [];
  private readonly decided: Promise<void>;
  private destroyed = false;
  private stopping = false;

  constructor(
    origin: string,
    options: TransportOptions,
    makeH2: () => Transport,
    makeH1: () => Transport,
  ) {
    this.decided = offersH2(origin, options).then((h2) => {
      this.protocol = h2 ? 'h2' : 'http/1.1';
      this.chosen = h2 ? makeH2() : makeH1();
      if (this.stopping) this.chosen.stopStarting?.();
      if (this.destroyed) return;
      for (const { request, done } of this.queue.splice(0)) this.chosen.send(request, done);
    });
  }

  send(request: PreparedRequest, done: (result: SendResult) => void): void {
    if (this.stopping && !this.chosen) done({ status: null, errorKind: 'interrupted', sentAtMs: Number.NaN, endedAtMs: Number.NaN });
    else if (this.chosen) this.chosen.send(request, done);
    else this.queue.push({ request, done });
  }

  /** At a stop: what waits for the negotiation ends unsent; the chosen client stops starting too. */
  stopStarting(): void {
    this.stopping = true;
    for (const { done } of this.queue.splice(0)) done({ status: null, errorKind: 'interrupted', sentAtMs: Number.NaN, endedAtMs: Number.NaN });
    this.chosen?.stopStarting?.();
  }

  async prewarm(count: number): Promise<void> {
    await this.decided;
    await this.chosen?.prewarm?.(count);
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    await this.decided.catch(() => undefined);
    for (const { done } of this.queue.splice(0)) done({ status: null, errorKind: 'interrupted', sentAtMs: Number.NaN, endedAtMs: Number.NaN });
    await this.chosen?.destroy();
  }
}

/** Does the server pick h2 when offered h2 and http/1.1? false on any failure (the HTTP/1.1 client will report it). */
export function offersH2(origin: string, options: TransportOptions): Promise<boolean> {
  const url = new URL(origin);
  if (url.protocol !== 'https:') return Promise.resolve(false);
  const settings = options.tls ?? {};
  // SNI carries a name, never an address
  const servername = settings.servername ?? (/^[\d.]+$|:/.test(url.hostname) ? undefined : url.hostname);
  return new Promise((resolve) => {
    const socket = nodeTls().connect({
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port || 443),
      ALPNProtocols: ['h2', 'http/1.1'],
      rejectUnauthorized: !(settings.insecure ?? false),
      ...(settings.ca ? { ca: settings.ca } : {}),
      ...(settings.cert ? { cert: settings.cert, key: settings.key } : {}),
      ...(servername ? { servername } : {}),
    });
    const timer = setTimeout(() => done(false), options.timeoutMs);
    const done = (h2: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(h2);
    };
    socket.once('secureConnect', () => done(socket.alpnProtocol === 'h2'));
    socket.once('error', () => done(false));
  });
}
