// `perfctl run`: the one place that wires config, engine, targets, compare and reports.
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatDuration } from '../config/duration.js';
import { profileToYaml } from '../config/profile-yaml.js';
import { parseTolerance } from '../compare/compare.js';
import { ExitCode, PerfctlError, usageError } from '../errors.js';
import { judgeGeneratorHealth, judgeOwnFailures } from '../engine/generator-health.js';
import { LATE_START_MS } from '../engine/open-executor.js';
import { buildPlan, describePlan, trimPlan, type Plan } from '../engine/plan.js';
import { assertWithinLimits } from '../engine/plan-limits.js';
import { probeTcp, probeTls } from '../engine/probe.js';
import { tlsSettings, type LoadRunOutcome } from '../engine/run-load.js';
import { observeLoad, startObservedLoad } from '../engine/load-observer.js';
import { startScenarioLoads } from '../engine/run-scenarios.js';
import { buildScenarioPlan, type ScenarioPlan } from '../engine/scenario-plan.js';
import type { ScenarioShape } from '../result/scenario-views.js';
import { renderHtml } from '../report/html/render-html.js';
import { plain, renderSummary, renderVerdictLine } from '../report/terminal.js';
import { writeReports } from '../report/write-reports.js';
import { prepareOutDir } from '../result/out-dir.js';
import { assembleResult, buildMeasured, phaseWindows } from '../result/build-result.js';
import { collectEnvironment } from '../result/environment.js';
import { redactText } from '../result/redact.js';
import { judgeRun } from '../judge/judge-run.js';
import { scaleTimeLimits } from '../judge/time-limits.js';
import { version } from '../version.js';
import { readSide } from './compare.js';
import { withCommandLineTargets } from './command-line-targets.js';
import { startDemoProcess, type DemoProcess } from './demo-process.js';
import { LiveProgress } from './live-progress.js';
import { createLiveOutputs, type LiveOutputs } from './live-outputs.js';
import { AbortOnFail } from '../observers/abort-on-fail.js';
import { ProfileWatch } from '../observers/profile-watch.js';
import { ProgressLine } from '../observers/progress-line.js';
import { OwnCpu } from '../observers/own-cpu.js';
import { describeCountdown, ENGINE_LEAD_MS, waitForStart, WORKERS_LEAD_MS, type StartAt } from './start-at.js';
import { encodeResultForLog } from '../result/result-log.js';
import { resolveRunInputs, type RunInputs } from './run-inputs.js';
import { evidenceLines } from './run-evidence.js';
import { describeAsRun } from './run-description.js';
import { onceRecord, runScenarioSetups, runScenarioTeardowns, runSetup, runTeardown } from './run-setup.js';
import { defaultOutDir, parseRunFlags, type RunFlags } from './run-options.js';
import type { Profile, ScenarioSpec } from '../config/types.js';
import type { Io } from '../io.js';
import type { ScheduleHealth } from '../engine/executor.js';
import type { GeneratorCpu, GeneratorHealth, MeasuredResult, Result } from '../result/types.js';

