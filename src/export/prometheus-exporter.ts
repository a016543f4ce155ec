// `--export prometheus=HOST:PORT`: serves /metrics while the run goes on, and for
// `--export-linger` after it ends so the last scrape sees the final counts.
import { createServer, type Server } from 'node:http';
import { usageError } from '../errors.js';
import { reasonOf, type Exporter } from './exporter.js';
import { renderPrometheus, type RunInfo } from './prometheus-text.js';
import type { LiveSnapshot } from './live-view.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export class PrometheusExporter implements Exporter {
  private server: Server | undefined;
  private latest: LiveSnapshot | undefined;
  private boundPort: number;
  private endLinger: (() => void) | undefined;

  constructor(
    private readonly host: string,
    port: number,
    private readonly info: RunInfo,
  ) {
    this.boundPort = port;
  }

  get name(): string {
    return `prometheus ${this.url}`;
  }

  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${this.boundPort}/metrics`;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD' }).end();
      } else if (path === '/metrics') {
        const body = renderPrometheus(this.latest, this.info);
        response.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
        response.end(request.method === 'HEAD' ? undefined : body);
      } else {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('perfctl serves /metrics\n');
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => reject(usageError(`--export prometheus: cannot listen on ${this.host}:${this.boundPort}: ${reasonOf(error)}; nothing was sent`, 'choose another port, e.g. --export prometheus=127.0.0.1:9465')));
      server.listen(this.boundPort, this.host, () => resolve());
    });
    const address = server.address();
    if (address && typeof address === 'object') this.boundPort = address.port;
    // a scrape must never keep perfctl alive, nor its keep-alive connections delay the exit
    server.unref();
    this.server = server;
  }

  publish(snapshot: LiveSnapshot): void {
    this.latest = snapshot;
  }

  /** Ends the linger early (Ctrl-C during the grace period). */
  stopLingering(): void {
    this.endLinger?.();
  }

  async close(lingerMs: number): Promise<void> {
    const server = this.server;
    if (!server) return;
    if (lingerMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, lingerMs);
        this.endLinger = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
