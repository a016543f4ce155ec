// Flow iterations: the steps of a user journey, one after the other, with captured values
// carried from a response to the steps after it and one data row per iteration.
//
// Timing. An iteration starts at its start time (the arrival's due time in the open model, the
// user's send in the closed one). The first step is measured from that time; each later step from
// its own scheduled start: the previous step's end plus the think steps in between. The whole
// flow, think time included, is measured from the iteration's start to its last step's end.
//
// Failure. A step that fails (an error, an unexpected status, a capture that found nothing) is
// counted against the step (`capture` for a capture) and ends the iteration, which is counted
// once against the flow with the same error kind: the next step is never sent with an empty value.
import type { DataSourceSpec, FlowSpec, FlowStep, RandomFunction, StreamSpec, Template, TemplatePart } from '../config/types.js';
import { encodeTemplateValue } from '../config/template.js';
import type { Recorder } from '../metrics/recorder.js';
import type { ErrorKind } from '../metrics/outcome.js';
import { applyCaptures, prepareCaptures, type PreparedCapture } from './capture.js';
import { CookieJar } from './cookie-jar.js';
import type { Clock } from './clock.js';
import type { Slice } from './executor.js';
import { outcomeOfSend } from './outcome-of-send.js';
import type { CollectedResponse, HttpMethod, PreparedRequest, SendResult, Transport } from './transport.js';
import { stageIndexAt, type Plan } from './plan.js';
import { createRng, drawPause, drawRandom, type Rng } from './random.js';
import { httpFields, joinPath, originOf, type Target } from './prepare-requests.js';
import type { StreamRunner } from './stream-runner.js';

/**
 * one piece of a compiled template: literal text, a captured value's slot, a data column, a
 * template function's fresh value, the clock, or who the iteration is
 */
type RuntimePart =
  | string
  | { slot: number }
  | { source: number; column: number }
  | { random: RandomFunction }
  | { who: 'iteration' | 'user' | 'timestamp' };

interface RuntimeTemplate {
  /** the whole text when nothing in it varies */
  constant: string | undefined;
  parts: RuntimePart[];
  encoding: Template['encoding'];
}

interface PreparedRequestStep {
  kind: 'request';
  name: string;
  method: HttpMethod;
  path: RuntimeTemplate;
  /** headers that never vary, shared by every request of the step */
  fixedHeaders: Record<string, string>;
  variableHeaders: Array<[string, RuntimeTemplate]>;
  body: RuntimeTemplate | undefined;
  expectStatus: ReadonlySet<number> | null;
  captures: PreparedCapture[];
  /** redirects, cookies, expectations, collect: the same for every request of the step */
  http: Pick<PreparedRequest, 'redirects' | 'cookies' | 'expect' | 'collect'>;
  /** a constant absolute URL's own origin */
  origin: string | undefined;
  /** the whole request, when nothing in it varies */
  fixed: PreparedRequest | undefined;
  /** `when:` the step runs only when this renders to something other than '', 'false' or '0' */
  when: RuntimeTemplate | undefined;
}

/** a `ws:`/`sse:` step: the stream runner renders its templates through `parts` */
interface PreparedStreamStep {
  kind: 'stream';
  name: string;
  spec: StreamSpec;
  /** each template part of the spec (by identity) as the iteration reads it */
  parts: Map<TemplatePart, RuntimePart>;
  when: RuntimeTemplate | undefined;
}

type PreparedStep = PreparedRequestStep | PreparedStreamStep | { kind: 'think'; minMs: number; maxMs: number; when: RuntimeTemplate | undefined };

export interface PreparedFlow {
  kind: 'flow';
  name: string;
  weight: number;
  steps: PreparedStep[];
  /** slots of captured values in an iteration */
  slotCount: number;
  /** the captured names, by slot */
  slotNames: string[];
  /** the data sources the flow reads (indexes into the runner's rows), one row each per iteration */
  sources: number[];
  /** the group a dropped arrival is counted against, besides the flow */
  firstStep: string;
  /** draws from the seeded stream (template functions, think ranges, random data rows) */
  random: boolean;
  /** a templated plain request run as a one-step flow: only its step is a result group */
  single: boolean;
}