/** `prepared`: the inputs already resolved (--concurrent's profiles made one) */
export async function runCommand(profileRef: string, flags: RunFlags, io: Io, prepared?: RunInputs): Promise<number> {
  // everything that can be wrong with the input is found before anything is sent
  const settings = parseRunFlags(flags, io.env);
  const inputs = prepared ?? (await resolveRunInputs(profileRef, flags, settings, io));
  const given = withCommandLineTargets(inputs.profile, flags.target, settings.demo);
  // --baseline: a result, a directory of results or several joined with commas (each run one observation)
  const baseline = settings.baselineFile ? (await readSide(settings.baselineFile, io.cwd)).map((b) => b.result) : undefined;
  const tolerance = settings.tolerance ? parseTolerance(settings.tolerance) : undefined;
  const adjust = { totalDurationMs: settings.totalDurationMs, scale: settings.scale };
  const scenarioPlan = given.scenarios ? buildScenarioPlan(given.scenarios, adjust) : undefined;
  if (scenarioPlan && settings.requestLimit !== undefined) throw usageError(`-n stops a run after n requests, but profile "${given.name}" has scenarios, each with its own stages`, 'fit the run to a length with -d instead');
  const plan = scenarioPlan?.plan ?? buildPlan(given.model, given.stages, adjust);
  // -d stretches the time limits with the stages (the reports say so)
  const writtenMs = given.scenarios ? writtenScenariosMs(given.scenarios) : given.stages.reduce((sum, s) => sum + s.durationMs, 0);
  // an ad-hoc URL's -c/-R/-d are its shape, not an adjustment of one
  const description = inputs.adhocYaml !== undefined ? given.description : describeAsRun(given.description, plan, {
    ...(flags.duration !== undefined ? { duration: flags.duration } : {}),
    ...(settings.vus !== undefined ? { vus: settings.vus } : {}),
    ...(settings.rate !== undefined ? { rate: settings.rate } : {}),
    scale: settings.scale,
  }, scenarioPlan?.parts.map((part) => ({ name: part.spec.name, startAfterMs: part.startAfterMs, plan: { ...part.plan, stages: part.plan.stages.slice(part.waitStages) } })));
  const profile = { ...given, targets: scaleTimeLimits(given.targets, writtenMs > 0 ? plan.totalMs / writtenMs : 1), ...(description !== undefined ? { description } : {}) };
  for (const each of scenarioPlan ? scenarioPlan.parts.map((part) => part.plan) : [plan]) {
    assertWithinLimits(each, settings.scale !== 1 || settings.totalDurationMs !== undefined ? 'with -d/--scale, ' : '');
  }
  if (settings.printProfile) {
    io.out(profileToYaml(profile, plan.stages, scenarioPlan ? scenarioPlan.parts.map((part) => ({ spec: part.spec, startAfterMs: part.startAfterMs, stages: part.plan.stages.slice(part.waitStages) })) : undefined));
    return ExitCode.ok;
  }

  // the output folder is created, tested for writing and locked before anything is sent
  const outDir = resolve(io.cwd, settings.outDir ?? defaultOutDir(profile.name, new Date()));
  const outLock = await prepareOutDir(outDir);
  let demo: DemoProcess | undefined;
  let live: LiveOutputs | undefined;
  try {
    demo = settings.demo ? await startDemoProcess(undefined, { tls: settings.demoTls }) : undefined;
    const baseUrl = demo?.url ?? settings.baseUrl ?? profile.baseUrl;
    // --concurrent: each profile's own service is probed too
    for (const url of new Set([baseUrl, ...(profile.scenarios ?? []).flatMap((s) => (s.baseUrl !== undefined ? [s.baseUrl] : []))])) {
      const unreachable = await probeTcp(url);
      if (unreachable) {
        throw new PerfctlError(
          `cannot connect to ${redactText(url, profile.secrets)}: ${unreachable}; nothing was sent`,
          ExitCode.cannotRun,
          'start the service, point --base-url at it, or try --demo for the bundled demo service',
        );
      }
    }
    const refusedTls = await probeTls(baseUrl, tlsSettings(profile.http, settings.insecure));
    if (refusedTls) {
      throw new PerfctlError(
        `TLS with ${redactText(baseUrl, profile.secrets)} failed: ${refusedTls}; nothing was sent`,
        ExitCode.cannotRun,
        'trust its certificate authority with http.tls.ca (a PEM file), or accept any certificate with http.tls.insecure: true or --insecure',
      );
    }
    if (!settings.quiet) io.out(`${banner(profile, plan, baseUrl, settings.shard, demo, scenarioPlan)}${runNotes(settings)}`);
    const onceSettings = { baseUrl, transport: settings.transport, seed: inputs.seed, quiet: settings.quiet, insecure: settings.insecure };
    const profileSetup = await runSetup(profile, onceSettings, io);
    // --concurrent: each profile's own setup, its values for its own scenario
    const scenarioSetup = scenarioPlan ? await runScenarioSetups(scenarioPlan.parts.map((part) => part.spec), onceSettings, io) : undefined;
    for (const part of scenarioPlan?.parts ?? []) {
      const values = scenarioSetup?.values.get(part.spec.name);
      if (values) part.spec = { ...part.spec, setupValues: { ...profileSetup?.values, ...values } };
    }
    const setup = profileSetup ?? scenarioSetup?.outcome;
    if (settings.startAt) {
      if (!settings.quiet) io.out(`  ${describeCountdown(settings.startAt.epochMs, Date.now())}\n`);
      if (!(await waitForStart(settings.startAt.epochMs, io, settings.progress && !settings.quiet, settings.workers > 1 ? WORKERS_LEAD_MS : ENGINE_LEAD_MS))) {
        io.err('interrupted before --start-at: nothing was sent\n');
        return ExitCode.interrupted;
      }
    }

    const analysis = new ProfileWatch(profile, plan, demo?.pid !== undefined ? { demoPid: demo.pid } : {});
    const environment = collectEnvironment(io.cwd);
    const measure = (outcome: LoadRunOutcome, ran: Plan = plan, generator: { generator?: GeneratorHealth } = {}): MeasuredResult =>
      buildMeasured({
        // the resolved profile records the address tested (the demo's, not a placeholder)
        profile: { ...profile, baseUrl },
        plan: ran,
        outcome,
        run: inputs.record,
        baseUrl,
        toolVersion: version,
        environment,
        ...(settings.shard.given ? { shard: { index: settings.shard.index + 1, count: settings.shard.count } } : {}),
        start: runStart(settings.startAt, outcome),
        ...(scenarioPlan ? { scenarios: scenarioShapes(scenarioPlan) } : {}),
        ...generator,
      });
    // checkpoints go where the final result.json will
    live = createLiveOutputs({ profile, plan, settings, io, outDir, measure, service: () => analysis.serviceReading(), serviceSamples: () => analysis.serviceSamples() });
    await live.start();
    const ownCpu = new OwnCpu();
    const outcome = await runWithLiveFeedback(profile, plan, baseUrl, settings, io, analysis, live, inputs.seed, profileSetup?.values, scenarioPlan, ownCpu);
    const teardown = (await runTeardown(profile, onceSettings, profileSetup, io)) ?? (scenarioPlan ? await runScenarioTeardowns(scenarioPlan.parts.map((part) => part.spec), onceSettings, io) : undefined);
    // -n ended the run early by design: the plan is what ran
    const ran = settings.requestLimit !== undefined && outcome.status === 'completed' ? trimPlan(plan, outcome.durationMs) : plan;
    const measured = {
      ...measure(outcome, ran, generatorOf(analysis.healthOf(outcome.health), outcome.maxLoopLagMs, ownCpu.summary())),
      ...(setup ? { setup: onceRecord(setup) } : {}),
      ...(teardown ? { teardown: onceRecord(teardown) } : {}),
    };
    const judgement = judgeRun({ result: measured, cells: outcome.cells }, profile.targets, {
      ...(baseline && settings.baselineFile ? { baseline: { results: baseline, file: settings.baselineFile, ...(tolerance ? { tolerance } : {}) } } : {}),
      live: analysis.liveFindings(outcome),
      ...analysis.monitorContext(),
    });
    const result = assembleResult(measured, judgement);

    // the numbers are on the screen before the files are written, so a failed write never hides them
    if (settings.quiet) io.out(`${renderVerdictLine(result, { color: io.color })}\n`);
    else io.out(`${renderSummary(result, { color: io.color, ...(io.isTTY && io.columns?.() !== undefined ? { width: io.columns()! } : {}) })}\n`);
    const written = await writeReports([result], outDir, settings.formats, { html: renderHtml });
    if (settings.logResult) io.out(encodeResultForLog(result));
    if (!settings.quiet) io.out(`Reports: ${written.map((p) => relativeTo(io.cwd, p)).join(', ')}\n`);
    return exitCodeOf(result);
  } finally {
    await demo?.stop();
    await live?.close();
    await outLock.release();
  }
}

