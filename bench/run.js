#!/usr/bin/env node
// perfctl's benchmark (`npm run bench`, i.e. `npm run build && node bench/run.js`).
//
// Starts its own targets on 127.0.0.1 (nginx if installed, else a Node server; and a Node
// server answering after 10 ms), pins them to core 0 and the load tool to core 1, and measures
// in one run: closed-model throughput against autocannon (and wrk), the open model's schedule
// accuracy at increasing rates, the p99 overhead at 4,000/s against the 10 ms service, peak RSS
// of a short and a long run, and CPU time per 1,000 requests. Prints a table with the goals
// and writes bench/results.json. A missed goal is reported, not thrown; only a crash of the
// bench itself exits non-zero. See bench/README.md.
//
// Options:
//   --quick             shorter runs (about half the time; for trying the bench, not for quoting)
//   --rates=1000,2000   the open-model rates to step through (req/s)
//   --before=DIR        also run the perfctl built in DIR (another checkout, `npm run build` done)
//                       in each closed-model round, for a before/after figure of the client
//   --rounds=3          closed-model comparison in 3 interleaved rounds: each tool's median
//                       run, and the median of the rounds' ratios (noisy machine; +32 s a round)
//   --soak              also compare peak RSS of a 10 s and a 60 s run at 1,000/s (+75 s)
//   --cpu-prof          also profile perfctl (closed run and open run) with node --cpu-prof
//                       and print the top self-time functions (+20 s)
//   --target=node       use the Node static target even when nginx is installed
//   --no-wrk            leave wrk out even when installed
//   --measure=proc      measure RSS/CPU by polling /proc even when /usr/bin/time is present
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { formatSummary, readCpuProfiles, summariseCpuProfile } from './cpu-profile-summary.js';
import { cpuCount, hasCommand, idleMachineLoad, measureMethod, pinning, runMeasured, sleep } from './lib/proc.js';
import { startNginx, startNodeTarget } from './lib/targets.js';
import { profileYaml, REPO, runAutocannon, runHey, runPerfctl, runWrk, toolVersions } from './lib/tools.js';
import { measureExports } from './lib/exports.js';
import { measureExportTick } from './lib/export-tick.js';
import { noisyHostNotes } from './lib/noise.js';

const GOALS = {
  closedVsAutocannon: 1.3,
  lowRateVsAutocannon: 2,
  firstSecondVsSteady: 2,
  closedVsWrkReference: 0.7,
  openWithinPct: 1,
  openRateGoal: 10_000,
  p99OverheadMs: 4,
  rssRatio: 1.2,
  exportsWithinPct: 3,
};

function parseArgs(argv) {
  const opts = { quick: false, soak: false, cpuProf: false, rates: [1000, 2000, 5000, 10_000, 20_000, 40_000], target: 'auto', wrk: true, measure: 'auto', rounds: 1 };
  for (const arg of argv) {
    if (arg === '--quick') opts.quick = true;
    else if (/^--rounds=\d+$/.test(arg)) opts.rounds = Math.max(1, Number(arg.slice(9)));
    else if (arg.startsWith('--before=')) opts.before = path.resolve(arg.slice(9), 'bin', 'perfctl.js');
    else if (arg === '--target=node' || arg === '--target=nginx') opts.target = arg.slice(9);
    else if (arg === '--no-wrk') opts.wrk = false;
    else if (arg === '--measure=proc') opts.measure = 'proc-poll';
    else if (arg === '--soak') opts.soak = true;
    else if (arg === '--cpu-prof') opts.cpuProf = true;
    else if (arg.startsWith('--rates=')) opts.rates = arg.slice(8).split(',').map(Number).filter((n) => n > 0);
    else if (arg === '--help' || arg === '-h') {
      const lines = readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(1);
      const header = lines.slice(0, lines.findIndex((l) => !l.startsWith('//')));
      process.stdout.write(header.map((l) => l.slice(3)).join('\n') + '\n');
      process.exit(0);
    } else throw new Error(`unknown option ${arg} (see node bench/run.js --help)`);
  }
  return opts;
}

const log = (msg) => process.stderr.write(`bench: ${msg}\n`);
const round = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const median = (xs) => {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
};
const cpuMsPer1k = (measure, requests) => (measure?.cpuS != null && requests > 0 ? round((measure.cpuS * 1000 * 1000) / requests, 2) : null);

async function delta(target, fn) {
  const before = await target.counters().catch(() => null);
  const out = await fn();
  const after = await target.counters().catch(() => null);
  out.serviceSaw = before && after ? { requests: after.requests - before.requests, connections: after.connections - before.connections } : null;
  return out;
}

function perfctlSummary(run) {
  const r = run.result;
  if (!r) return { ok: false, exitCode: run.exitCode, error: run.timedOut ? 'perfctl timed out' : `no result.json (exit ${run.exitCode}): ${run.verdictLine || run.stderr.slice(-300)}` };
  return {
    ok: true,
    exitCode: run.exitCode,
    verdict: r.verdict,
    status: r.status,
    requests: r.totals.requests,
    errors: r.totals.errors,
    rps: r.totals.rps,
    durationMs: r.durationMs,
    latencyMs: { p50: r.totals.latencyMs.p50, p99: r.totals.latencyMs.p99, max: r.totals.latencyMs.max },
    serviceTimeMs: r.totals.serviceTimeMs ? { p50: r.totals.serviceTimeMs.p50, p99: r.totals.serviceTimeMs.p99, max: r.totals.serviceTimeMs.max } : null,
    reason: r.verdict === 'pass' ? null : run.verdictLine,
  };
}

/** Planned against achieved per second, from perfctl's own timeline. */
function scheduleAccuracy(result, seconds) {
  const timeline = result?.timeline ?? [];
  const full = timeline.filter((p) => (p.planned ?? 0) > 0 && p.t <= seconds);
  let worst = { t: null, planned: null, requests: null, deviationPct: null };
  for (const p of full) {
    const dev = (Math.abs(p.requests - p.planned) / p.planned) * 100;
    if (worst.deviationPct === null || dev > worst.deviationPct) worst = { t: p.t, planned: p.planned, requests: p.requests, deviationPct: round(dev, 2) };
  }
  const planned = sum(timeline.map((p) => p.planned ?? 0));
  const achieved = sum(timeline.map((p) => p.requests));
  return {
    planned,
    achieved,
    achievedRatio: planned > 0 ? round(achieved / planned, 4) : null,
    worstSecond: worst,
    maxStartLagMs: round(Math.max(0, ...timeline.map((p) => p.startLagMs ?? 0)), 1),
    // the worst start lag of the first second against the median of the later seconds' worst
    firstSecondStartLagMs: round(full[0]?.startLagMs ?? null, 1),
    steadyStartLagMs: round(median(full.slice(1).map((p) => p.startLagMs ?? 0)), 1),
    maxLoopLagMs: round(Math.max(0, ...timeline.map((p) => p.loopLagMs ?? 0)), 1),
  };
}

// ---------------------------------------------------------------------------------------------

