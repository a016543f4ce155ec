#!/usr/bin/env node
// What a precise schedule costs at low rates before perfctl does anything of its own
// (`node bench/precise-floor.js [--rate=500] [--seconds=10] [--rounds=3]`). Against one target
// (nginx if installed, else the Node static target) on core 0, interleaved on core 1:
//   floor       bench/lib/precise-floor-child.js: one socket, each request at its due time,
//               Atomics.wait for the last stretch, nothing measured;
//   perfctl     the open model at the same rate (`dist/` built);
//   autocannon  -R RATE -c 10, which sends in bursts and keeps no schedule.
// Prints user + sys CPU seconds of each (start-up included) and the medians' ratios.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasCommand, measureMethod, pinning, runMeasured } from './lib/proc.js';
import { startNginx, startNodeTarget } from './lib/targets.js';
import { profileYaml, REPO, runAutocannon, runPerfctl } from './lib/tools.js';

const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const rate = arg('rate', 500);
const seconds = arg('seconds', 10);
const rounds = arg('rounds', 3);
const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'perfctl-floor-bench-'));
const pin = pinning();
const method = measureMethod();
const target = hasCommand('nginx') ? await startNginx({ tmpDir, pinPrefix: pin.prefix(0) }) : await startNodeTarget({ mode: 'static', pinPrefix: pin.prefix(0) });
const url = target.url.replace(/\/$/, '');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpu = { floor: [], perfctl: [], autocannon: [] };
try {
  for (let round = 1; round <= rounds; round++) {
    const floor = await runMeasured([...pin.prefix(1), process.execPath, path.join(REPO, 'bench', 'lib', 'precise-floor-child.js'), url, String(rate), String(seconds)], {
      timeoutMs: (seconds + 30) * 1000, cwd: REPO, method, tmpDir,
    });
    const perfctl = await runPerfctl({
      label: `floor-${round}`, yaml: profileYaml({ name: 'floor', baseUrl: url, stages: [{ duration: `${seconds}s`, rate }] }), baseUrl: url, tmpDir,
      pinPrefix: pin.prefix(1), method, expectedSeconds: seconds + 10,
    });
    const autocannon = await runAutocannon({ args: ['-R', String(rate), '-c', '10', '-d', String(seconds)], url: `${url}/`, pinPrefix: pin.prefix(1), method, tmpDir, expectedSeconds: seconds });
    const floorCpu = floor.userS + floor.sysS;
    cpu.floor.push(floorCpu);
    cpu.perfctl.push(perfctl.measure.cpuS);
    cpu.autocannon.push(autocannon.measure.cpuS);
    console.log(`round ${round}: floor ${floorCpu.toFixed(2)} s (${floor.stdout.trim()}), perfctl ${perfctl.measure.cpuS.toFixed(2)} s (exit ${perfctl.exitCode}), autocannon ${autocannon.measure.cpuS.toFixed(2)} s`);
  }
  const m = Object.fromEntries(Object.entries(cpu).map(([k, xs]) => [k, median(xs)]));
  console.log(`\n${rate}/s for ${seconds} s, median CPU-seconds of ${rounds} rounds (${target.kind}, ${pin.note}):`);
  console.log(`  floor ${m.floor.toFixed(2)}, perfctl ${m.perfctl.toFixed(2)}, autocannon ${m.autocannon.toFixed(2)}`);
  console.log(`  floor / autocannon ${(m.floor / m.autocannon).toFixed(2)}×, perfctl / autocannon ${(m.perfctl / m.autocannon).toFixed(2)}×, perfctl above the floor ${(m.perfctl - m.floor).toFixed(2)} s`);
} finally {
  await target.stop();
  rmSync(tmpDir, { recursive: true, force: true });
}