async function runWithLiveFeedback(
  profile: Profile,
  plan: Plan,
  baseUrl: string,
  settings: ReturnType<typeof parseRunFlags>,
  io: Io,
  analysis: ProfileWatch,
  live: LiveOutputs,
  seed: number,
  setupValues: Record<string, string> | undefined,
  scenarioPlan: ScenarioPlan | undefined,
  ownCpu: OwnCpu,
): Promise<LoadRunOutcome & { abortedBy: string | null }> {
  const progress = new LiveProgress(io, settings.progress && !settings.quiet);
  const abortOnFail = new AbortOnFail(profile.targets, phaseWindows(plan));
  // the live checks: each an observer of the load, each reusing the judge's pure functions
  const observers = [new ProgressLine(plan, (snapshot) => progress.update(snapshot)), analysis, abortOnFail, ownCpu, ...live.observers];
  await analysis.start((message) => io.err(`perfctl: ${message}\n`));
  const shared = {
    slice: settings.shard,
    baseUrl,
    transport: settings.transport,
    ...(profile.httpVersion ? { httpVersion: profile.httpVersion } : {}),
    ...(settings.requestLimit !== undefined ? { requestLimit: settings.requestLimit } : {}),
    seed,
    ...(setupValues ? { setupValues } : {}),
    ...(profile.http !== undefined ? { http: profile.http } : {}),
    ...(settings.insecure ? { insecure: true } : {}),
    // --start-at: t = 0 on this process's monotonic clock at that wall-clock instant
    // (never in the past: a late start is recorded as late, not caught up in one burst)
    ...(settings.startAt ? { startAtMs: Math.max(performance.now() + 50, performance.now() + (settings.startAt.epochMs - Date.now())) } : {}),
  };
  const liveCells = abortOnFail.needsCells || analysis.needsCells || live.needsCells;
  // scenarios: one load run each on a shared t = 0; one scenario: the one load run, as always
  const run = scenarioPlan
    ? observeLoad(observers, (onSecond) => startScenarioLoads(scenarioPlan, { ...shared, onSecond }, settings.workers, liveCells))
    : startObservedLoad({
        ...shared,
        plan,
        requests: profile.requests,
        flows: profile.flows,
        data: profile.data,
        timeoutMs: profile.timeoutMs,
        maxInFlight: profile.maxInFlight,
        thinkTime: profile.thinkTime,
      }, observers, settings.workers, liveCells);
  const removeInterruptHandler = io.onInterrupt(() => {
    live.interrupt();
    run.stop('interrupted');
  });
  try {
    const outcome = await analysis.finish(await run.finished);
    return { ...outcome, abortedBy: abortOnFail.abortedBy };
  } finally {
    removeInterruptHandler();
    progress.end();
  }
}

