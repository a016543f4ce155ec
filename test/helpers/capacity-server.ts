// A service of known capacity on 127.0.0.1: at most K requests in service at once, each taking
// exactly T ms, the rest queued first in, first out. Its capacity is K / T requests per ms
// (K = 5, T = 10 ms: 500 req/s). Service runs on virtual time (each slot is free again at
// start + T, whenever the timer that answers actually fires), so timer lateness does not eat
// into the capacity: the queue drains at exactly K / T.
//
// It runs in a child process of its own, so that the load generator under test (in the test's
// process) and the service do not share one event loop. GET /__stats answers what it saw.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface CapacityStats {
  served: number;
  /** the longest any request waited in the queue before its service began, ms */
  maxWaitMs: number;
}

export interface CapacityServer {
  url: string;
  /** requests per second it can serve */
  capacityPerSec: number;
  stats(): Promise<CapacityStats>;
  close(): Promise<void>;
}

const SERVER_SCRIPT = `
const http = require('node:http');
const [slots, serviceMs] = process.argv.slice(1).map(Number);
const freeAt = Array.from({ length: slots }, () => 0);
const stats = { served: 0, maxWaitMs: 0 };
const server = http.createServer((req, res) => {
  if (req.url === '/__stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(stats));
    return;
  }
  req.resume();
  req.on('end', () => {
    const now = performance.now();
    // FIFO: each arrival, in arrival order, takes the slot that is free first
    let slot = 0;
    for (let i = 1; i < slots; i++) if (freeAt[i] < freeAt[slot]) slot = i;
    const start = Math.max(now, freeAt[slot]);
    const done = start + serviceMs;
    freeAt[slot] = done;
    stats.maxWaitMs = Math.max(stats.maxWaitMs, start - now);
    setTimeout(() => {
      stats.served++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    }, done - now);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
`;

export async function startCapacityServer(opts: { slots: number; serviceMs: number }): Promise<CapacityServer> {
  const child: ChildProcess = spawn(process.execPath, ['-e', SERVER_SCRIPT, String(opts.slots), String(opts.serviceMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the capacity server did not start within 10 s')), 10_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^listening (\d+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the capacity server exited (${code})`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    capacityPerSec: (opts.slots * 1000) / opts.serviceMs,
    stats: async () => (await (await fetch(`${url}/__stats`)).json()) as CapacityStats,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
