#!/usr/bin/env node
// Protocol benchmark (run by `npm run bench` after bench/run.js; alone: node bench/protocols.js).
//
// HTTP/2: nginx with http2 over TLS (a certificate made here with openssl) on core 0, the load
// tool on core 1. Closed model, the same concurrency for each: perfctl with http.version 2,
// perfctl with HTTP/1.1 on the same nginx, and h2load (nghttp2-client) as the reference. Requests
// per second and CPU time per 1,000 requests of each; the ratios. Also the two HTTP/2 clients
// perfctl could be built on, in one process each: node:http2 (perfctl's) and undici (allowH2).
//
// WebSocket: a `ws` echo server on core 0; perfctl holding 1,000 sockets (closed model, one per
// user) at two message rates: messages/s achieved, round-trip p50/p99, CPU per 1,000 messages.
//
// Options: --quick (shorter runs), --json (print results.json content only)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, hasCommand, measureMethod, pinning, runMeasured, sleep, waitForPort } from './lib/proc.js';
import { REPO, runPerfctl } from './lib/tools.js';

const quick = process.argv.includes('--quick');
const SECONDS = quick ? 4 : 10;
const USERS = 64;
const pin = pinning();
const method = measureMethod();
const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'perfctl-bench-protocols-'));
const children = [];

function startChild(argv, name) {
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], detached: false });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  child.on('exit', (code) => {
    if (code && code !== 0) process.stderr.write(`${name} exited ${code}: ${stderr.slice(-300)}\n`);
  });
  children.push(child);
  return child;
}

// SIGTERM first: nginx's master stops its workers on it; a SIGKILLed master leaves them running
async function cleanup() {
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  await Promise.all(running.map((child) => new Promise((resolve) => {
    const hard = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => { clearTimeout(hard); resolve(); });
    child.kill('SIGTERM');
  })));
  rmSync(tmpDir, { recursive: true, force: true });
}

