// A minimal HTTP target for the benchmark, run in its own (pinned) child process.
//
//   node bench/target-server.js static            answers 200 "ok\n" at once
//   node bench/target-server.js delay 10          answers 200 "ok\n" after 10 ms
//
// Listens on 127.0.0.1 on a free port and prints {"port": N} on its first stdout line.
// GET /__stats answers what the service itself saw: requests and connections since it started
// (not counting /__stats itself) and, in delay mode, its own time from request to answer
// (p50/p99 in ms, since the last /__stats?reset=1), so the bench can tell a load tool's
// overhead from the service's own timer jitter.
// It exits by itself after --lifetime-ms (default 10 minutes) so it can never outlive a bench.
import http from 'node:http';

const mode = process.argv[2] ?? 'static';
const delayMs = Number(process.argv[3] ?? 10);
const lifetimeArg = process.argv.find((a) => a.startsWith('--lifetime-ms='));
const lifetimeMs = lifetimeArg ? Number(lifetimeArg.split('=')[1]) : 10 * 60 * 1000;

if (mode !== 'static' && mode !== 'delay') {
  process.stderr.write(`target-server: unknown mode "${mode}" (static or delay)\n`);
  process.exit(2);
}

const BODY = Buffer.from('ok\n');
const HEADERS = { 'content-type': 'text/plain', 'content-length': String(BODY.length) };
/** own service times (ms) of the last requests; a ring, so memory stays fixed */
const RING = 1 << 20;
const ownTimesMs = new Float64Array(RING);
let recorded = 0;
let requests = 0;
let connections = 0;

function statsAndMaybeReset(reset) {
  const n = Math.min(recorded, RING);
  const sorted = Float64Array.from(ownTimesMs.subarray(0, n)).sort();
  const at = (p) => (n === 0 ? null : Math.round(sorted[Math.min(n - 1, Math.ceil((p / 100) * n) - 1)] * 1000) / 1000);
  const stats = { mode, delayMs: mode === 'delay' ? delayMs : 0, requests, connections, ownP50Ms: at(50), ownP99Ms: at(99), ownMaxMs: n ? at(100) : null };
  if (reset) recorded = 0;
  return stats;
}

const server = http.createServer((req, res) => {
  if (req.url.startsWith('/__stats')) {
    connections--; // the bench's own stats connection
    const body = JSON.stringify(statsAndMaybeReset(req.url.includes('reset=1')));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  requests++;
  if (mode === 'static') {
    res.writeHead(200, HEADERS);
    res.end(BODY);
    return;
  }
  const arrived = performance.now();
  setTimeout(() => {
    res.writeHead(200, HEADERS);
    res.end(BODY);
    ownTimesMs[recorded++ % RING] = performance.now() - arrived;
  }, delayMs);
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.on('connection', () => connections++);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});

setTimeout(() => process.exit(0), lifetimeMs).unref();
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
process.on('disconnect', () => process.exit(0));