async function measureClosed(ctx, target) {
  const seconds = ctx.quick ? 5 : 10;
  const connections = 50;
  const rounds = ctx.rounds;
  log(`closed model, ${connections} connections, ${seconds} s each: perfctl, autocannon${ctx.wrk ? ', wrk' : ''}${rounds > 1 ? `, ${rounds} rounds interleaved` : ''}`);
  // warm the target (JIT, connection setup) so the first tool is not at a disadvantage
  await runAutocannon({ args: ['-c', String(connections), '-d', '2'], url: target.url, ...ctx.tool, expectedSeconds: 2 });

  const base = target.url.replace(/\/$/, '');
  const yaml = profileYaml({ name: 'bench-closed', baseUrl: base, stages: [{ duration: `${seconds}s`, vus: connections }], thinkTime: '0s' });
  const runs = { perfctl: [], autocannon: [], wrk: [], hey: [], before: [] };
  for (let round = 1; round <= rounds; round++) {
    const perfctlRun = await delta(target, () => runPerfctl({ label: `closed-${round}`, yaml, baseUrl: base, ...ctx.tool, expectedSeconds: seconds }));
    const perfctl = { ...perfctlSummary(perfctlRun), measure: perfctlRun.measure, serviceSaw: perfctlRun.serviceSaw };
    perfctl.cpuMsPer1k = cpuMsPer1k(perfctl.measure, perfctl.requests);
    runs.perfctl.push(perfctl);

    if (ctx.before) {
      // the other build, right after this one in the same round: the before/after of the client
      const beforeRun = await delta(target, () => runPerfctl({ label: `closed-before-${round}`, yaml, baseUrl: base, ...ctx.tool, expectedSeconds: seconds, bin: ctx.before }));
      const before = { ...perfctlSummary(beforeRun), measure: beforeRun.measure, serviceSaw: beforeRun.serviceSaw };
      before.cpuMsPer1k = cpuMsPer1k(before.measure, before.requests);
      runs.before.push(before);
    }

    const autocannon = await delta(target, () => runAutocannon({ args: ['-c', String(connections), '-d', String(seconds)], url: target.url, ...ctx.tool, expectedSeconds: seconds }));
    autocannon.cpuMsPer1k = cpuMsPer1k(autocannon.measure, autocannon.requests);
    runs.autocannon.push(autocannon);

    if (ctx.wrk) {
      const wrk = await delta(target, () => runWrk({ connections, seconds, url: target.url, ...ctx.tool }));
      wrk.cpuMsPer1k = cpuMsPer1k(wrk.measure, wrk.requests);
      runs.wrk.push(wrk);
    }

    if (hasCommand('hey')) {
      const hey = await delta(target, () => runHey({ seconds, connections, url: target.url, ...ctx.tool }));
      hey.cpuMsPer1k = cpuMsPer1k(hey.measure, hey.requests);
      runs.hey.push(hey);
    }
  }
  // with several rounds, each tool's median run (by req/s) stands for it
  const median = (list) => {
    if (list.length === 0) return null;
    const ok = list.filter((x) => x.ok).sort((a, b) => a.rps - b.rps);
    return ok.length > 0 ? ok[Math.floor((ok.length - 1) / 2)] : list[0];
  };
  const perfctl = median(runs.perfctl);
  const autocannon = median(runs.autocannon);
  const wrk = median(runs.wrk);
  const hey = median(runs.hey);
  const ratioOf = (p, other) => (p?.ok && other?.ok ? round(p.rps / other.rps, 3) : null);
  const perRound = runs.perfctl.map((p, i) => ({
    perfctlRps: p.ok ? round(p.rps, 0) : null,
    autocannonRps: runs.autocannon[i]?.ok ? round(runs.autocannon[i].rps, 0) : null,
    wrkRps: runs.wrk[i]?.ok ? round(runs.wrk[i].rps, 0) : null,
    ratioVsAutocannon: ratioOf(p, runs.autocannon[i]),
    ratioVsWrk: ratioOf(p, runs.wrk[i]),
    ratioVsHey: ratioOf(p, runs.hey[i]),
    ...(ctx.before ? { beforeRps: runs.before[i]?.ok ? round(runs.before[i].rps, 0) : null, ratioVsBefore: ratioOf(p, runs.before[i]), cpuMsPer1k: p.cpuMsPer1k, beforeCpuMsPer1k: runs.before[i]?.cpuMsPer1k ?? null } : {}),
  }));
  // the ratio is the median of the rounds' ratios: tools run back to back within a round,
  // so a busy spell on the machine hits both sides of a ratio rather than one tool's median
  const medianRatio = (key) => {
    const xs = perRound.map((r) => r[key]).filter((x) => x !== null).sort((a, b) => a - b);
    return xs.length === 0 ? null : xs[Math.floor((xs.length - 1) / 2)];
  };
  const before = ctx.before ? { bin: ctx.before, run: median(runs.before), ratio: medianRatio('ratioVsBefore'), cpuMsPer1k: medianRatio('cpuMsPer1k'), beforeCpuMsPer1k: medianRatio('beforeCpuMsPer1k') } : undefined;
  if (before) log(`closed model against the build in ${ctx.before}: this build / that one ${before.ratio}× (median of ${rounds} rounds), CPU per 1k requests ${before.cpuMsPer1k} / ${before.beforeCpuMsPer1k} ms`);
  return { seconds, connections, rounds, target: target.kind, perfctl, autocannon, wrk, hey, ratioVsAutocannon: medianRatio('ratioVsAutocannon'), ratioVsWrk: medianRatio('ratioVsWrk'), ratioVsHey: medianRatio('ratioVsHey'), perRound, ...(before ? { before } : {}) };
}

async function measureOpen(ctx, target) {
  const seconds = ctx.quick ? 3 : 5;
  const steps = [];
  for (const rate of ctx.rates) {
    log(`open model at ${rate.toLocaleString('en')}/s for ${seconds} s`);
    const yaml = profileYaml({ name: `bench-open-${rate}`, baseUrl: target.url.replace(/\/$/, ''), stages: [{ duration: `${seconds}s`, rate }] });
    const run = await delta(target, () => runPerfctl({ label: `open-${rate}`, yaml, baseUrl: target.url.replace(/\/$/, ''), ...ctx.tool, expectedSeconds: seconds + 10 }));
    const summary = perfctlSummary(run);
    const accuracy = scheduleAccuracy(run.result, seconds);
    const fellBehind = run.exitCode === 4;
    const withinPct =
      summary.ok &&
      !fellBehind &&
      accuracy.worstSecond.deviationPct !== null &&
      accuracy.worstSecond.deviationPct <= GOALS.openWithinPct &&
      Math.abs(1 - accuracy.achievedRatio) * 100 <= GOALS.openWithinPct;
    steps.push({
      rate,
      seconds,
      ...accuracy,
      serviceSaw: run.serviceSaw,
      exitCode: run.exitCode,
      verdict: summary.verdict ?? null,
      fellBehind,
      withinOnePct: withinPct,
      reason: fellBehind ? run.verdictLine : summary.ok ? null : summary.error,
      latencyMs: summary.latencyMs ?? null,
      measure: run.measure,
      cpuMsPer1k: cpuMsPer1k(run.measure, summary.requests),
    });
    if (fellBehind || !summary.ok) {
      log(`perfctl fell behind at ${rate.toLocaleString('en')}/s (exit ${run.exitCode}): not trying higher rates`);
      break;
    }
  }
  // the highest rate such that it and every lower rate stayed within 1%
  let highestWithin = null;
  for (const s of steps) {
    if (!s.withinOnePct) break;
    highestWithin = s.rate;
  }
  return { seconds, target: target.kind, steps, highestRateWithinOnePct: highestWithin, firstRateBehind: steps.find((s) => s.fellBehind)?.rate ?? null };
}

/** Rounds of the first-second figure at 20,000/s: the open step's run and two more. */
const FIRST_SECOND_ROUNDS = 3;

/**
 * The first second at 20,000/s in FIRST_SECOND_ROUNDS runs of 5 s, when the open-model steps
 * reached that rate (else null, as before: no row). Each run's figure is the worst start of one
 * second against the median of the later seconds' worst: one stall of the shared machine moves
 * it by 2-20×, so the goal is judged on the median of the rounds' ratios, every round shown.
 */