/** The generator's health, recorded in the result (merge judges it again from there). */
function generatorOf(health: ScheduleHealth | null, maxLoopLagMs: number, cpu?: GeneratorCpu): { generator?: GeneratorHealth } {
  if (!health) return {};
  const problem = judgeGeneratorHealth(health, maxLoopLagMs, LATE_START_MS);
  return { generator: { ...health, maxLoopLagMs, ...(problem ? { problem } : {}), ...(cpu ? { cpu } : {}) } };
}

/** Planned and actual start: what merge aligns the shards on. */
function runStart(startAt: StartAt | undefined, outcome: LoadRunOutcome): NonNullable<Result['start']> {
  return {
    planned: new Date(startAt?.epochMs ?? outcome.startedAt.getTime()).toISOString(),
    actual: outcome.startedAt.toISOString(),
    ...(outcome.firstSendAt ? { firstRequest: outcome.firstSendAt.toISOString() } : {}),
    ...(startAt ? { requested: startAt.requested } : {}),
  };
}

export function exitCodeOf(result: Result): number {
  if (result.status === 'interrupted') return ExitCode.interrupted;
  if (result.status === 'failed') return ExitCode.cannotRun;
  switch (result.verdict) {
    case 'pass':
    case 'warn':
    case 'none':
      return ExitCode.ok;
    case 'fail':
      return ExitCode.failed;
    case 'inconclusive':
      return ExitCode.inconclusive;
  }
}

