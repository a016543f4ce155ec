#!/usr/bin/env node
// The regression gate's figures (issue 11): false alarms on pairs of runs of the same service,
// detection of a slowdown confined to the spike, and how long `perfctl history` takes.
// Needs dist/ (npm run build). Load goes only to the two services this script starts on
// 127.0.0.1 (free ports), for 30 s a run.
//
//   node bench/regress.js                # 5 same-service pairs + 3 detections (-d 30s) + history on 200 results (~6 min)
//   node bench/regress.js --pairs=2 --detections=1 --duration=15s   # shorter, to try it
//   node bench/regress.js --history-only # only the history timing (seconds)
import http from 'node:http';
import { spawnSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(REPO, 'bin', 'perfctl.js');

function parseArgs(argv) {
  const opts = { pairs: 5, detections: 3, duration: '30s', historyRuns: 200, historyOnly: false };
  for (const arg of argv) {
    const [key, value] = arg.replace(/^--/, '').split('=');
    if (key === 'pairs') opts.pairs = Number(value);
    else if (key === 'detections') opts.detections = Number(value);
    else if (key === 'duration') opts.duration = value;
    else if (key === 'history-runs') opts.historyRuns = Number(value);
    else if (key === 'history-only') opts.historyOnly = true;
    else throw new Error(`unknown option ${arg}`);
  }
  return opts;
}

/** 1 ms answers; with `penalty`, 31 ms while more than 4 requests are in flight. */
function startService(penalty) {
  let inFlight = 0;
  const server = http.createServer((req, res) => {
    inFlight++;
    const slow = penalty && inFlight > 4;
    req.resume();
    req.on('end', () =>
      setTimeout(() => {
        inFlight--;
        res.writeHead((req.url ?? '').startsWith('/api/submissions') ? 201 : 200, { 'content-type': 'application/json' });
        res.end('{"ok":true,"token":"t"}');
      }, slow ? 31 : 1),
    );
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => { server.closeAllConnections(); server.close(); } })));
}

function cli(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

const read = (dir) => JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8'));
const flagged = (comparison) => comparison.entries.filter((e) => e.regression).map((e) => `${e.scope} ${e.metric}`);

async function spikeRun(dir, name, url, extra = []) {
  const out = path.join(dir, name);
  const { code } = await cli(['run', 'spike', '-d', opts.duration, '-u', url, '--out', out, '--format', 'json', '--quiet', '--no-progress', ...extra]);
  return { code, out, result: read(out) };
}

/** 200 results of one real run: totals and groups scaled per run (3% noise, +20% from run 121), one hour apart. */
function writeHistory(dir, template, n) {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const noise = () => 1 + 0.03 * (random() + random() + random() - 1.5) * 2;
  for (let i = 0; i < n; i++) {
    const r = structuredClone(template);
    const f = (i >= Math.floor(n * 0.6) ? 1.2 : 1) * noise();
    for (const block of [r.totals, ...Object.values(r.groups)]) for (const k of ['p50', 'p95', 'p99']) block.latencyMs[k] = Math.round(block.latencyMs[k] * f * 1000) / 1000;
    r.startedAt = new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString();
    r.endedAt = new Date(Date.parse(r.startedAt) + r.durationMs).toISOString();
    mkdirSync(path.join(dir, String(i + 1).padStart(3, '0')));
    writeFileSync(path.join(dir, String(i + 1).padStart(3, '0'), 'result.json'), JSON.stringify(r));
  }
}

const opts = parseArgs(process.argv.slice(2));
const work = mkdtempSync(path.join(os.tmpdir(), 'perfctl-regress-bench-'));
const report = { machine: { cpus: os.cpus().length, load: os.loadavg().map((l) => Math.round(l * 10) / 10) } };
try {
  const fast = await startService(false);
  const slow = await startService(true);
  let template;
  if (!opts.historyOnly) {
    // five pairs of runs of the same service: a false alarm is any flagged entry
    const pairs = [];
    for (let i = 1; i <= opts.pairs; i++) {
      const a = await spikeRun(work, `pair${i}-a`, fast.url);
      const b = await spikeRun(work, `pair${i}-b`, fast.url, ['--baseline', path.join(a.out, 'result.json')]);
      template ??= a.result;
      const c = b.result.comparison;
      pairs.push({ pair: i, codes: [a.code, b.code], flagged: flagged(c), tested: c.method.tested, notJudged: c.method.notJudged });
      console.log(`pair ${i}: exits ${a.code}/${b.code}, ${c.method.tested} entries judged, ${c.method.notJudged} not judged, flagged: ${flagged(c).join(', ') || 'none'}`);
    }
    // the spike-only slowdown against each pair's first run
    const detections = [];
    for (let i = 1; i <= opts.detections; i++) {
      const base = path.join(work, `pair${i}-a`, 'result.json');
      const s = await spikeRun(work, `slow${i}`, slow.url, ['--baseline', base]);
      const c = s.result.comparison;
      const f = flagged(c);
      const spikeP50 = f.includes('spike › total p50');
      const spikeP95 = f.includes('spike › total p95');
      const quiet = f.filter((x) => x.startsWith('baseline ›') || x.startsWith('recovery ›'));
      detections.push({ run: i, code: s.code, spikeP50, spikeP95, quietFlags: quiet, flagged: f.length });
      const p50 = (r, ph) => r.phases.find((p) => p.name === ph).latencyMs.p50;
      console.log(`slow ${i}: exit ${s.code}; spike p50 ${p50(read(path.join(work, `pair${i}-a`)), 'spike')} -> ${p50(s.result, 'spike')} ms; spike › total p50 ${spikeP50 ? 'flagged' : 'MISSED'}, p95 ${spikeP95 ? 'flagged' : 'MISSED'}; quiet phases flagged: ${quiet.join(', ') || 'none'}`);
    }
    report.pairs = pairs;
    report.falseAlarmPairs = pairs.filter((p) => p.flagged.length > 0).length;
    report.falseAlarmEntries = pairs.reduce((n, p) => n + p.flagged.length, 0);
    report.detections = detections;
  }
  fast.close();
  slow.close();

  // history on 200 results
  if (!template) {
    const svc = await startService(false);
    template = (await spikeRun(work, 'template', svc.url)).result;
    svc.close();
  }
  const historyDir = path.join(work, 'history');
  mkdirSync(historyDir);
  writeHistory(historyDir, template, opts.historyRuns);
  const times = [];
  let last;
  for (let k = 0; k < 3; k++) {
    const started = performance.now();
    last = spawnSync(process.execPath, [CLI, 'history', historyDir, '--out', path.join(work, 'history-out')], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    times.push(Math.round(performance.now() - started));
  }
  const size = readFileSync(path.join(historyDir, '001', 'result.json')).length;
  const changeLine = last.stdout.split('\n').find((l) => l.startsWith('total ') && l.includes(' p95 '));
  report.history = { runs: opts.historyRuns, resultBytes: size, wallMs: times, exit: last.status, totalP95: changeLine?.trim() ?? null };
  console.log(`history of ${opts.historyRuns} results (${Math.round(size / 1024)} KB each): ${times.join(', ')} ms wall (exit ${last.status})\n  ${changeLine?.trim()}`);
  console.log(JSON.stringify(report, null, 2));
} finally {
  rmSync(work, { recursive: true, force: true });
}
