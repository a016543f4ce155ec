// Setup and teardown: a profile's `setup:` steps run once before the load (their captures become
// {{ setup.NAME }} for every template of the load) and `teardown:` once after it. Each step is
// measured on its own, apart from the load; the first failed step ends the sequence.
import type { FlowSpec } from '../config/types.js';
import type { Outcome } from '../metrics/outcome.js';
import { monotonicClock } from './clock.js';
import { FlowRunner, prepareFlows, type IterationEnd } from './flow-runner.js';
import { HttpTransport } from './http-transport.js';
import { buildPlan } from './plan.js';
import { parseTarget } from './prepare-requests.js';
import { RawTransport } from './raw-transport.js';
import type { Transport, TransportKind } from './transport.js';

export interface OnceStep {
  name: string;
  status: number | null;
  latencyMs: number | null;
  /** the error kind of a failed step (`status`, `capture`, `timeout`, `ECONNREFUSED`, ...) */
  error?: string;
}

export interface OnceOutcome {
  steps: OnceStep[];
  /** the captured values, by name (for {{ setup.NAME }}) */
  values: Record<string, string>;
  /** the failed step, if one failed */
  failed?: OnceStep;
  durationMs: number;
}

export interface OnceOptions {
  baseUrl: string;
  timeoutMs: number;
  transport?: TransportKind;
  seed?: number;
  /** the setup's values, for teardown steps */
  setupValues?: Record<string, string>;
}

export async function runOnce(flow: FlowSpec, options: OnceOptions): Promise<OnceOutcome> {
  const clock = monotonicClock;
  const target = parseTarget(options.baseUrl);
  const [prepared] = prepareFlows([flow], [], target, options.setupValues);
  const transportOptions = { connections: 1, timeoutMs: options.timeoutMs };
  const transport: Transport =
    options.transport === 'undici' ? new HttpTransport(target.origin, transportOptions, clock) : new RawTransport(target.origin, transportOptions, clock);
  const outcomes: Outcome[] = [];
  const startMs = clock.nowMs();
  const runner = new FlowRunner({
    plan: buildPlan('closed', [{ name: flow.name, durationMs: 1, fromLevel: 1, toLevel: 1 }]),
    transport,
    recorder: { record: (outcome) => outcomes.push(outcome) },
    clock,
    startMs,
    target,
    measureServiceTime: false,
    data: [],
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  try {
    const end = await new Promise<IterationEnd>((resolve) => runner.run(prepared!, startMs, resolve, { user: 0, iteration: 0 }));
    const steps = outcomes
      .filter((outcome) => !outcome.flow)
      .map((outcome): OnceStep => ({
        name: outcome.group,
        status: outcome.status,
        latencyMs: outcome.latencyUs === null ? null : Math.round(outcome.latencyUs) / 1000,
        ...(outcome.errorKind !== null ? { error: outcome.errorKind } : {}),
      }));
    const values: Record<string, string> = {};
    prepared!.slotNames.forEach((name, slot) => {
      const value = end.values?.[slot];
      if (value !== undefined) values[name] = value;
    });
    const failed = steps.find((step) => step.error !== undefined);
    return { steps, values, ...(failed ? { failed } : {}), durationMs: Math.round((clock.nowMs() - startMs) * 1000) / 1000 };
  } finally {
    await transport.destroy().catch(() => undefined);
  }
}