async function measureFirstSecond(ctx, target, openStep) {
  if (!openStep) return null;
  const { rate, seconds } = openStep;
  const baseUrl = target.url.replace(/\/$/, '');
  const rounds = [firstSecondRound(openStep)];
  while (rounds.length < FIRST_SECOND_ROUNDS) {
    const n = rounds.length + 1;
    log(`first second at ${rate.toLocaleString('en')}/s, round ${n} of ${FIRST_SECOND_ROUNDS}`);
    const yaml = profileYaml({ name: `bench-first-second-${n}`, baseUrl, stages: [{ duration: `${seconds}s`, rate }] });
    const run = await runPerfctl({ label: `first-second-${n}`, yaml, baseUrl, ...ctx.tool, expectedSeconds: seconds + 10 });
    rounds.push(firstSecondRound(scheduleAccuracy(run.result, seconds)));
  }
  const ratios = rounds.map((r) => r.ratio).filter((x) => x !== null);
  return { rate, seconds, rounds, ratio: ratios.length === rounds.length ? round(median(ratios), 2) : null };
}

function firstSecondRound({ firstSecondStartLagMs, steadyStartLagMs }) {
  const ratio = firstSecondStartLagMs != null && steadyStartLagMs ? round(firstSecondStartLagMs / Math.max(steadyStartLagMs, 0.1), 2) : null;
  return { firstSecondStartLagMs, steadyStartLagMs, ratio };
}

/** Rounds of the low-rate goal's rate (500/s): one run's CPU at a low rate swung ±30% on a shared host. */
const LOW_RATE_GOAL_ROUNDS = 3;

/**
 * Low rates, where most real tests run: CPU of a 10 s run at 100, 500 and 1,000 req/s for
 * perfctl (open model), autocannon -R and hey -q, against the same target, and perfctl's start
 * lag (the worst of each second; median over the run). CPU includes each tool's start-up.
 * At 500/s (the goal's rate) perfctl, autocannon and the precise floor (bench/lib/precise-floor-child.js:
 * one socket, each request at its due time, nothing measured: what the host charges for a precise
 * schedule before perfctl does anything) run in LOW_RATE_GOAL_ROUNDS interleaved rounds; the goal
 * is judged on the median of the rounds' ratios, every round shown.
 */
async function measureLowRate(ctx, target) {
  const seconds = ctx.quick ? 5 : 10;
  const url = target.url.replace(/\/$/, '');
  const cpu = (m) => m?.cpuS ?? null;
  const ratioOf = (a, b) => (a && b ? round(a / b, 2) : null);
  const rows = [];
  for (const rate of [100, 500, 1000]) {
    const roundCount = rate === 500 && !ctx.quick ? LOW_RATE_GOAL_ROUNDS : 1;
    const yaml = profileYaml({ name: `bench-low-${rate}`, baseUrl: url, stages: [{ duration: `${seconds}s`, rate }] });
    const rounds = [];
    let hey = null;
    for (let n = 1; n <= roundCount; n++) {
      log(`low rate: ${rate}/s for ${seconds} s (perfctl, autocannon -R${rate === 500 ? ', the precise floor' : ''}${n === 1 ? ', hey -q' : ''})${roundCount > 1 ? `, round ${n} of ${roundCount}` : ''}`);
      const perfctl = await runPerfctl({ label: `low-${rate}-${n}`, yaml, baseUrl: url, ...ctx.tool, expectedSeconds: seconds + 10 });
      const autocannon = await runAutocannon({ args: ['-R', String(rate), '-c', '10', '-d', String(seconds)], url: `${url}/`, ...ctx.tool, expectedSeconds: seconds });
      const floor = rate === 500 ? await runPreciseFloor(ctx, url, rate, seconds) : null;
      if (n === 1 && hasCommand('hey')) hey = await runHey({ seconds, connections: 10, perWorkerRate: rate / 10, url: `${url}/`, ...ctx.tool });
      const lags = (perfctl.result?.timeline ?? []).filter((p) => (p.planned ?? 0) > 0).map((p) => p.startLagMs ?? 0);
      // sleeps per request: a schedule kept to each request's time sleeps about twice per
      // request, autocannon's -R (a connection's share of a second sent back to back) far less
      const planned = rate * seconds;
      const perRequest = (switches) => (switches === null || switches === undefined ? null : round(switches / planned, 2));
      rounds.push({
        perfctlCpuS: cpu(perfctl.measure),
        autocannonCpuS: cpu(autocannon.measure),
        floorCpuS: floor?.cpuS ?? null,
        sleepsPerRequest: { perfctl: perRequest(perfctl.measure?.voluntarySwitches), autocannon: perRequest(autocannon.measure?.voluntarySwitches), floor: floor ? perRequest(floor.voluntarySwitches) : null },
        ratioVsAutocannon: ratioOf(cpu(perfctl.measure), cpu(autocannon.measure)),
        perfctlRequests: perfctl.result?.totals?.requests ?? null,
        lags,
      });
    }
    const med = (pick) => {
      const xs = rounds.map(pick).filter((x) => x !== null && x !== undefined);
      return xs.length === rounds.length ? median(xs) : null;
    };
    const lags = rounds.flatMap((r) => r.lags);
    rows.push({
      rate,
      seconds,
      perfctlCpuS: med((r) => r.perfctlCpuS),
      autocannonCpuS: med((r) => r.autocannonCpuS),
      heyCpuS: hey?.ok ? cpu(hey.measure) : null,
      floorCpuS: rate === 500 ? med((r) => r.floorCpuS) : null,
      ratioVsAutocannon: med((r) => r.ratioVsAutocannon),
      floorVsAutocannon: rate === 500 ? ratioOf(med((r) => r.floorCpuS), med((r) => r.autocannonCpuS)) : null,
      sleepsPerRequest: { perfctl: med((r) => r.sleepsPerRequest.perfctl), autocannon: med((r) => r.sleepsPerRequest.autocannon), floor: rate === 500 ? med((r) => r.sleepsPerRequest.floor) : null },
      perfctlRequests: rounds[0].perfctlRequests,
      medianStartLagMs: round(median(lags), 2),
      maxStartLagMs: round(Math.max(0, ...lags), 2),
      rounds: rounds.map(({ lags: _lags, ...r }) => r),
    });
  }
  return rows;
}

/** CPU-seconds and sleeps (voluntary context switches) of the precise floor at `rate` for `seconds` (null if it failed). */
async function runPreciseFloor(ctx, url, rate, seconds) {
  const run = await runMeasured([...ctx.tool.pinPrefix, process.execPath, path.join(REPO, 'bench', 'lib', 'precise-floor-child.js'), url, String(rate), String(seconds)], {
    timeoutMs: (seconds + 30) * 1000,
    cwd: REPO,
    method: ctx.tool.method,
    tmpDir: ctx.tool.tmpDir,
  });
  return run.code === 0 && run.userS !== null && run.sysS !== null ? { cpuS: run.userS + run.sysS, voluntarySwitches: run.voluntarySwitches ?? null } : null;
}

/**
 * Worker threads: the same open-model rate with --workers 1 and --workers 2. Here perfctl may
 * use both cores (the target is still pinned to core 0), since one core has nothing to scale
 * onto; on a 2-core machine the target and the tool then share core 0.
 */
