#!/usr/bin/env node
// The export part of the benchmark alone (`npm run build && node bench/exports.js [--quick]
// [--rounds=5]`): closed-model throughput with all four --export on against none, against the
// bench's target (nginx if installed, else the Node static server), pinned as in bench/run.js.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureExports } from './lib/exports.js';
import { measureExportTick } from './lib/export-tick.js';
import { hasCommand, measureMethod, pinning } from './lib/proc.js';
import { startNginx, startNodeTarget } from './lib/targets.js';
import { profileYaml, REPO, runPerfctl } from './lib/tools.js';

const quick = process.argv.includes('--quick');
const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 3);
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);
const round = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
const perfctlSummary = (run) => (run.result ? { ok: true, rps: run.result.totals.rps, requests: run.result.totals.requests } : { ok: false, error: run.stderr.slice(-300) });

const pin = pinning();
const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'perfctl-bench-exports-'));
const target = (hasCommand('nginx') ? await startNginx({ tmpDir, pinPrefix: pin.prefix(0) }).catch(() => null) : null) ?? (await startNodeTarget({ mode: 'static', pinPrefix: pin.prefix(0) }));
try {
  const tick = await measureExportTick({ repo: REPO, tmpDir });
  console.log(`per second on the run's thread, all four exports, ${tick.groups} groups × ${tick.phases} stages: median ${tick.medianMs} ms (${tick.shareOfSecondPct}% of the second), p90 ${tick.p90Ms} ms, max ${tick.maxMs} ms`);
  const ctx = { quick, rounds, tool: { pinPrefix: pin.prefix(1), method: measureMethod(), tmpDir } };
  const r = await measureExports(ctx, target, { runPerfctl, profileYaml, perfctlSummary, log, round });
  console.log(`target ${target.kind}, ${r.connections} connections, ${r.seconds} s per run, ${r.rounds} rounds (${pin.note})`);
  for (const x of r.perRound) console.log(`  none ${x.noneRps} req/s (${x.noneCpuMsPer1k} CPU ms/1k), all exports ${x.allRps} req/s (${x.allCpuMsPer1k} CPU ms/1k): ${x.ratio}× (${x.scrapes} scrapes)`);
  console.log(`median throughput ratio all / none: ${r.ratio}× (goal ≥ 0.97×); CPU per 1k requests ${r.cpuMsPer1k.none} → ${r.cpuMsPer1k.all} ms (${r.cpuMsPer1k.ratio}×)`);
  console.log(`sinks got ${r.sinks.otlpPushes} OTLP pushes, ${r.sinks.statsdLines} StatsD lines`);
} finally {
  await target.stop();
  rmSync(tmpDir, { recursive: true, force: true });
}