function banner(profile: Profile, plan: Plan, baseUrl: string, shard: { index: number; count: number }, demo: DemoProcess | undefined, scenarioPlan?: ScenarioPlan): string {
  const source = profile.source === 'builtin' ? 'built-in' : profile.source;
  const slice = shard.count > 1 ? ` · shard ${shard.index + 1}/${shard.count}` : '';
  const target = `${redactText(baseUrl, profile.secrets)}${demo ? ' (demo service)' : ''}`;
  const lines = [
    `perfctl ${version} · ${profile.name} (${source}) · ${plan.model} model · ${formatDuration(plan.totalMs)} · ${target}${slice}`,
    ...(scenarioPlan ? describeScenarios(scenarioPlan, baseUrl, profile.secrets) : describePlan(plan, formatDuration)).map((line) => `  ${line}`),
    ...evidenceLines(profile, shard.count, plan, scenarioPlan).map((line) => `  ${line}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** each scenario's model, start and stages, for the banner */
function describeScenarios(scenarioPlan: ScenarioPlan, baseUrl: string, secrets: readonly string[]): string[] {
  return scenarioPlan.parts.flatMap((part) => [
    // --concurrent: a scenario against a service of its own says which
    `${part.spec.name} · ${part.spec.model} model${part.startAfterMs > 0 ? ` · starts after ${formatDuration(part.startAfterMs)}` : ''}${part.spec.baseUrl !== undefined && part.spec.baseUrl !== baseUrl ? ` · ${redactText(part.spec.baseUrl, secrets)}` : ''}`,
    ...describePlan({ ...part.plan, stages: part.plan.stages.slice(part.waitStages) }, formatDuration).map((line) => `  ${line}`),
  ]);
}

/** the scenarios as planned, for their blocks of the result */
function scenarioShapes(scenarioPlan: ScenarioPlan): ScenarioShape[] {
  return scenarioPlan.parts.map((part) => ({ name: part.spec.name, model: part.spec.model, startAfterMs: part.startAfterMs, stages: part.plan.stages.slice(part.waitStages) }));
}

/** how long the scenarios last as written: the latest end */
function writtenScenariosMs(scenarios: readonly ScenarioSpec[]): number {
  return Math.max(0, ...scenarios.map((s) => s.startAfterMs + s.stages.reduce((sum, stage) => sum + stage.durationMs, 0)));
}

/** -n, --label and --meta under the banner, so a terminal log says what was run */
function runNotes(settings: ReturnType<typeof parseRunFlags>): string {
  const notes = [
    ...(settings.requestLimit !== undefined ? [`stops once ${settings.requestLimit} requests were sent`] : []),
    ...(settings.label !== undefined ? [`label: ${plain(settings.label)}`] : []),
    // control characters in a label or meta value would drive the terminal, not be read on it
    ...Object.entries(settings.meta).map(([key, value]) => `${plain(key)}: ${plain(value)}`),
  ];
  return notes.map((note) => `  ${note}\n`).join('');
}

function relativeTo(cwd: string, path: string): string {
  return path.startsWith(`${cwd}/`) ? path.slice(cwd.length + 1) : path;
}