async function measureWorkers(ctx, target, rate) {
  const seconds = ctx.quick ? 3 : 5;
  const rows = [];
  for (const workers of [1, 2]) {
    log(`worker threads: ${rate.toLocaleString('en')}/s for ${seconds} s with --workers ${workers} (perfctl on both cores)`);
    const yaml = profileYaml({ name: `bench-workers-${workers}`, baseUrl: target.url.replace(/\/$/, ''), stages: [{ duration: `${seconds}s`, rate }] });
    const run = await delta(target, () =>
      runPerfctl({ label: `workers-${workers}`, yaml, baseUrl: target.url.replace(/\/$/, ''), ...ctx.tool, pinPrefix: [], extraArgs: ['--workers', String(workers)], expectedSeconds: seconds + 10 }),
    );
    const accuracy = scheduleAccuracy(run.result, seconds);
    rows.push({ workers, rate, seconds, exitCode: run.exitCode, verdict: run.result?.verdict ?? null, p99Ms: run.result?.totals?.latencyMs?.p99 ?? null, ...accuracy, measure: run.measure });
  }
  return rows;
}

async function measureMemory(ctx, target, { rate, shortS, longS, label }) {
  const runs = {};
  for (const [key, seconds] of [['short', shortS], ['long', longS]]) {
    log(`memory: ${seconds} s at ${rate.toLocaleString('en')}/s`);
    const yaml = profileYaml({ name: `bench-${label}-${seconds}s`, baseUrl: target.url.replace(/\/$/, ''), stages: [{ duration: `${seconds}s`, rate }] });
    const run = await runPerfctl({ label: `${label}-${seconds}s`, yaml, baseUrl: target.url.replace(/\/$/, ''), ...ctx.tool, expectedSeconds: seconds + 10 });
    const s = perfctlSummary(run);
    runs[key] = { seconds, exitCode: run.exitCode, verdict: s.verdict ?? null, requests: s.requests ?? null, peakRssKb: run.measure.peakRssKb, measure: run.measure, cpuMsPer1k: cpuMsPer1k(run.measure, s.requests), timelinePoints: run.result?.timeline?.length ?? null };
  }
  const { short, long } = runs;
  const ratio = short.peakRssKb && long.peakRssKb ? round(long.peakRssKb / short.peakRssKb, 3) : null;
  // CPU of the extra requests only: the fixed cost (start-up, reports) cancels out
  const marginal =
    short.measure.cpuS != null && long.measure.cpuS != null && long.requests > short.requests
      ? round(((long.measure.cpuS - short.measure.cpuS) * 1e6) / (long.requests - short.requests), 2)
      : null;
  return { rate, short, long, ratio, marginalCpuMsPer1k: marginal };
}

/** What a near-empty run costs (start-up, probe, reports): 1 s at 10/s, the lower of two runs. */
async function measureFixedCost(ctx, target) {
  log('fixed cost: 1 s at 10/s, twice');
  const base = target.url.replace(/\/$/, '');
  const yaml = profileYaml({ name: 'bench-fixed-cost', baseUrl: base, stages: [{ duration: '1s', rate: 10 }] });
  const runs = [];
  for (let i = 1; i <= 2; i++) {
    const run = await runPerfctl({ label: `fixed-cost-${i}`, yaml, baseUrl: base, ...ctx.tool, expectedSeconds: 5 });
    runs.push({ exitCode: run.exitCode, requests: run.result?.totals?.requests ?? null, cpuS: run.measure.cpuS, peakRssKb: run.measure.peakRssKb, wallMs: run.measure.wallMs });
  }
  // the lower CPU of the two: the first run may also pay for a cold file cache
  const best = runs.reduce((a, b) => ((b.cpuS ?? Infinity) < (a.cpuS ?? Infinity) ? b : a));
  return { ...best, runs };
}

/** CPU per 1,000 requests once the fixed cost of a run (start-up, reports) is taken out. */
function netCpuMsPer1k(measure, requests, fixed) {
  if (measure?.cpuS == null || fixed?.cpuS == null || !(requests > 0)) return null;
  return round((Math.max(0, measure.cpuS - fixed.cpuS) * 1e6) / requests, 1);
}

async function measureP99(ctx, pin) {
  const delayMs = 10;
  const rate = 4000;
  const seconds = ctx.quick ? 4 : 8;
  const wrkConnections = Math.round((rate * delayMs) / 1000); // closed loop: 40 × (1 / 10 ms) ≈ 4,000/s
  log(`p99 overhead: ${rate.toLocaleString('en')}/s against a ${delayMs} ms service, ${seconds} s per tool`);
  const target = await startNodeTarget({ mode: 'delay', delayMs, pinPrefix: pin.prefix(0) });
  try {
    const own = async (fn) => {
      await target.ownTimes(); // reset the service's own timings
      const out = await delta(target, fn);
      out.serviceOwnMs = await target.ownTimes();
      return out;
    };
    // warm the delay target
    await runAutocannon({ args: ['-c', '40', '-d', '2'], url: target.url, ...ctx.tool, expectedSeconds: 2 });
    const base = target.url.replace(/\/$/, '');
    const yaml = profileYaml({ name: 'bench-p99', baseUrl: base, stages: [{ duration: `${seconds}s`, rate }] });
    const perfctlRun = await own(() => runPerfctl({ label: 'p99', yaml, baseUrl: base, ...ctx.tool, expectedSeconds: seconds + 10 }));
    const perfctl = { ...perfctlSummary(perfctlRun), measure: perfctlRun.measure, serviceSaw: perfctlRun.serviceSaw, serviceOwnMs: perfctlRun.serviceOwnMs };
    perfctl.cpuMsPer1k = cpuMsPer1k(perfctl.measure, perfctl.requests);
    if (perfctl.ok) {
      perfctl.p99OverheadMs = round(perfctl.latencyMs.p99 - delayMs, 3);
      perfctl.serviceP99OverheadMs = perfctl.serviceTimeMs ? round(perfctl.serviceTimeMs.p99 - delayMs, 3) : null;
      perfctl.p99OverOwnMs = perfctl.serviceOwnMs?.p99Ms != null ? round(perfctl.latencyMs.p99 - perfctl.serviceOwnMs.p99Ms, 3) : null;
    }
    const acArgs = ['-R', String(rate), '-c', '100', '-d', String(seconds)];
    const autocannon = await own(() => runAutocannon({ args: acArgs, url: target.url, ...ctx.tool, expectedSeconds: seconds }));
    const autocannonRaw = await own(() => runAutocannon({ args: [...acArgs, '--ignoreCoordinatedOmission'], url: target.url, ...ctx.tool, expectedSeconds: seconds }));
    for (const a of [autocannon, autocannonRaw]) if (a.ok) a.p99OverheadMs = round(a.latencyMs.p99 - delayMs, 3);
    let wrk = null;
    if (ctx.wrk) {
      wrk = await own(() => runWrk({ connections: wrkConnections, seconds, url: target.url, ...ctx.tool }));
      if (wrk.ok) wrk.p99OverheadMs = round(wrk.latencyMs.p99 - delayMs, 3);
    }
    return { delayMs, rate, seconds, perfctl, autocannon, autocannonRaw, wrk, wrkConnections };
  } finally {
    await target.stop();
  }
}

