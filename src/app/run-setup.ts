// `setup:` before the load and `teardown:` after it, each step once, measured apart from the
// load. A failed setup step means the load would test nothing real: no load is sent, exit 3
// naming the step. A failed teardown step is reported and recorded; the verdict stays the load's.
import { ExitCode, PerfctlError } from '../errors.js';
import { runOnce, type OnceOutcome, type OnceStep } from '../engine/run-once.js';
import { tlsSettings } from '../engine/run-load.js';
import type { TransportKind } from '../engine/transport.js';
import type { Profile } from '../config/types.js';
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