/** Compiles the flows for one run: names to slots and column indexes, base path joined. */
export function prepareFlows(
  flows: readonly FlowSpec[],
  data: readonly DataSourceSpec[],
  target: Target,
  setupValues: Readonly<Record<string, string>> = {},
): PreparedFlow[] {
  const sourceIndex = new Map(data.map((source, index) => [source.name, index]));
  return flows.map((flow) => {
    const slots = new Map<string, number>();
    const slotOf = (name: string): number => {
      let slot = slots.get(name);
      if (slot === undefined) {
        slot = slots.size;
        slots.set(name, slot);
      }
      return slot;
    };
    const sources = new Set<number>();
    let random = false;
    const compile = (template: Template): RuntimeTemplate => {
      const parts = template.parts.map((part): RuntimePart => {
        if (part.kind === 'text') return part.text;
        if (part.kind === 'capture') return { slot: slotOf(part.name) };
        // setup ran before the load: its values are text from here on
        if (part.kind === 'setup') return encodeTemplateValue(setupValues[part.name] ?? '', template.encoding);
        if (part.kind === 'random') {
          random = true;
          return { random: part.fn };
        }
        if (part.kind === 'timestamp' || part.kind === 'iteration' || part.kind === 'user') return { who: part.kind };
        const source = sourceIndex.get(part.source) ?? -1;
        const column = data[source]?.columns.indexOf(part.column) ?? -1;
        if (source < 0 || column < 0) throw new Error(`flow ${flow.name}: unknown data column ${part.source}.${part.column}`);
        sources.add(source);
        return { source, column };
      });
      const constant = parts.every((part) => typeof part === 'string') ? parts.join('') : undefined;
      return { constant, parts: joinText(parts), encoding: template.encoding };
    };
    const steps = flow.steps.map((step: FlowStep): PreparedStep => {
      if (step.kind === 'think') {
        if (step.thinkTime.maxMs > step.thinkTime.minMs) random = true;
        return { kind: 'think', minMs: step.thinkTime.minMs, maxMs: step.thinkTime.maxMs, when: step.when ? compile(step.when) : undefined };
      }
      if (step.kind === 'stream') {
        const parts = new Map<TemplatePart, RuntimePart>();
        for (const part of streamParts(step.spec)) parts.set(part, compile({ source: '', parts: [part], encoding: 'none' }).parts[0] ?? '');
        return { kind: 'stream', name: step.name, spec: step.spec, parts, when: step.when ? compile(step.when) : undefined };
      }
      const path = compile(step.path);
      const constantOrigin = path.constant === undefined ? undefined : originOf(target, path.constant);
      if (path.constant !== undefined) path.constant = joinPath(target, path.constant);
      let fixedHeaders: Record<string, string> = {};
      const variableHeaders: Array<[string, RuntimeTemplate]> = [];
      for (const [name, value] of Object.entries(step.headers)) {
        const compiled = compile(value);
        if (compiled.constant !== undefined) fixedHeaders[name] = compiled.constant;
        else variableHeaders.push([name, compiled]);
      }
      const body = step.body === undefined ? undefined : compile(step.body);
      const captures = prepareCaptures(step.captures, slotOf);
      const expectStatus = step.expectStatus === null ? null : new Set(step.expectStatus);
      const method = step.method.toUpperCase() as HttpMethod;
      const { headers: withEncoding, ...http } = httpFields(target, step.http, step.expect, fixedHeaders, captures.length > 0);
      fixedHeaders = withEncoding;
      const fixed =
        path.constant !== undefined && variableHeaders.length === 0 && (body === undefined || body.constant !== undefined)
          ? { name: step.name, method, path: path.constant, headers: fixedHeaders, body: body?.constant, expectStatus, ...http, ...(constantOrigin !== undefined ? { origin: constantOrigin } : {}) }
          : undefined;
      const when = step.when ? compile(step.when) : undefined;
      return { kind: 'request', name: step.name, method, path, fixedHeaders, variableHeaders, body, expectStatus, captures, http, origin: constantOrigin, fixed, when };
    });
    const firstStep = steps.find((step): step is PreparedRequestStep => step.kind === 'request')?.name ?? flow.name;
    if ([...sources].some((source) => data[source]?.order === 'random')) random = true;
    return { kind: 'flow', name: flow.name, weight: flow.weight, steps, slotCount: slots.size, slotNames: [...slots.keys()], sources: [...sources], firstStep, random, single: flow.single === true };
  });
}

/** adjacent literal parts as one (a setup value next to text) */
function joinText(parts: RuntimePart[]): RuntimePart[] {
  const out: RuntimePart[] = [];
  for (const part of parts) {
    const last = out.length - 1;
    if (typeof part === 'string' && typeof out[last] === 'string') out[last] += part;
    else out.push(part);
  }
  return out;
}

/**
 * The rows of one data file: `sequence` takes them in order, cycling; a slice of the load
 * (a worker thread, a shard) starts at its index and steps by the slice count, so slices use
 * different rows. `random` draws one each time.
 */