async function profilePerfctl(ctx, target) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perfctl-bench-prof-'));
  const base = target.url.replace(/\/$/, '');
  const out = { dir, runs: [] };
  const rate = 10_000;
  for (const [label, stages, extra] of [
    ['closed-50vus', [{ duration: '10s', vus: 50 }], '0s'],
    [`open-${rate}`, [{ duration: '5s', rate }], undefined],
  ]) {
    log(`cpu profile of perfctl: ${label}`);
    const profDir = path.join(dir, label);
    const yaml = profileYaml({ name: `bench-prof-${label}`, baseUrl: base, stages, thinkTime: extra });
    const run = await runPerfctl({ label: `prof-${label}`, yaml, baseUrl: base, ...ctx.tool, expectedSeconds: 20, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`] });
    const profiles = existsSync(profDir) ? readCpuProfiles(profDir) : [];
    if (profiles.length === 0) {
      out.runs.push({ label, error: `no .cpuprofile written (exit ${run.exitCode})` });
      continue;
    }
    const summary = summariseCpuProfile(profiles[0].profile, 15);
    out.runs.push({ label, file: profiles[0].file, requests: run.result?.totals?.requests ?? null, exitCode: run.exitCode, ...summary });
  }
  return out;
}

function soakFigures() {
  const res = spawnSync(process.execPath, ['--expose-gc', path.join(REPO, 'bench', 'soak-memory.js'), '--json'], { encoding: 'utf8', timeout: 60_000 });
  if (res.status !== 0) return { error: `soak-memory.js failed: ${(res.stderr || '').trim().slice(-300)}` };
  return JSON.parse(res.stdout);
}

function allocationFigures() {
  const res = spawnSync(process.execPath, [path.join(REPO, 'bench', 'alloc-per-request.js'), '--json'], { encoding: 'utf8', timeout: 120_000 });
  if (res.status !== 0) return { error: `alloc-per-request.js failed: ${(res.stderr || '').trim().slice(-300)}` };
  return JSON.parse(res.stdout);
}

/** The CPU figures of every run in one place, for results.json. */
function cpuSummary(r) {
  const f = r.fixedCost;
  const entry = (run, measure, requests, isPerfctl = true) => ({
    run,
    requests,
    cpuS: measure?.cpuS ?? null,
    msPer1k: cpuMsPer1k(measure, requests),
    netMsPer1k: isPerfctl ? netCpuMsPer1k(measure, requests, f) : cpuMsPer1k(measure, requests),
  });
  const { closed: c, open: o, memory: m, p99: p } = r;
  return {
    fixedCost: { cpuS: f.cpuS, peakRssKb: f.peakRssKb, note: 'perfctl run of 1 s at 10/s: start-up, probe, reports' },
    runs: [
      entry('perfctl closed 50 VUs', c.perfctl.measure, c.perfctl.requests),
      entry('autocannon closed -c 50', c.autocannon.measure, c.autocannon.requests, false),
      ...(c.wrk ? [entry('wrk closed -c50', c.wrk.measure, c.wrk.requests, false)] : []),
      ...o.steps.map((s) => entry(`perfctl open ${s.rate}/s ${o.seconds} s`, s.measure, s.achieved)),
      entry(`perfctl open ${m.rate}/s ${m.short.seconds} s`, m.short.measure, m.short.requests),
      entry(`perfctl open ${m.rate}/s ${m.long.seconds} s`, m.long.measure, m.long.requests),
      entry(`perfctl open ${p.rate}/s against ${p.delayMs} ms service`, p.perfctl.measure, p.perfctl.requests),
    ],
    openMarginalMsPer1k: m.marginalCpuMsPer1k,
  };
}

// ---------------------------------------------------------------------------------------------

function goalRows(r) {
  const rows = [];
  const c = r.closed;
  rows.push({
    id: 'closed-vs-autocannon',
    what: 'closed-model throughput, perfctl / autocannon',
    actual: c.ratioVsAutocannon,
    display: c.ratioVsAutocannon === null ? 'n/a' : `${c.ratioVsAutocannon.toFixed(2)}×`,
    goal: `≥ ${GOALS.closedVsAutocannon}×`,
    pass: c.ratioVsAutocannon === null ? false : c.ratioVsAutocannon >= GOALS.closedVsAutocannon,
  });
  if (c.before) {
    rows.push({
      id: 'closed-vs-before',
      what: 'closed-model throughput, this build / --before build',
      actual: c.before.ratio,
      display: c.before.ratio === null ? 'n/a' : `${c.before.ratio.toFixed(3)}× (CPU/1k ${c.before.cpuMsPer1k} vs ${c.before.beforeCpuMsPer1k} ms)`,
      goal: '≥ 0.95×',
      pass: c.before.ratio === null ? false : c.before.ratio >= 0.95,
    });
  }
  if (c.wrk) {
    const ref = c.target === 'nginx';
    rows.push({
      id: 'closed-vs-wrk',
      what: 'closed-model throughput, perfctl / wrk',
      actual: c.ratioVsWrk,
      display: c.ratioVsWrk === null ? 'n/a' : `${c.ratioVsWrk.toFixed(2)}×`,
      goal: ref ? `≈ ${GOALS.closedVsWrkReference}× (reference)` : 'reference (nginx only)',
      pass: ref && c.ratioVsWrk !== null ? c.ratioVsWrk >= GOALS.closedVsWrkReference : null,
    });
  }
  const e = r.exports;
  if (e) {
    rows.push({
      id: 'exports-overhead',
      what: 'closed-model throughput, all four --export on / none',
      actual: e.ratio,
      display: e.ratio === null ? 'n/a' : `${e.ratio.toFixed(3)}× (${e.perRound.map((x) => `${x.allRps}/${x.noneRps}`).join(', ')} req/s)`,
      goal: `≥ ${(1 - GOALS.exportsWithinPct / 100).toFixed(2)}×`,
      pass: e.ratio === null ? false : e.ratio >= 1 - GOALS.exportsWithinPct / 100,
    });
  }
  const low = r.lowRate?.find((x) => x.rate === 500);
  if (low) {
    rows.push({
      id: 'low-rate-cpu',
      what: `CPU of ${low.seconds} s at 500/s, perfctl / autocannon -R 500${low.rounds.length > 1 ? `, median of ${low.rounds.length} interleaved rounds` : ''}`,
      actual: low.ratioVsAutocannon,
      display:
        low.ratioVsAutocannon === null
          ? 'n/a'
          : `${low.ratioVsAutocannon.toFixed(2)}× (rounds: ${low.rounds.map((x) => (x.ratioVsAutocannon === null ? 'n/a' : `${x.ratioVsAutocannon.toFixed(2)}× ${fmt(x.perfctlCpuS, 2)} / ${fmt(x.autocannonCpuS, 2)} s`)).join(', ')}; the precise floor ${low.floorVsAutocannon === null ? 'n/a' : `${low.floorVsAutocannon.toFixed(2)}×`})`,
      goal: `≤ ${GOALS.lowRateVsAutocannon}×`,
      pass: low.ratioVsAutocannon === null ? false : low.ratioVsAutocannon <= GOALS.lowRateVsAutocannon,
    });
  }
  const first = r.firstSecond;
  if (first) {
    const each = first.rounds.map((x) => (x.ratio === null ? 'n/a' : `${x.ratio.toFixed(2)}× (${fmt(x.firstSecondStartLagMs, 1)} / ${fmt(x.steadyStartLagMs, 1)} ms)`));
    rows.push({
      id: 'first-second-lag',
      what: `start lag at 20,000/s, first second / median of the later seconds (worst of each), median of ${first.rounds.length} runs`,
      actual: first.ratio,
      display: first.ratio === null ? 'n/a' : `${first.ratio.toFixed(2)}× (runs: ${each.join(', ')})`,
      goal: `≤ ${GOALS.firstSecondVsSteady}×`,
      pass: first.ratio === null ? false : first.ratio <= GOALS.firstSecondVsSteady,
    });
  }
  const o = r.open;
  rows.push({
    id: 'open-schedule',
    what: `open model: highest rate within ${GOALS.openWithinPct}% of plan`,
    actual: o.highestRateWithinOnePct,
    display: o.highestRateWithinOnePct === null ? `none (from ${o.steps[0]?.rate ?? '?'}/s)` : `${o.highestRateWithinOnePct.toLocaleString('en')}/s`,
    goal: `≥ ${GOALS.openRateGoal.toLocaleString('en')}/s`,
    pass: (o.highestRateWithinOnePct ?? 0) >= GOALS.openRateGoal,
  });
  const p = r.p99.perfctl;
  rows.push({
    id: 'p99-overhead',
    what: `p99 overhead at ${r.p99.rate.toLocaleString('en')}/s, ${r.p99.delayMs} ms service (p99 − ${r.p99.delayMs} ms)`,
    actual: p.p99OverheadMs ?? null,
    display: p.p99OverheadMs == null ? 'n/a' : `${p.p99OverheadMs.toFixed(2)} ms`,
    goal: `≤ ${GOALS.p99OverheadMs} ms`,
    pass: p.p99OverheadMs == null ? false : p.p99OverheadMs <= GOALS.p99OverheadMs,
  });
  rows.push({
    id: 'p99-over-service-own',
    what: `p99 over the service's own p99 (measured inside the ${r.p99.delayMs} ms service)`,
    actual: p.p99OverOwnMs ?? null,
    display: p.p99OverOwnMs == null ? 'n/a' : `${p.p99OverOwnMs.toFixed(2)} ms`,
    goal: `≤ ${GOALS.p99OverheadMs} ms`,
    pass: p.p99OverOwnMs == null ? false : p.p99OverOwnMs <= GOALS.p99OverheadMs,
  });
  const m = r.memory;
  rows.push({
    id: 'rss-ratio',
    what: `peak RSS ${m.long.seconds} s run / ${m.short.seconds} s run at ${m.rate.toLocaleString('en')}/s`,
    actual: m.ratio,
    display: m.ratio === null ? 'n/a' : `${m.ratio.toFixed(2)}× (${Math.round(m.long.peakRssKb / 1024)} / ${Math.round(m.short.peakRssKb / 1024)} MiB)`,
    goal: `≤ ${GOALS.rssRatio}×`,
    pass: m.ratio === null ? false : m.ratio <= GOALS.rssRatio,
  });
  return rows;
}

