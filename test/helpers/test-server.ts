// A real HTTP server on 127.0.0.1 for integration tests: it counts what it actually saw
// (requests, arrivals per second, most in flight), so perfctl's numbers can be held against it.
import http from 'node:http';
import { listenOnLoopback } from './listen.js';

export interface Seen {
  requests: number;
  /** arrivals per whole second since the first request */
  perSecond: number[];
  maxInFlight: number;
  byPath: Record<string, number>;
  /** how long the server itself took for each request, arrival to response end, ms */
  durationsMs: number[];
  /** when each of those answers ended, ms since the first request (same order as durationsMs) */
  answeredAtMs: number[];
}

export interface TestServer {
  url: string;
  seen: Seen;
  close(): Promise<void>;
}

export function medianMs(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

export type Behaviour = (req: http.IncomingMessage, n: number) => { delayMs?: number; status?: number; body?: string } | void;

export async function startTestServer(behaviour: Behaviour = () => undefined): Promise<TestServer> {
  const seen: Seen = { requests: 0, perSecond: [], maxInFlight: 0, byPath: {}, durationsMs: [], answeredAtMs: [] };
  let inFlight = 0;
  let firstAt = 0;
  const server = http.createServer((req, res) => {
    const now = performance.now();
    if (seen.requests === 0) firstAt = now;
    const n = seen.requests++;
    const second = Math.floor((now - firstAt) / 1000);
    seen.perSecond[second] = (seen.perSecond[second] ?? 0) + 1;
    const path = (req.url ?? '').split('?')[0]!;
    seen.byPath[path] = (seen.byPath[path] ?? 0) + 1;
    inFlight++;
    seen.maxInFlight = Math.max(seen.maxInFlight, inFlight);
    const answer = behaviour(req, n) ?? {};
    req.resume();
    req.on('end', () => {
      const reply = (): void => {
        inFlight--;
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
        res.end(answer.body ?? '{"ok":true}');
        const end = performance.now();
        seen.durationsMs.push(end - now);
        seen.answeredAtMs.push(end - firstAt);
      };
      if (answer.delayMs) setTimeout(reply, answer.delayMs);
      else reply();
    });
  });
  const { url, close } = await listenOnLoopback(server);
  return { url, seen, close };
}

