// A loopback HTTP server that notes the wall-clock time of every arrival, for the tests of
// --start-at and of shards that must start together (what the service saw, not what perfctl says).
import http from 'node:http';
import { listenOnLoopback } from './listen.js';

export interface ArrivalServer {
  url: string;
  /** Date.now() of each request's arrival, in order */
  arrivals: number[];
  close(): Promise<void>;
}

export async function startArrivalServer(delayMs = 1): Promise<ArrivalServer> {
  const arrivals: number[] = [];
  const server = http.createServer((req, res) => {
    arrivals.push(Date.now());
    req.resume();
    req.on('end', () => setTimeout(() => res.end('{"ok":true}'), delayMs));
  });
  const { url, close } = await listenOnLoopback(server);
  return { url, arrivals, close };
}

/** Arrivals per second from `startEpochMs`: [count in [0,1) s, [1,2) s, ...]. */
export function perSecondFrom(arrivals: number[], startEpochMs: number, seconds: number): number[] {
  const counts = Array.from({ length: seconds }, () => 0);
  for (const at of arrivals) {
    const s = Math.floor((at - startEpochMs) / 1000);
    if (s >= 0 && s < seconds) counts[s]!++;
  }
  return counts;
}