function allMeasures(r) {
  const c = r.closed;
  const p = r.p99;
  return [
    c.perfctl.measure, c.autocannon.measure, c.wrk?.measure,
    ...r.open.steps.map((s) => s.measure),
    r.memory.short.measure, r.memory.long.measure,
    p.perfctl.measure, p.autocannon.measure, p.autocannonRaw.measure, p.wrk?.measure,
  ].filter(Boolean);
}

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i] ?? '').length)));
  const line = (cells) => cells.map((c, i) => String(c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const fmt = (x, d = 0) => (x === null || x === undefined ? 'n/a' : Number(x).toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d }));
const mib = (kb) => (kb == null ? 'n/a' : `${(kb / 1024).toFixed(1)} MiB`);

function renderWorkers(rows) {
  const lines = ['', `2b. Worker threads at ${rows[0].rate.toLocaleString('en')}/s, ${rows[0].seconds} s (perfctl unpinned; the target keeps core 0)`];
  lines.push('workers  achieved/planned  worst second      max startLag  p99 ms   exit  verdict');
  for (const w of rows) {
    const worst = w.worstSecond.deviationPct === null ? 'n/a' : `${w.worstSecond.deviationPct}% (t=${w.worstSecond.t})`;
    lines.push(`${String(w.workers).padEnd(7)}  ${String(w.achievedRatio).padEnd(16)}  ${worst.padEnd(16)}  ${String(w.maxStartLagMs).padEnd(12)}  ${String(w.p99Ms).padEnd(7)}  ${String(w.exitCode).padEnd(4)}  ${w.verdict}`);
  }
  return lines;
}

