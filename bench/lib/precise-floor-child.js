// The least a precise open-model schedule can cost in Node: one keep-alive socket, each request
// sent at its own due time, the last stretch of every wait slept in Atomics.wait once its answer
// is in (what perfctl does at low rates), nothing parsed or measured. Run by
// bench/precise-floor.js as `node precise-floor-child.js URL RATE SECONDS` against a target it
// started on 127.0.0.1. Prints one JSON line: { requests, lateMaxMs }.
import net from 'node:net';
import { performance } from 'node:perf_hooks';

const [url, rateArg, secondsArg] = process.argv.slice(2);
const { hostname, port } = new URL(url);
if (hostname !== '127.0.0.1' && hostname !== 'localhost') throw new Error(`loopback only, not ${hostname}`);
const rate = Number(rateArg);
const total = rate * Number(secondsArg);
const gapMs = 1000 / rate;
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const request = Buffer.from(`GET / HTTP/1.1\r\nHost: ${hostname}:${port}\r\n\r\n`);
const socket = net.connect(Number(port), hostname);
let sent = 0;
let inFlight = 0;
let startMs = 0;
let lateMaxMs = 0;

function next() {
  if (sent >= total) {
    if (inFlight === 0) {
      socket.destroy();
      console.log(JSON.stringify({ requests: sent, lateMaxMs: Math.round(lateMaxMs * 1000) / 1000 }));
    }
    return;
  }
  if (inFlight > 0) return;
  const waitMs = startMs + sent * gapMs - performance.now();
  if (waitMs > 2) {
    setTimeout(next, waitMs - 2);
    return;
  }
  if (waitMs > 0) Atomics.wait(sleeper, 0, 0, waitMs);
  lateMaxMs = Math.max(lateMaxMs, performance.now() - (startMs + sent * gapMs));
  sent++;
  inFlight++;
  socket.write(request);
}

// one small response per request (the targets answer "ok" with a content-length)
socket.on('data', () => {
  inFlight--;
  next();
});
socket.on('connect', () => {
  startMs = performance.now();
  next();
});