export class DataRows {
  private cursor: number;

  constructor(
    private readonly source: DataSourceSpec,
    private readonly slice: Slice,
  ) {
    this.cursor = source.rows.length === 0 ? 0 : slice.index % source.rows.length;
  }

  next(rng?: Rng): readonly string[] {
    const rows = this.source.rows;
    if (this.source.order === 'random') return rows[Math.floor((rng ? rng.next() : Math.random()) * rows.length)] ?? [];
    const row = rows[this.cursor] ?? [];
    this.cursor = (this.cursor + this.slice.count) % rows.length;
    return row;
  }
}

export interface FlowRunnerContext {
  plan: Plan;
  /** any transport that sends a prepared request (the undici one, the raw one) */
  transport: Pick<Transport, 'send'>;
  recorder: Pick<Recorder, 'record'>;
  clock: Clock;
  /** clock time (ms) of the run's t = 0 */
  startMs: number;
  target: Target;
  /** open model: steps and flows also get a service time (from the actual send) */
  measureServiceTime: boolean;
  data: DataRows[];
  /** --seed: the run's random stream */
  seed?: number;
  /** runs the flows' `ws:` and `sse:` steps */
  streams?: Pick<StreamRunner, 'run'>;
}

/** who runs an iteration: its number (0-based) and its user (1-based), also its random stream */
export interface Who {
  user: number;
  iteration: number;
}

/** what one iteration's templates read */
interface IterationState {
  values: Array<string | undefined>;
  rows: Array<readonly string[]>;
  rng: Rng | undefined;
  who: Who;
}

/** how an iteration ended, for the executor's pacing */
export interface IterationEnd {
  /** a step failed, or the run stopped before the flow was over */
  failed: boolean;
  /** no response came at all (a refused connection answers at once) */
  unanswered: boolean;
  /** the values captured, by slot (setup: they become {{ setup.NAME }}) */
  values?: ReadonlyArray<string | undefined>;
}

const noResponse: CollectedResponse = { headers: {}, body: '' };

export class FlowRunner {
  private stopped = false;
  /** iterations pausing in a think step, with what ends them early on a stop */
  private readonly thinking = new Map<NodeJS.Timeout, () => void>();

  constructor(private readonly ctx: FlowRunnerContext) {}

  /**
   * Runs one iteration of `flow` from `startAtMs` (clock ms); `done` is called exactly once. The
   * cookie jar is the user's (closed model), or the iteration's own when none is given (open model).
   */
  run(flow: PreparedFlow, startAtMs: number, done: (end: IterationEnd) => void, who: Who = { user: 1, iteration: 0 }, jar: CookieJar = new CookieJar()): void {
    const { ctx } = this;
    const context = { jar };
    const values = new Array<string | undefined>(flow.slotCount);
    const rows: Array<readonly string[]> = [];
    const rng = flow.random ? createRng(ctx.seed ?? Math.floor(Math.random() * 2 ** 32), who.user, who.iteration) : undefined;
    for (const source of flow.sources) rows[source] = ctx.data[source]!.next(rng);
    const state: IterationState = { values, rows, rng, who };
    const flowPhase = stageIndexAt(ctx.plan, startAtMs - ctx.startMs);
    let firstSentAtMs = Number.NaN;

    const finish = (errorKind: ErrorKind | null, answered: boolean, endedAtMs: number): void => {
      if (flow.single) return done({ failed: errorKind !== null, unanswered: !answered, values });
      ctx.recorder.record({
        group: flow.name,
        phaseIndex: flowPhase,
        latencyUs: answered ? (endedAtMs - startAtMs) * 1000 : null,
        serviceUs: answered && ctx.measureServiceTime && !Number.isNaN(firstSentAtMs) ? (endedAtMs - firstSentAtMs) * 1000 : null,
        status: null,
        errorKind,
        flow: true,
      });
      done({ failed: errorKind !== null, unanswered: !answered, values });
    };

    const step = (index: number, scheduledAtMs: number): void => {
      const current = flow.steps[index];
      if (current === undefined) return finish(null, true, scheduledAtMs);
      // stopped: what is in flight finishes, nothing new starts; the unfinished iteration is not counted
      if (this.stopped) return done({ failed: true, unanswered: false });
      if (current.when !== undefined && !isTrue(render(current.when, state))) return step(index + 1, scheduledAtMs);
      if (current.kind === 'think') {
        const pauseMs = drawPause(current.minMs, current.maxMs, rng);
        const timer = setTimeout(() => {
          this.thinking.delete(timer);
          step(index + 1, scheduledAtMs + pauseMs);
        }, pauseMs);
        this.thinking.set(timer, () => done({ failed: true, unanswered: false }));
        return;
      }
      if (current.kind === 'stream') {
        if (!ctx.streams) throw new Error(`flow ${flow.name}: a ws:/sse: step needs the stream runner`);
        const lookup = (part: TemplatePart): string => {
          const compiled = current.parts.get(part);
          return compiled === undefined ? '' : typeof compiled === 'string' ? compiled : valueOf(compiled, state);
        };
        // the socket (or stream) is the step: its own groups are recorded by the stream runner
        ctx.streams.run(current, scheduledAtMs, (end) => {
          const nowMs = ctx.clock.nowMs();
          if (end.failed) return finish(current.spec.kind, !end.unanswered, nowMs);
          step(index + 1, nowMs);
        }, lookup);
        return;
      }
      const phaseIndex = stageIndexAt(ctx.plan, scheduledAtMs - ctx.startMs);
      ctx.transport.send(current.fixed ?? this.request(current, state), (sent: SendResult) => {
        if (Number.isNaN(firstSentAtMs)) firstSentAtMs = sent.sentAtMs;
        const answered = sent.status !== null || sent.errorKind === 'timeout';
        let errorKind = sent.errorKind;
        if (errorKind === null && current.captures.length > 0 && !applyCaptures(current.captures, sent.response ?? noResponse, values)) {
          errorKind = 'capture';
        }
        ctx.recorder.record(outcomeOfSend(current.name, phaseIndex, sent, scheduledAtMs, ctx.measureServiceTime, errorKind));
        if (errorKind !== null) return finish(errorKind, answered, sent.endedAtMs);
        step(index + 1, sent.endedAtMs);
      }, context);
    };
    step(0, startAtMs);
  }

