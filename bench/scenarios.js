#!/usr/bin/env node
// What scenarios cost (`npm run build` first; `node bench/scenarios.js [--seconds=8] [--rate=2000]
// [--rounds=3] [--before=DIR]`). The same open-model load against the Node static target, said
// four ways:
//   plain      `stages:` and `requests:` (the one path a profile without scenarios runs)
//   before     the plain profile with the perfctl built in DIR (a checkout before scenarios)
//   one        the same as `scenarios:` with one scenario (the scenario runner, one load run)
//   two        two scenarios of half the rate each (two load runs on one t = 0, their seconds added)
// CPU ms per 1,000 requests (user + system of the perfctl process), the median of interleaved
// rounds so that a busy machine hits every variant alike. Goals: plain ≈ before (nothing added
// per request), one and two within a few per cent of plain (the combining is per second).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureMethod, pinning } from './lib/proc.js';
import { startNodeTarget } from './lib/targets.js';
import { runPerfctl } from './lib/tools.js';

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const seconds = Number(arg('seconds', 8));
const rate = Number(arg('rate', 2000));
const rounds = Number(arg('rounds', 3));
const before = arg('before', undefined);
const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'perfctl-scenarios-bench-'));
const pin = pinning();
const target = await startNodeTarget({ mode: 'static', pinPrefix: pin.prefix(0) });

const base = `baseUrl: ${target.url.replace(/\/$/, '')}`;
const plain = ['name: plain', base, `stages: [ { duration: ${seconds}s, rate: ${rate} } ]`, 'requests: [ { name: item, path: /items/42 } ]', ''].join('\n');
const scenario = (name, r) => [`  ${name}:`, `    stages: [ { duration: ${seconds}s, rate: ${r} } ]`, `    requests: [ { name: ${name}, path: /items/42 } ]`];
const variants = {
  plain: { yaml: plain },
  ...(before ? { before: { yaml: plain, bin: path.join(path.resolve(before), 'bin', 'perfctl.js') } } : {}),
  one: { yaml: ['name: one', base, 'scenarios:', ...scenario('item', rate), ''].join('\n') },
  two: { yaml: ['name: two', base, 'scenarios:', ...scenario('a', rate / 2), ...scenario('b', rate / 2), ''].join('\n') },
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuPer1k = {};
try {
  for (let round = 0; round < rounds; round++) {
    for (const [name, variant] of Object.entries(variants)) {
      const run = await runPerfctl({
        label: `${name}-${round}`, yaml: variant.yaml, baseUrl: target.url, tmpDir, pinPrefix: pin.prefix(1), method: measureMethod(), expectedSeconds: seconds,
        ...(variant.bin ? { bin: variant.bin } : {}),
      });
      const requests = run.result?.totals?.requests ?? 0;
      const ms = run.measure.cpuS === null || requests === 0 ? null : (run.measure.cpuS * 1e6) / requests;
      (cpuPer1k[name] ??= []).push(ms);
      console.log(`round ${round + 1} ${name.padEnd(6)} exit ${run.exitCode}, ${requests} requests, ${ms === null ? '?' : ms.toFixed(1)} CPU ms per 1k`);
    }
  }
  const m = Object.fromEntries(Object.entries(cpuPer1k).map(([name, xs]) => [name, median(xs.filter((x) => x !== null))]));
  console.log(`\nmedian CPU ms per 1,000 requests at ${rate}/s for ${seconds} s: ${Object.entries(m).map(([name, v]) => `${name} ${v.toFixed(1)}`).join(', ')}`);
  console.log(Object.keys(m).filter((name) => name !== 'plain').map((name) => `${name} / plain = ${(m[name] / m.plain).toFixed(3)}`).join(', '));
} finally {
  await target.stop();
  rmSync(tmpDir, { recursive: true, force: true });
}