function render(r) {
  const out = [];
  out.push(`perfctl bench — ${r.startedAt} — ${r.machine.cpus} CPUs (${r.machine.cpuModel}), Node ${r.versions.node}`);
  out.push(`target: ${r.target.description}; ${r.pinning.note}; RSS/CPU via ${r.measureMethod === 'time-v' ? '/usr/bin/time -v' : '/proc polling'}`);
  const busy = allMeasures(r).map((x) => x.machineBusyCores).filter((x) => x != null);
  if (busy.length > 0) {
    out.push(`machine: ${r.machineLoadBeforeCores ?? 'n/a'} cores busy before the bench; ${Math.min(...busy)}–${Math.max(...busy)} of ${r.machine.cpus} cores busy during the runs (tool + target + anything else)`);
  }
  for (const n of r.notes) out.push(`note: ${n}`);

  const c = r.closed;
  out.push('', `1. Closed model: ${c.connections} connections, ${c.seconds} s, ${c.target}${c.rounds > 1 ? `; median of ${c.rounds} interleaved rounds` : ''}`);
  const closedTools = [
    [c.perfctl, 'perfctl (vus: 50)', 1],
    [c.autocannon, `autocannon -c ${c.connections} -d ${c.seconds}`, c.ratioVsAutocannon],
    [c.wrk, `wrk -t1 -c${c.connections} -d${c.seconds}s`, c.ratioVsWrk],
    [c.hey, `hey -z ${c.seconds}s -c ${c.connections}`, c.ratioVsHey],
  ].filter(([t]) => Boolean(t));
  const closedRows = closedTools.map(([t, name, ratio]) => [
    name,
    t.ok ? fmt(t.rps) : `failed: ${t.error}`,
    t.ok && t.latencyMs ? fmt(t.latencyMs.p50, 2) : '',
    t.ok && t.latencyMs ? fmt(t.latencyMs.p99, 2) : '',
    t.serviceSaw ? fmt(t.serviceSaw.connections) : 'n/a',
    fmt(t.cpuMsPer1k, 1),
    mib(t.measure?.peakRssKb),
    ratio != null ? `${ratio.toFixed(2)}×` : 'n/a',
  ]);
  out.push(table(['tool', 'req/s', 'p50 ms', 'p99 ms', 'conns', 'CPU ms/1k req', 'peak RSS', 'perfctl/this'], closedRows));
  if (c.rounds > 1) {
    out.push(`   req/s per round (perfctl / autocannon${c.wrk ? ' / wrk' : ''}): ${c.perRound.map((x) => [x.perfctlRps, x.autocannonRps, ...(c.wrk ? [x.wrkRps] : [])].map((v) => fmt(v)).join(' / ')).join(';  ')}`);
    out.push(`   perfctl/autocannon per round: ${c.perRound.map((x) => fmt(x.ratioVsAutocannon, 2)).join(', ')} (the ratio above is their median)`);
  }

  const o = r.open;
  out.push('', `2. Open model schedule accuracy, ${o.seconds} s per rate, ${o.target} (achieved = perfctl's timeline; service saw / conns = requests and connections the target counted)`);
  out.push(
    table(
      ['rate/s', 'planned', 'achieved', 'ach/plan', 'service saw', 'conns', 'worst second', 'max startLag', '1st s / later', 'max loopLag', 'p99 ms', 'exit', 'verdict', `≤${GOALS.openWithinPct}%`],
      o.steps.map((s) => [
        fmt(s.rate),
        fmt(s.planned),
        fmt(s.achieved),
        s.achievedRatio === null ? 'n/a' : s.achievedRatio.toFixed(4),
        s.serviceSaw ? fmt(s.serviceSaw.requests) : 'n/a',
        s.serviceSaw ? fmt(s.serviceSaw.connections) : 'n/a',
        s.worstSecond.t === null ? 'n/a' : `${s.worstSecond.deviationPct}% (t=${s.worstSecond.t}: ${s.worstSecond.requests}/${s.worstSecond.planned})`,
        `${fmt(s.maxStartLagMs, 1)} ms`,
        `${fmt(s.firstSecondStartLagMs, 1)} / ${fmt(s.steadyStartLagMs, 1)} ms`,
        `${fmt(s.maxLoopLagMs, 1)} ms`,
        s.latencyMs ? fmt(s.latencyMs.p99, 2) : 'n/a',
        s.exitCode ?? 'timeout',
        s.verdict ?? 'n/a',
        s.withinOnePct ? 'yes' : 'no',
      ]),
    ),
  );
  const behind = o.steps.find((s) => s.fellBehind);
  if (behind?.reason) out.push(`   at ${fmt(behind.rate)}/s: ${behind.reason}`);
  if (r.workers?.length) out.push(...renderWorkers(r.workers));
  if (r.lowRate?.length) {
    out.push('', `   Low rates: CPU-seconds of a ${r.lowRate[0].seconds} s run (start-up included), and perfctl's start lag (worst of each second: median / max)`);
    out.push(
      table(
        ['rate/s', 'perfctl CPU', 'autocannon -R', 'hey -q', 'precise floor', 'perfctl/autocannon', 'start lag med / max'],
        r.lowRate.map((x) => [fmt(x.rate), fmt(x.perfctlCpuS, 2), fmt(x.autocannonCpuS, 2), fmt(x.heyCpuS, 2), fmt(x.floorCpuS, 2), x.ratioVsAutocannon === null ? 'n/a' : `${x.ratioVsAutocannon.toFixed(2)}×`, `${fmt(x.medianStartLagMs, 2)} / ${fmt(x.maxStartLagMs, 2)} ms`]),
      ),
    );
    const goalRow = r.lowRate.find((x) => x.rounds.length > 1);
    const sleeps = goalRow?.sleepsPerRequest;
    if (sleeps && sleeps.perfctl !== null) out.push(`   sleeps (voluntary context switches) per request at ${fmt(goalRow.rate)}/s: perfctl ${fmt(sleeps.perfctl, 2)}, the precise floor ${fmt(sleeps.floor, 2)}, autocannon -R ${fmt(sleeps.autocannon, 2)} (each connection sends its share of a second back to back, then waits for the next)`);
    if (goalRow) out.push(`   at ${fmt(goalRow.rate)}/s: medians of ${goalRow.rounds.length} interleaved rounds (perfctl/autocannon: the median of the rounds' ratios); the precise floor is one socket keeping the same schedule and measuring nothing (bench/lib/precise-floor-child.js), ${goalRow.floorVsAutocannon === null ? 'n/a' : `${goalRow.floorVsAutocannon.toFixed(2)}×`} autocannon`);
  }

  const p = r.p99;
  out.push('', `3. p99 overhead: ${fmt(p.rate)}/s against a ${p.delayMs} ms Node service, ${p.seconds} s per tool`);
  const p99Rows = [
    ['perfctl open model (latency from schedule)', p.perfctl, p.perfctl.ok ? p.perfctl.latencyMs : null],
    ['perfctl, serviceTimeMs (from the send)', p.perfctl, p.perfctl.serviceTimeMs],
    [`autocannon -R ${p.rate} -c 100 (default CO "correction")`, p.autocannon, p.autocannon.ok ? p.autocannon.latencyMs : null],
    [`autocannon -R ${p.rate} -c 100 --ignoreCoordinatedOmission`, p.autocannonRaw, p.autocannonRaw.ok ? p.autocannonRaw.latencyMs : null],
    p.wrk ? [`wrk -t1 -c${p.wrkConnections} (closed loop ≈ ${fmt(p.rate)}/s)`, p.wrk, p.wrk.ok ? p.wrk.latencyMs : null] : null,
  ].filter(Boolean);
  out.push(
    table(
      ['tool', 'req/s', 'p50 ms', 'p99 ms', `p99 − ${p.delayMs}`, 'service own p99', 'p99 − own p99', 'conns'],
      p99Rows.map(([name, t, lat]) => [
        name,
        t.ok === false ? `failed: ${t.error}` : fmt(t.rps ?? (t.requests / (t.durationMs / 1000)), 0),
        lat ? fmt(lat.p50, 2) : 'n/a',
        lat ? fmt(lat.p99, 2) : 'n/a',
        lat ? fmt(lat.p99 - p.delayMs, 2) : 'n/a',
        t.serviceOwnMs?.p99Ms != null ? fmt(t.serviceOwnMs.p99Ms, 2) : 'n/a',
        lat && t.serviceOwnMs?.p99Ms != null ? fmt(lat.p99 - t.serviceOwnMs.p99Ms, 2) : 'n/a',
        t.serviceSaw ? fmt(t.serviceSaw.connections) : 'n/a',
      ]),
    ),
  );
  if (p.autocannon.ok) {
    out.push(`   autocannon's default: ${fmt(p.autocannon.latencySamples)} latency samples for ${fmt(p.autocannon.requests)} responses (its expected interval is Math.ceil(1/rate-per-connection) = 1 "ms" beside ms latencies), 1 ms resolution`);
  }

  const m = r.memory;
  out.push('', `4. Memory: peak RSS at ${fmt(m.rate)}/s`);
  const memRows = [m.short, m.long, ...(r.soak ? [r.soak.short, r.soak.long] : [])].map((x, i) => [
    `${x.seconds} s at ${fmt(i < 2 ? m.rate : r.soak.rate)}/s`,
    fmt(x.requests),
    mib(x.peakRssKb),
    fmt(x.measure.cpuS, 2),
    fmt(x.cpuMsPer1k, 1),
    x.exitCode ?? 'timeout',
    x.verdict ?? 'n/a',
  ]);
  memRows.unshift(['1 s at 10/s (fixed cost)', fmt(r.fixedCost.requests), mib(r.fixedCost.peakRssKb), fmt(r.fixedCost.cpuS, 2), '', r.fixedCost.exitCode ?? 'timeout', '']);
  out.push(table(['run', 'requests', 'peak RSS', 'CPU s', 'CPU ms/1k req', 'exit', 'verdict'], memRows));
  out.push(`   ratio ${m.long.seconds} s / ${m.short.seconds} s: ${m.ratio ?? 'n/a'}${r.soak ? `; ${r.soak.long.seconds} s / ${r.soak.short.seconds} s at ${fmt(r.soak.rate)}/s: ${r.soak.ratio ?? 'n/a'}` : ''}`);

  const f = r.fixedCost;
  out.push(
    '',
    `5. CPU time per 1,000 requests: user+sys of the tool process; "net" takes out perfctl's fixed cost (start-up, probe, reports: ${fmt(f.cpuS, 2)} s CPU, ${mib(f.peakRssKb)} peak RSS for 1 s at 10/s)`,
  );
  const cpuRow = (name, measure, requests, perfctlRun = true) => [name, fmt(requests), fmt(measure?.cpuS, 2), fmt(cpuMsPer1k(measure, requests), 1), perfctlRun ? fmt(netCpuMsPer1k(measure, requests, f), 1) : fmt(cpuMsPer1k(measure, requests), 1)];
  out.push(
    table(
      ['run', 'requests', 'CPU s', 'ms / 1k req', 'net ms / 1k req'],
      [
        cpuRow(`perfctl closed, 50 VUs, ${c.seconds} s`, c.perfctl.measure, c.perfctl.requests),
        cpuRow(`autocannon closed, -c 50, ${c.seconds} s`, c.autocannon.measure, c.autocannon.requests, false),
        ...(c.wrk ? [cpuRow(`wrk closed, -c50, ${c.seconds} s`, c.wrk.measure, c.wrk.requests, false)] : []),
        ...(c.hey?.ok ? [cpuRow(`hey closed, -c 50, ${c.seconds} s`, c.hey.measure, c.hey.requests, false)] : []),
        ...o.steps.map((s) => cpuRow(`perfctl open ${fmt(s.rate)}/s, ${o.seconds} s`, s.measure, s.achieved)),
        cpuRow(`perfctl open ${fmt(m.rate)}/s, ${m.short.seconds} s`, m.short.measure, m.short.requests),
        cpuRow(`perfctl open ${fmt(m.rate)}/s, ${m.long.seconds} s`, m.long.measure, m.long.requests),
        [`perfctl open ${fmt(m.rate)}/s, marginal (${m.long.seconds} s run − ${m.short.seconds} s run)`, fmt(m.long.requests - m.short.requests), '', fmt(m.marginalCpuMsPer1k, 1), fmt(m.marginalCpuMsPer1k, 1)],
        cpuRow(`perfctl open ${fmt(p.rate)}/s, ${p.delayMs} ms service, ${p.seconds} s`, p.perfctl.measure, p.perfctl.requests),
      ],
    ),
  );

  if (r.soakMemory && !r.soakMemory.error) {
    const s = r.soakMemory;
    out.push(
      '',
      `24 h soak at ${fmt(s.scenario.ratePerSec)}/s (${s.scenario.cells} cells): ${s.histogramsPerRun.count} histograms × ${fmt(s.histogram.footprintBytes)} B = ${(s.histogramsPerRun.estimatedBytes / 1048576).toFixed(1)} MiB; ` +
        `${fmt(s.timeline.points)} timeline points × ${s.timeline.heapBytesPerPoint} B heap = ${(s.timeline.heapBytes / 1048576).toFixed(1)} MiB (${s.timeline.pointJsonBytes} B each in result.json); per request: 0 B; total ≈ ${(s.totalBytes / 1048576).toFixed(1)} MiB`,
    );
  }

  if (r.allocations && !r.allocations.error) {
    const a = r.allocations;
    out.push('', `Allocations on the JavaScript heap (node bench/alloc-per-request.js: ${fmt(a.requests)} requests, no GC during a round): parser ${a.parser.bytesPerRequest} B per response; whole closed-model loop ${fmt(a.client.bytesPerRequest)} B per request`);
  }

  if (r.cpuProfile) {
    out.push('', `CPU profiles (node --cpu-prof) in ${r.cpuProfile.dir}:`);
    for (const run of r.cpuProfile.runs) out.push(run.error ? `${run.label}: ${run.error}` : formatSummary(run, `${run.label} (${fmt(run.requests)} requests)`));
  }

  out.push('', 'Goals');
  out.push(table(['goal', 'measured', 'target', 'result'], r.goals.map((g) => [g.what, g.display, g.goal, g.pass === null ? 'info' : g.pass ? 'PASS' : 'MISS'])));
  return out.join('\n');
}