  /** Starts nothing more; iterations pausing in a think step end now. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    const ending = [...this.thinking.entries()];
    this.thinking.clear();
    for (const [timer, end] of ending) {
      clearTimeout(timer);
      end();
    }
  }

  private request(step: PreparedRequestStep, state: IterationState): PreparedRequest {
    let headers = step.fixedHeaders;
    if (step.variableHeaders.length > 0) {
      headers = { ...step.fixedHeaders };
      for (const [name, template] of step.variableHeaders) headers[name] = render(template, state);
    }
    const rendered = step.path.constant === undefined ? render(step.path, state) : undefined;
    const origin = rendered === undefined ? step.origin : originOf(this.ctx.target, rendered);
    return {
      name: step.name,
      method: step.method,
      path: step.path.constant ?? joinPath(this.ctx.target, rendered!),
      headers,
      body: step.body === undefined ? undefined : render(step.body, state),
      expectStatus: step.expectStatus,
      ...step.http,
      ...(origin !== undefined ? { origin } : {}),
    };
  }
}

/** Joins a template's parts; a value is encoded for where it goes (JSON string, URL path). */
function render(template: RuntimeTemplate, state: IterationState): string {
  if (template.constant !== undefined) return template.constant;
  let text = '';
  for (const part of template.parts) {
    if (typeof part === 'string') text += part;
    else text += encodeTemplateValue(valueOf(part, state), template.encoding);
  }
  return text;
}

/** `when:`: anything but '', 'false' and '0' */
function isTrue(text: string): boolean {
  const value = text.trim();
  return value !== '' && value !== 'false' && value !== '0';
}

function valueOf(part: Exclude<RuntimePart, string>, state: IterationState): string {
  if ('slot' in part) return state.values[part.slot] ?? '';
  if ('source' in part) return state.rows[part.source]?.[part.column] ?? '';
  if ('random' in part) return drawRandom(part.random, state.rng!);
  if (part.who === 'timestamp') return String(Date.now());
  return String(part.who === 'user' ? state.who.user : state.who.iteration);
}

/** every template part other than text in a stream step (URL, headers, message, reply, until) */
function streamParts(spec: StreamSpec): TemplatePart[] {
  const templates: Array<{ parts: ReadonlyArray<TemplatePart | { kind: 'seq' }> }> = [spec.url, ...Object.values(spec.headers)];
  const match = spec.kind === 'ws' ? spec.messages?.reply : spec.until;
  if (spec.kind === 'ws' && spec.messages) templates.push(spec.messages.send);
  if (match?.kind === 'json') templates.push(...match.fields.map((field) => field.value));
  else if (match && match.kind !== 'event') templates.push(match.text);
  return templates.flatMap((template) => template.parts.filter((part): part is Exclude<TemplatePart, { kind: 'text' }> => part.kind !== 'text' && part.kind !== 'seq'));
}