async function startNginxH2() {
  const cert = path.join(tmpDir, 'cert.pem');
  const key = path.join(tmpDir, 'key.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert]);
  if (made.status !== 0) throw new Error(`openssl: ${made.stderr}`);
  const port = await freePort();
  const conf = path.join(tmpDir, 'nginx.conf');
  writeFileSync(conf, `daemon off;
worker_processes 1;
pid ${tmpDir}/nginx.pid;
error_log ${tmpDir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  http2_max_requests 10000000;
  client_body_temp_path ${tmpDir}/body; proxy_temp_path ${tmpDir}/proxy; fastcgi_temp_path ${tmpDir}/fcgi; uwsgi_temp_path ${tmpDir}/uwsgi; scgi_temp_path ${tmpDir}/scgi;
  server {
    listen 127.0.0.1:${port} ssl http2;
    ssl_certificate ${cert};
    ssl_certificate_key ${key};
    http2_max_concurrent_streams 128;
    location / { default_type text/plain; return 200 'ok'; }
  }
}
`);
  const nginx = ['/usr/sbin/nginx', 'nginx'].find((bin) => spawnSync(bin, ['-v']).status === 0);
  startChild([...pin.prefix(0), nginx, '-p', tmpDir, '-c', conf], 'nginx');
  await waitForPort(port);
  return { url: `https://127.0.0.1:${port}`, cert };
}

function perYaml(version) {
  return `name: bench-h2
baseUrl: http://placeholder
http: { version: ${version} }
stages: [ { duration: ${SECONDS}s, vus: ${USERS} } ]
requests: [ { name: root, path: / } ]
timeout: 10s
`;
}

const cpuPer1k = (measure, count) => (measure.cpuS !== null && count > 0 ? (measure.cpuS * 1000) / count : null);

async function perfctlRun(label, yaml, baseUrl, expectedSeconds) {
  const run = await runPerfctl({ label, yaml, baseUrl, tmpDir, pinPrefix: pin.prefix(1), method, expectedSeconds });
  if (!run.result) return { label, error: `no result (exit ${run.exitCode}): ${run.stderr.slice(-300)}` };
  return { label, result: run.result, measure: run.measure };
}

async function h2loadRun(url) {
  // h2load's own clock: -D seconds, -c connections, -m streams per connection (64 in all, as perfctl's users)
  const argv = [...pin.prefix(1), 'h2load', '-D', String(SECONDS), '-c', '1', '-m', String(USERS), '-t', '1', `${url}/`];
  const run = await runMeasured(argv, { timeoutMs: (SECONDS + 20) * 1000, cwd: REPO, method, tmpDir });
  const done = /requests: \d+ total, \d+ started, (\d+) done, (\d+) succeeded/.exec(run.stdout);
  const rps = /finished in [\d.]+\w*, ([\d.]+) req\/s/.exec(run.stdout);
  if (!done || !rps) return { label: 'h2load', error: `no figures from h2load: ${run.stdout.slice(-300)}${run.stderr.slice(-300)}` };
  const requests = Number(done[2]);
  const measure = { cpuS: run.userS !== null && run.sysS !== null ? run.userS + run.sysS : null };
  return { label: 'h2load', requests, rps: Number(rps[1]), cpuPer1kMs: cpuPer1k(measure, requests) === null ? null : cpuPer1k(measure, requests) * 1000 };
}

/** node:http2 (perfctl's H2Transport) against undici allowH2: the same closed loop of 64, in a child each */
async function clientChoice(url, cert) {
  const script = path.join(tmpDir, 'h2-client.mjs');
  writeFileSync(script, `
import { H2Transport } from ${JSON.stringify(path.join(REPO, 'dist/engine/h2-transport.js'))};
import { Client } from ${JSON.stringify(path.join(REPO, 'node_modules/undici/index.js'))};
import { readFileSync } from 'node:fs';
const [kind, url, seconds] = process.argv.slice(2);
const ca = readFileSync(${JSON.stringify(cert)});
const clock = { nowMs: () => performance.now() };
const endAt = performance.now() + Number(seconds) * 1000;
let count = 0;
const cpu0 = process.cpuUsage();
await new Promise((resolve) => {
  let live = ${USERS};
  const finish = () => { if (--live === 0) resolve(); };
  if (kind === 'node-http2') {
    const t = new H2Transport(url, { connections: 100, timeoutMs: 10000, tls: { ca } }, clock);
    const req = { name: 'root', method: 'GET', path: '/', headers: {}, body: undefined, expectStatus: null };
    const loop = () => t.send(req, (r) => { if (r.status === 200) count++; if (performance.now() < endAt) loop(); else finish(); });
    for (let i = 0; i < ${USERS}; i++) loop();
  } else {
    const client = new Client(url, { allowH2: true, connect: { ca }, pipelining: ${USERS} });
    const loop = () => client.request({ path: '/', method: 'GET' }).then(async (res) => { await res.body.dump(); if (res.statusCode === 200) count++; }).catch(() => {}).then(() => { if (performance.now() < endAt) loop(); else finish(); });
    for (let i = 0; i < ${USERS}; i++) loop();
  }
});
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ kind, count, rps: count / Number(seconds), cpuPer1kMs: ((cpu.user + cpu.system) / 1000) / count * 1000 }));
process.exit(0);
`);
  const out = {};
  for (const kind of ['node-http2', 'undici-allowH2']) {
    const res = spawnSync(...(() => { const argv = [...pin.prefix(1), process.execPath, script, kind, url, String(SECONDS)]; return [argv[0], argv.slice(1)]; })(), { encoding: 'utf8', timeout: (SECONDS + 20) * 1000 });
    try {
      out[kind] = JSON.parse(res.stdout.trim().split('\n').pop());
    } catch {
      out[kind] = { error: (res.stderr || res.stdout).slice(-300) };
    }
  }
  return out;
}

async function startEchoServer() {
  const port = await freePort();
  const script = path.join(tmpDir, 'echo.mjs');
  writeFileSync(script, `
import { WebSocketServer } from ${JSON.stringify(path.join(REPO, 'node_modules/ws/wrapper.mjs'))};
const wss = new WebSocketServer({ port: ${port}, host: '127.0.0.1', perMessageDeflate: false });
wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
`);
  startChild([...pin.prefix(0), process.execPath, script], 'ws echo');
  await waitForPort(port);
  return `http://127.0.0.1:${port}`;
}

function wsYaml(perSocket) {
  return `name: bench-ws
baseUrl: http://placeholder
stages: [ { duration: ${SECONDS}s, vus: 1000 } ]
requests:
  - name: echo
    ws: /
    messages:
      rate: ${perSocket}
      send: { json: { id: "{{ seq }}", op: edit } }
      reply: { json: { "$.id": "{{ seq }}" } }
      timeout: 5s
timeout: 10s
`;
}

const round = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? null : Math.round(x * 10 ** d) / 10 ** d);

