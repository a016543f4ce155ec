// `setup:` before the load and `teardown:` after it, each step once, measured apart from the
// load. A failed setup step means the load would test nothing real: no load is sent, exit 3
// naming the step. A failed teardown step is reported and recorded; the verdict stays the load's.
import { ExitCode, PerfctlError } from '../errors.js';
import { runOnce, type OnceOutcome, type OnceStep } from '../engine/run-once.js';
import { tlsSettings } from '../engine/run-load.js';
import type { TransportKind } from '../engine/transport.js';
import type { Profile, ScenarioSpec } from '../config/types.js';
import type { Io } from '../io.js';
import type { Result } from '../result/types.js';

interface OnceSettings {
  baseUrl: string;
  transport: TransportKind;
  seed: number;
  quiet: boolean;
  /** --insecure (or --demo --tls) */
  insecure?: boolean;
}

export async function runSetup(profile: Profile, settings: OnceSettings, io: Io): Promise<OnceOutcome | undefined> {
  if (!profile.setup) return undefined;
  const tls = tlsSettings(profile.http, settings.insecure === true);
  const outcome = await runOnce(profile.setup, { baseUrl: settings.baseUrl, timeoutMs: profile.timeoutMs, transport: settings.transport, seed: settings.seed, ...(tls ? { tls } : {}) });
  if (outcome.failed) {
    throw new PerfctlError(
      `setup step "${outcome.failed.name}" failed: ${describeFailure(outcome.failed)}; no load was sent`,
      ExitCode.cannotRun,
      'the load needs what setup provides: check the step against the service (its path, body and expected status)',
    );
  }
  if (!settings.quiet) io.out(`  setup: ${describeSteps(outcome.steps)}\n`);
  return outcome;
}

export async function runTeardown(profile: Profile, settings: OnceSettings, setup: OnceOutcome | undefined, io: Io): Promise<OnceOutcome | undefined> {
  if (!profile.teardown) return undefined;
  const tls = tlsSettings(profile.http, settings.insecure === true);
  const outcome = await runOnce(profile.teardown, {
    ...(tls ? { tls } : {}),
    baseUrl: settings.baseUrl,
    timeoutMs: profile.timeoutMs,
    transport: settings.transport,
    seed: settings.seed,
    ...(setup ? { setupValues: setup.values } : {}),
  });
  if (outcome.failed) io.err(`perfctl: teardown step "${outcome.failed.name}" failed: ${describeFailure(outcome.failed)}\n`);
  else if (!settings.quiet) io.out(`teardown: ${describeSteps(outcome.steps)}\n`);
  return outcome;
}

/**
 * --concurrent: each profile's setup (now its scenario's) once before the load, against its own
 * service; the captured values go to its scenario's templates. One outcome for the record, its
 * steps named `<scenario>/<step>` (a failed step is exit 3, as for one profile).
 */
export async function runScenarioSetups(scenarios: readonly ScenarioSpec[], settings: OnceSettings, io: Io): Promise<{ values: Map<string, Record<string, string>>; outcome?: OnceOutcome }> {
  const values = new Map<string, Record<string, string>>();
  const outcomes: Array<{ name: string; outcome: OnceOutcome }> = [];
  for (const scenario of scenarios) {
    const outcome = await runSetup(onceProfile(scenario), { ...settings, baseUrl: scenario.baseUrl ?? settings.baseUrl }, io);
    if (!outcome) continue;
    values.set(scenario.name, outcome.values);
    outcomes.push({ name: scenario.name, outcome });
  }
  return { values, ...(outcomes.length > 0 ? { outcome: namedOutcome(outcomes) } : {}) };
}

/** --concurrent: each scenario's teardown after the load, with its own setup's values. */
export async function runScenarioTeardowns(scenarios: readonly ScenarioSpec[], settings: OnceSettings, io: Io): Promise<OnceOutcome | undefined> {
  const outcomes: Array<{ name: string; outcome: OnceOutcome }> = [];
  for (const scenario of scenarios) {
    const setup = scenario.setupValues ? { steps: [], values: scenario.setupValues, durationMs: 0 } : undefined;
    const outcome = await runTeardown(onceProfile(scenario), { ...settings, baseUrl: scenario.baseUrl ?? settings.baseUrl }, setup, io);
    if (outcome) outcomes.push({ name: scenario.name, outcome });
  }
  return outcomes.length > 0 ? namedOutcome(outcomes) : undefined;
}

/** what runSetup and runTeardown read of a profile, from a scenario */
function onceProfile(scenario: ScenarioSpec): Profile {
  return {
    name: scenario.name, description: '', source: '', baseUrl: scenario.baseUrl ?? '', model: scenario.model, stages: [], requests: [], flows: [], data: [],
    timeoutMs: scenario.timeoutMs, thinkTime: scenario.thinkTime, maxInFlight: scenario.maxInFlight, targets: [], targetsSource: null, secrets: [],
    ...(scenario.setup ? { setup: scenario.setup } : {}),
    ...(scenario.teardown ? { teardown: scenario.teardown } : {}),
    ...(scenario.http ? { http: scenario.http } : {}),
  };
}

/** several scenarios' once-steps as one record, each step named after its scenario */
function namedOutcome(outcomes: ReadonlyArray<{ name: string; outcome: OnceOutcome }>): OnceOutcome {
  const steps = outcomes.flatMap(({ name, outcome }) => outcome.steps.map((step) => ({ ...step, name: `${name}/${step.name}` })));
  return { steps, values: {}, durationMs: outcomes.reduce((sum, { outcome }) => sum + outcome.durationMs, 0) };
}

/** result.json `setup` / `teardown`: each step's status and latency, never a captured value */
export function onceRecord(outcome: OnceOutcome | undefined): Result['setup'] {
  if (!outcome) return undefined;
  return { durationMs: outcome.durationMs, steps: outcome.steps.map((step) => ({ ...step })) };
}

function describeFailure(step: OnceStep): string {
  if (step.error === 'status') return `status ${step.status ?? '?'}`;
  if (step.error === 'capture') return `status ${step.status ?? '?'}, but its capture found nothing`;
  return step.error ?? 'failed';
}

function describeSteps(steps: readonly OnceStep[]): string {
  return steps.map((step) => `${step.name} ${step.status ?? '-'} in ${step.latencyMs === null ? '-' : Math.round(step.latencyMs * 10) / 10} ms`).join(', ');
}
