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
import { StreamRunner } from './stream-runner.js';
import type { TlsSettings, Transport, TransportKind } from './transport.js';

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
  /** `http.tls` and --insecure, for the requests and the ws:/sse: steps */
  tls?: TlsSettings;
}

/**
 * A ws:/sse: step of setup or teardown ends on its own (its `hold`, its stream's end or timeout);
 * the stream runner still wants a plan end, past which nothing may hold: this one.
 */
const ONCE_STREAM_LIMIT_MS = 3_600_000;

export async function runOnce(flow: FlowSpec, options: OnceOptions): Promise<OnceOutcome> {
  const clock = monotonicClock;
  const target = parseTarget(options.baseUrl);
  const [prepared] = prepareFlows([flow], [], target, options.setupValues);
  const transportOptions = { connections: 1, timeoutMs: options.timeoutMs, ...(options.tls ? { tls: options.tls } : {}) };
  const transport: Transport =
    options.transport === 'undici' ? new HttpTransport(target.origin, transportOptions, clock) : new RawTransport(target.origin, transportOptions, clock);
  const outcomes: Outcome[] = [];
  const startMs = clock.nowMs();
  const recorder = { record: (outcome: Outcome) => void outcomes.push(outcome) };
  const streams = flow.steps.some((step) => step.kind === 'stream')
    ? new StreamRunner({
        plan: buildPlan('closed', [{ name: flow.name, durationMs: ONCE_STREAM_LIMIT_MS, fromLevel: 1, toLevel: 1 }]),
        recorder: { ...recorder, count: () => undefined, socketDelta: () => undefined },
        clock,
        startMs,
        target,
        timeoutMs: options.timeoutMs,
        measureServiceTime: false,
        ...(options.tls ? { tls: options.tls } : {}),
      })
    : undefined;
  const runner = new FlowRunner({
    plan: buildPlan('closed', [{ name: flow.name, durationMs: 1, fromLevel: 1, toLevel: 1 }]),
    transport,
    recorder,
    ...(streams ? { streams } : {}),
    clock,
    startMs,
    target,
    measureServiceTime: false,
    data: [],
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  try {
    const end = await new Promise<IterationEnd>((resolve) => runner.run(prepared!, startMs, resolve, { user: 0, iteration: 0 }));
    // the whole sequence is recorded as a flow; an SSE step's NAME.first is flagged alike, and kept
    const steps = collapseMessages(outcomes.filter((outcome) => !(outcome.flow === true && outcome.group === flow.name)));
    const values: Record<string, string> = {};
    prepared!.slotNames.forEach((name, slot) => {
      const value = end.values?.[slot];
      if (value !== undefined) values[name] = value;
    });
    const failed = steps.find((step) => step.error !== undefined);
    return { steps, values, ...(failed ? { failed } : {}), durationMs: Math.round((clock.nowMs() - startMs) * 1000) / 1000 };
  } finally {
    streams?.destroy();
    await transport.destroy().catch(() => undefined);
  }
}

/**
 * One line per step: a WebSocket step's messages (one outcome each, under the step's name) make
 * one, with the slowest round trip and the first error; its handshake is `NAME.connect`.
 */
function collapseMessages(outcomes: Outcome[]): OnceStep[] {
  const steps: OnceStep[] = [];
  for (const outcome of outcomes) {
    const latencyMs = outcome.latencyUs === null ? null : Math.round(outcome.latencyUs) / 1000;
    const last = steps.at(-1);
    if (last !== undefined && last.name === outcome.group) {
      if (latencyMs !== null && (last.latencyMs === null || latencyMs > last.latencyMs)) last.latencyMs = latencyMs;
      if (outcome.status !== null) last.status = outcome.status;
      if (last.error === undefined && outcome.errorKind !== null) last.error = outcome.errorKind;
      continue;
    }
    steps.push({ name: outcome.group, status: outcome.status, latencyMs, ...(outcome.errorKind !== null ? { error: outcome.errorKind } : {}) });
  }
  return steps;
}
