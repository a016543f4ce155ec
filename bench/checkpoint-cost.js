#!/usr/bin/env node
// What a --checkpoint costs in a 24-hour soak, computed from a shortened run (`npm run build`
// first; `node bench/checkpoint-cost.js [--seconds=30]`):
//   1. runs the built-in soak profile against the demo service, compressed to N seconds;
//   2. on the run's thread, a checkpoint encodes the cells' histograms (as many in hour 1 as in
//      hour 24): timed here on the run's own cells;
//   3. on the checkpoint thread, the views are summed from the cells and the timeline (one
//      point a second) is serialised, validated and written atomically: timed with the run's
//      timeline repeated to 86,400 points.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const seconds = Number(process.argv.find((a) => a.startsWith('--seconds='))?.slice(10) ?? 30);
const dir = mkdtempSync(path.join(os.tmpdir(), 'perfctl-cp-bench-'));
const dist = (p) => import(path.join(REPO, 'dist', p));
try {
  const run = spawnSync(process.execPath, [path.join(REPO, 'bin/perfctl.js'), 'run', 'soak', '--demo', '-d', `${seconds}s`, '--out', dir, '--quiet'], { encoding: 'utf8' });
  if (run.status === null || run.status > 4) throw new Error(`perfctl run failed: ${run.stderr}`);
  const result = JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8'));
  const { decodeCells, encodeCells } = await dist('result/cells.js');
  const { writeCheckpoint } = await dist('app/checkpoint-sink.js');
  const cells = decodeCells(result);
  const phases = result.phases.map(({ name, startMs, endMs }) => ({ name, startMs, endMs }));
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const build = [];
  for (let i = 0; i < 21; i++) {
    const t0 = performance.now();
    encodeCells(cells, phases);
    build.push(performance.now() - t0);
  }
  const day = 86_400;
  const timeline = Array.from({ length: day }, (_, i) => ({ ...result.timeline[i % result.timeline.length], t: i + 1 }));
  const writes = [];
  let bytes = 0;
  for (let i = 0; i < 5; i++) {
    const reply = await writeCheckpoint(path.join(dir, 'day.json'), { ...result, durationMs: day * 1000, status: 'running' }, timeline, day);
    if (reply.type !== 'written') throw new Error(reply.message);
    writes.push(reply.ms);
    bytes = reply.bytes;
  }
  const groups = Object.keys(result.groups).length;
  console.log(`soak, ${seconds} s run: ${cells.length} cells (${groups} groups × ${result.phases.length} phases), timeline ${result.timeline.length} points`);
  console.log(`run's thread, per checkpoint (encode the cells): median ${median(build).toFixed(1)} ms (independent of the run's length)`);
  console.log(`checkpoint thread, 24 h (86,400 points): ${(bytes / 1e6).toFixed(1)} MB, serialise + validate + write: median ${median(writes).toFixed(0)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
