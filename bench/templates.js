#!/usr/bin/env node
// What templates and template functions cost per request (`npm run build` first;
// `node bench/templates.js [--seconds=10] [--rate=3000] [--rounds=3]`). The same open-model load
// against the Node static target with three mixes of one request each:
//   literal    GET /items/42                                    (prepared once per run)
//   seeded     the literal one with --seed 7 (a seed costs nothing when nothing is random)
//   functions  GET /items/{{ randomInt(1, 1000) }}?id={{ uuid() }}   (rendered per request)
// and reports CPU ms per 1,000 requests (user + system of the perfctl process), the median of the
// rounds, interleaved so that a busy machine hits every variant alike. Goal: functions ≤ 1.10 × literal.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureMethod, pinning } from './lib/proc.js';
import { startNodeTarget } from './lib/targets.js';
import { runPerfctl } from './lib/tools.js';

const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const seconds = arg('seconds', 10);
const rate = arg('rate', 3000);
const rounds = arg('rounds', 3);
const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'perfctl-templates-bench-'));
const pin = pinning();
const target = await startNodeTarget({ mode: 'static', pinPrefix: pin.prefix(0) });

const profile = (request, extra = '') =>
  [`name: templates`, `baseUrl: ${target.url.replace(/\/$/, '')}`, `stages: [ { duration: ${seconds}s, rate: ${rate} } ]`, 'requests:', `  - ${request}`, extra, ''].join('\n');
const variants = {
  literal: profile('{ name: item, path: /items/42 }'),
  seeded: profile('{ name: item, path: /items/42 }'),
  functions: profile('{ name: item, path: "/items/{{ randomInt(1, 1000) }}?id={{ uuid() }}" }'),
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuPer1k = {};
try {
  for (let round = 0; round < rounds; round++) {
    for (const [name, yaml] of Object.entries(variants)) {
      const run = await runPerfctl({
        label: `${name}-${round}`, yaml, baseUrl: target.url, tmpDir, pinPrefix: pin.prefix(1), method: measureMethod(), expectedSeconds: seconds,
        extraArgs: name === 'seeded' ? ['--seed', '7'] : [],
      });
      const requests = run.result?.totals?.requests ?? 0;
      const ms = run.measure.cpuS === null || requests === 0 ? null : (run.measure.cpuS * 1e6) / requests;
      (cpuPer1k[name] ??= []).push(ms);
      console.log(`round ${round + 1} ${name.padEnd(9)} exit ${run.exitCode}, ${requests} requests, ${ms === null ? '?' : ms.toFixed(1)} CPU ms per 1k`);
    }
  }
  const m = Object.fromEntries(Object.entries(cpuPer1k).map(([name, xs]) => [name, median(xs.filter((x) => x !== null))]));
  console.log(`\nmedian CPU ms per 1,000 requests at ${rate}/s for ${seconds} s: literal ${m.literal.toFixed(1)}, seeded ${m.seeded.toFixed(1)}, functions ${m.functions.toFixed(1)}`);
  console.log(`functions / literal = ${(m.functions / m.literal).toFixed(3)} (goal ≤ 1.10)`);
} finally {
  await target.stop();
  rmSync(tmpDir, { recursive: true, force: true });
}
