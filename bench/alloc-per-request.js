#!/usr/bin/env node
// Bytes allocated on the JavaScript heap per request, on the request path (issue 20, item 3).
//
//   node bench/alloc-per-request.js [--json] [--requests=20000] [--sites]
//
// It runs itself again with a fixed 256 MiB young generation (--min/--max-semi-space-size) and
// --expose-gc: with a young generation that large, N requests allocate without a single scavenge, so the
// growth of the heap's used size over them is what they allocated (live or garbage alike),
// independent of when the GC would have run. Two figures:
//   parser:  ResponseParser fed one Node-style response (10 headers, keep-alive timeout) N times
//   client:  the whole closed-model loop (executor, HTTP client layer, raw transport, parser,
//            recorder) for N requests to a local Node server in another process, 10 users
// Each is the lowest of three rounds after a warm-up round (so JIT compilation is not counted).
// --sites: also the top allocation sites of the client loop (V8's sampling heap profiler,
// counting objects the GC has already collected).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import inspector from 'node:inspector';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import v8 from 'node:v8';

if (!process.execArgv.includes('--min-semi-space-size=256')) {
  const flags = ['--min-semi-space-size=256', '--max-semi-space-size=256', '--expose-gc'];
  const child = spawn(process.execPath, [...flags, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 1));
} else await main();

async function main() {
const here = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(here, '..');
const dist = (p) => import(pathToFileURL(path.join(REPO, 'dist', p)).href);
const arg = (name, fallback) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.split('=')[1]) : fallback;
};
const N = arg('requests', 20_000);
const json = process.argv.includes('--json');

const sites = process.argv.includes('--sites');
const used = () => v8.getHeapStatistics().used_heap_size;
const scavenges = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');

let gcs = 0;
// only collections V8 chose count: forced ones are this script's gc() and the two scavenges a run
// makes before its t = 0 (warm-up.ts), which free only set-up garbage, never a request's
const FORCED = constants.NODE_PERFORMANCE_GC_FLAGS_FORCED;
new PerformanceObserver((list) => (gcs += list.getEntries().filter((e) => (e.detail.flags & FORCED) === 0).length)).observe({ entryTypes: ['gc'] });

async function measure(label, rounds, once) {
  const results = [];
  for (let round = 0; round <= rounds; round++) {
    globalThis.gc();
    const before = used();
    const gcsBefore = gcs;
    await once();
    const bytes = used() - before;
    if (gcs !== gcsBefore) throw new Error(`a garbage collection ran during the ${label} round: the figure would be too low`);
    if (round > 0) results.push(bytes / N);
  }
  return { label, bytesPerRequest: Math.round(Math.min(...results)), rounds: results.map((x) => Math.round(x)) };
}

const RESPONSE = Buffer.from(
  'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 3\r\ndate: Tue, 01 Dec 2026 13:00:00 GMT\r\n' +
    'connection: keep-alive\r\nkeep-alive: timeout=5\r\nx-request-id: 0123456789abcdef\r\ncache-control: no-store\r\n' +
    'vary: accept-encoding\r\nserver: bench\r\n\r\nok\n',
);

async function parserOnly() {
  const { ResponseParser } = await dist('engine/http1-parser.js');
  const parser = new ResponseParser();
  const request = { head: false, headers: false, bodyBytes: 0 };
  return measure('parser (one response, 10 headers)', 3, () => {
    for (let i = 0; i < N; i++) {
      parser.start(request);
      parser.feed(RESPONSE);
    }
  });
}

function startServer() {
  const child = spawn(process.execPath, [path.join(REPO, 'bench', 'target-server.js'), 'static', '--lifetime-ms=120000'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', (chunk) => resolve({ port: JSON.parse(chunk.toString().split('\n')[0]).port, stop: () => child.kill() }));
    child.once('exit', () => reject(new Error('target server exited')));
  });
}

async function wholeClient() {
  const { startLoad } = await dist('engine/run-load.js');
  const { buildPlan } = await dist('engine/plan.js');
  const server = await startServer();
  try {
    const plan = buildPlan('closed', [{ name: 'hold', durationMs: 600_000, fromLevel: 10, toLevel: 10 }]);
    const once = async () => {
      const run = startLoad({
        plan,
        baseUrl: `http://127.0.0.1:${server.port}`,
        requests: [{ name: 'root', method: 'GET', path: '/', headers: {}, expectStatus: null, weight: 1 }],
        timeoutMs: 10_000,
        maxInFlight: 1000,
        thinkTime: { minMs: 0, maxMs: 0 },
        requestLimit: N,
        drainMs: 1000,
      });
      const outcome = await run.finished;
      if (outcome.cells[0]?.requests < N) throw new Error(`only ${outcome.cells[0]?.requests} requests`);
    };
    const figure = await measure('whole client loop (closed model, 10 users)', 3, once);
    if (sites) figure.sites = await allocationSites(once);
    return figure;
  } finally {
    server.stop();
  }
}

/** Top allocation sites of one round (bytes per request), garbage included. */
async function allocationSites(once) {
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  await post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  await once();
  const { profile } = await post('HeapProfiler.stopSampling');
  session.disconnect();
  const bySite = new Map();
  const name = ({ functionName, url, lineNumber }) => `${functionName || '(anonymous)'} ${url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${lineNumber + 1}`;
  const walk = (node, parent) => {
    const size = node.selfSize;
    if (size > 0) {
      // a builtin (Map, exec, ...) is named with its caller
      const key = node.callFrame.url === '' && parent ? `${name(node.callFrame)} <- ${name(parent.callFrame)}` : name(node.callFrame);
      bySite.set(key, (bySite.get(key) ?? 0) + size);
    }
    for (const child of node.children) walk(child, node);
  };
  walk(profile.head);
  return [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([site, bytes]) => ({ site, bytesPerRequest: Math.round(bytes / N) }));
}

const out = { requests: N, parser: await parserOnly(), client: await wholeClient() };
if (json) process.stdout.write(JSON.stringify(out) + '\n');
else {
  for (const r of [out.parser, out.client]) console.log(`${r.label}: ${r.bytesPerRequest} B per request (rounds: ${r.rounds.join(', ')})`);
  for (const s of out.client.sites ?? []) console.log(`  ${String(s.bytesPerRequest).padStart(6)} B  ${s.site}`);
}
}