/** Newest modification time under dir (ms), to notice dist/ being rebuilt during the bench. */
function newestMtimeMs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(full) : statSync(full).mtimeMs);
  }
  return newest;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  if (!existsSync(path.join(REPO, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/ is not built: run `npm run bench` (which builds first) or `npm run build`');
  }
  const distBuiltMs = newestMtimeMs(path.join(REPO, 'dist'));
  const pin = pinning();
  const method = opts.measure === 'proc-poll' ? 'proc-poll' : measureMethod();
  const wrkInstalled = hasCommand('wrk');
  const wrk = wrkInstalled && opts.wrk;
  const notes = [];
  if (!pin.enabled) notes.push(pin.note);
  if (method !== 'time-v') {
    notes.push(`${opts.measure === 'proc-poll' ? '--measure=proc' : '/usr/bin/time -v not available'}: peak RSS from /proc/<pid>/status VmHWM and CPU from /proc/<pid>/stat, polled every 50 ms`);
  }
  if (!wrkInstalled) notes.push('wrk not installed: no wrk comparison (apt-get install -y wrk)');
  else if (!wrk) notes.push('--no-wrk: no wrk comparison');
  if (opts.quick) notes.push('--quick: shorter runs than the standard bench; do not quote these figures');
  const loadBefore = await idleMachineLoad(1000);
  if (loadBefore !== null && loadBefore > 0.25) {
    notes.push(`the machine was not quiet: other processes kept ${loadBefore} of ${cpuCount()} cores busy before the bench started (load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}); figures are lower and noisier than on a quiet machine`);
  }

  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'perfctl-bench-'));
  const ctx = { quick: opts.quick, rates: opts.rates, rounds: opts.rounds, before: opts.before, wrk, tool: { pinPrefix: pin.prefix(1), method, tmpDir } };
  const results = {
    schemaVersion: 1,
    startedAt: startedAt.toISOString(),
    machine: { cpus: cpuCount(), cpuModel: os.cpus()[0]?.model ?? 'unknown', os: `${os.type()} ${os.release()}`, totalMemMiB: Math.round(os.totalmem() / 1048576) },
    versions: await toolVersions(),
    pinning: { enabled: pin.enabled, note: pin.note },
    machineLoadBeforeCores: loadBefore,
    measureMethod: method,
    goals: [],
    notes,
  };

  let target = null;
  if (opts.target !== 'node') {
    target = await startNginx({ tmpDir, pinPrefix: pin.prefix(0) }).catch((error) => {
      notes.push(`nginx failed to start (${error.message}): using the Node target`);
      return null;
    });
  }
  if (!target) {
    if (opts.target === 'node') notes.push('--target=node: the target is a minimal Node http server');
    else if (!hasCommand('nginx')) notes.push('nginx not installed: the target is a minimal Node http server (apt-get install -y nginx-light for nginx)');
    target = await startNodeTarget({ mode: 'static', pinPrefix: pin.prefix(0) });
  }
  results.target = { kind: target.kind, description: target.description };
  log(`target: ${target.description} at ${target.url} (${pin.note})`);

  try {
    results.fixedCost = await measureFixedCost(ctx, target);
    results.closed = await measureClosed(ctx, target);
    results.exports = await measureExports(ctx, target, { runPerfctl, profileYaml, perfctlSummary, log, round });
    results.exports.tick = await measureExportTick({ repo: REPO, tmpDir });
    results.open = await measureOpen(ctx, target);
    results.firstSecond = await measureFirstSecond(ctx, target, results.open.steps.find((x) => x.rate === 20_000));
    results.lowRate = await measureLowRate(ctx, target);
    // scaling where one thread falls behind (or at 20,000/s if it never did)
    results.workers = await measureWorkers(ctx, target, results.open.firstRateBehind ?? 20000);
    const memRate = 2000;
    results.memory = await measureMemory(ctx, target, { rate: memRate, shortS: 3, longS: 15, label: 'memory' });
    if (opts.soak) results.soak = await measureMemory(ctx, target, { rate: 1000, shortS: 10, longS: 60, label: 'soak' });
    if (opts.cpuProf) results.cpuProfile = await profilePerfctl(ctx, target);
  } finally {
    await target.stop();
  }
  await sleep(200);
  results.p99 = await measureP99(ctx, pin);
  results.soakMemory = soakFigures();
  results.allocations = allocationFigures();
  if (newestMtimeMs(path.join(REPO, 'dist')) !== distBuiltMs) {
    notes.push('dist/ was rebuilt while the bench ran (someone ran npm run build): later runs may have measured different code');
  }
  notes.push(...noisyHostNotes(results));
  results.cpu = cpuSummary(results);
  results.goals = goalRows(results);
  results.durationS = Math.round((Date.now() - startedAt.getTime()) / 1000);
  rmSync(tmpDir, { recursive: true, force: true });

  const outFile = path.join(REPO, 'bench', 'results.json');
  writeFileSync(outFile, JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(render(results) + '\n');
  const missed = results.goals.filter((g) => g.pass === false).length;
  process.stdout.write(`\n${missed === 0 ? 'every goal met' : `${missed} goal(s) missed`}; ${results.durationS} s; written ${path.relative(process.cwd(), outFile) || outFile}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench: crashed: ${error.stack ?? error}\n`);
  process.exitCode = 1;
});