async function main() {
  const results = { machine: { cores: os.cpus().length, pinning: pin.note, load: os.loadavg()[0] }, http2: null, websocket: null };
  if (hasCommand('nginx') || spawnSync('/usr/sbin/nginx', ['-v']).status === 0) {
    const nginx = await startNginxH2();
    process.env.NODE_EXTRA_CA_CERTS = nginx.cert;
    const h2 = await perfctlRun('h2', perYaml(2), nginx.url, SECONDS);
    const h1 = await perfctlRun('h1', perYaml('1.1'), nginx.url, SECONDS);
    const ref = hasCommand('h2load') ? await h2loadRun(nginx.url) : { label: 'h2load', error: 'h2load not installed (nghttp2-client)' };
    const summary = (run) => {
      if (run.error) return { error: run.error };
      const total = run.result.totals;
      return { requests: total.requests, errors: total.errors, rps: round(total.rps), p50Ms: round(total.latencyMs.p50, 2), p99Ms: round(total.latencyMs.p99, 2), cpuPer1kMs: round(cpuPer1k(run.measure, total.requests) * 1000, 1), protocol: Object.keys(run.result.groups.root?.counters ?? {}).join(',') };
    };
    results.http2 = { users: USERS, seconds: SECONDS, perfctlH2: summary(h2), perfctlH1: summary(h1), h2load: ref, clients: await clientChoice(nginx.url, nginx.cert) };
    const a = results.http2.perfctlH2;
    const b = results.http2.perfctlH1;
    results.http2.ratios = {
      h2VsH1Rps: a.rps && b.rps ? round(a.rps / b.rps, 2) : null,
      h2VsH2loadRps: a.rps && ref.rps ? round(a.rps / ref.rps, 2) : null,
      h2CpuPer1kVsH2load: a.cpuPer1kMs && ref.cpuPer1kMs ? round(a.cpuPer1kMs / ref.cpuPer1kMs, 1) : null,
    };
  } else results.http2 = { error: 'nginx not installed (nginx-light)' };

  const echo = await startEchoServer();
  const ws = [];
  for (const perSocket of [5, 20]) {
    const run = await perfctlRun(`ws-${perSocket}`, wsYaml(perSocket), echo, SECONDS + 8);
    if (run.error) {
      ws.push({ perSocket, error: run.error });
      continue;
    }
    const g = run.result.groups.echo;
    const planned = 1000 * perSocket * SECONDS;
    ws.push({
      sockets: 1000,
      perSocket,
      plannedMessages: planned,
      messages: g.requests,
      errors: g.errors,
      messagesPerS: round(g.requests / SECONDS, 0),
      rttP50Ms: round(g.latencyMs.p50, 2),
      rttP99Ms: round(g.latencyMs.p99, 2),
      connectP50Ms: round(run.result.groups['echo.connect']?.latencyMs.p50, 1),
      cpuPer1kMs: round(cpuPer1k(run.measure, g.requests) * 1000, 1),
    });
  }
  results.websocket = ws;
  return results;
}

try {
  const results = await main();
  if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  else {
    const h = results.http2;
    process.stdout.write('\nProtocols bench\n');
    if (h.error) process.stdout.write(`  HTTP/2: ${h.error}\n`);
    else {
      const line = (name, r) => `  ${name.padEnd(22)} ${r.error ? r.error : `${String(r.rps).padStart(8)} req/s  cpu ${r.cpuPer1kMs} ms/1k req${r.p99Ms !== undefined ? `  p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms` : ''}${r.protocol ? `  (${r.protocol})` : ''}`}\n`;
      process.stdout.write(`  nginx http2 over TLS, ${h.users} concurrent, ${h.seconds} s (${results.machine.pinning})\n`);
      process.stdout.write(line('perfctl http.version 2', h.perfctlH2) + line('perfctl HTTP/1.1', h.perfctlH1) + line('h2load', h.h2load));
      for (const [kind, r] of Object.entries(h.clients)) process.stdout.write(line(`client ${kind}`, r));
      process.stdout.write(`  ratios: h2/h1.1 ${h.ratios.h2VsH1Rps}, perfctl h2 / h2load ${h.ratios.h2VsH2loadRps} (req/s), CPU per 1k vs h2load ×${h.ratios.h2CpuPer1kVsH2load}\n`);
    }
    for (const w of results.websocket) {
      process.stdout.write(w.error ? `  WebSocket ${w.perSocket}/s: ${w.error}\n` : `  WebSocket 1000 sockets × ${w.perSocket}/s: ${w.messages}/${w.plannedMessages} messages (${w.messagesPerS}/s), errors ${w.errors}, RTT p50 ${w.rttP50Ms} ms p99 ${w.rttP99Ms} ms, connect p50 ${w.connectP50Ms} ms, cpu ${w.cpuPer1kMs} ms/1k msgs\n`);
    }
  }
  writeFileSync(path.join(REPO, 'bench', 'results-protocols.json'), JSON.stringify(results, null, 2) + '\n');
} finally {
  await cleanup();
}
