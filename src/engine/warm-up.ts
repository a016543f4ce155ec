// Warming the request loop's JavaScript before t = 0 at high rates. The first thousands of
// requests otherwise run in V8's interpreter while its optimising compiler works on the same
// core, and at 20,000/s the first second then starts requests late (25 ms worst against 3 ms
// later). The warm-up runs the hot paths that need no service (the response parser, the
// outcome of a send, the recorder, the pacer) on made-up data in scratch objects: nothing is
// sent and nothing is counted, so the service sees exactly the run's requests.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ResponseParser, type ParseRequest } from './http1-parser.js';
import { outcomeOfSend } from './outcome-of-send.js';
import { isAbsoluteUrl } from './prepare-requests.js';
import { Recorder, elapsedSince } from '../metrics/recorder.js';
import type { Clock } from './clock.js';
import type { TransportKind } from './transport.js';
import type { HttpVersion, RequestSpec } from '../config/types.js';
import type { Pacer } from './pacer.js';
import type { Plan } from './plan.js';

/** From this many arrivals in the first second (one slice), the run is warmed up. */
export const WARM_UP_FROM_PER_SECOND = 2000;
/** Iterations of each hot path: enough for V8 to optimise them (1,000 left some to the first second). */
const ITERATIONS = 4000;
/** A new scratch recorder every this many iterations. */
const RECORDER_EVERY = 500;

const RESPONSE = Buffer.from('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\nconnection: keep-alive\r\nkeep-alive: timeout=5\r\n\r\nok');
const PLAIN: ParseRequest = { head: false, headers: false, bodyBytes: 0 };

/**
 * Whether the plan's first second is busy enough to be worth a warm-up. Closed model: the users'
 * rate at a 5 ms answer plus their mean think time (`thinkMs`).
 */
export function wantsWarmUp(plan: Plan, pacer: Pacer | null, sliceCount: number, thinkMs = 0): boolean {
  if (pacer !== null) {
    // open model: arrivals due in the first second
    let n = 0;
    while (n < WARM_UP_FROM_PER_SECOND && pacer.dueMs(n) < 1000) n++;
    return n >= WARM_UP_FROM_PER_SECOND;
  }
  // closed model: the users start at once, each at most one request per answer and think
  const first = plan.stages[0];
  if (first === undefined) return false;
  const users = Math.max(first.fromLevel, first.toLevel) / sliceCount;
  return (users * 1000) / (5 + thinkMs) >= WARM_UP_FROM_PER_SECOND;
}

/**
 * The last warm-up's scratch objects, kept until the next one. The code V8 optimises during the
 * warm-up holds their hidden classes weakly: had they died in the full collection before t = 0,
 * V8 would drop that code ("weak objects") and compile it again in the first second.
 */
let keptAlive: unknown[] = [];

export interface SocketWarmUpCase {
  /** the base URL's origin */
  origin: string;
  transport: TransportKind | undefined;
  httpVersion: HttpVersion | undefined;
  /** a proxy (the profile's or the environment's) stands before the service */
  proxied: boolean;
  requests: readonly RequestSpec[];
  /** flows in the mix */
  flows: number;
  /** --start-at: ms left until t = 0; undefined when the run starts itself */
  leadMs: number | undefined;
  /** the head start a socket warm-up needs */
  neededMs: number;
}

/**
 * Whether a busy open-model run also warms its socket path against perfctl's own sink: only
 * where the sink speaks what the service would (plain HTTP/1.1 over the raw client, no proxy),
 * where every request is one exchange on the base URL's origin (a WebSocket, an SSE stream, a
 * flow or an absolute URL would take code the sink does not serve, or another host), and
 * where t = 0 leaves the time.
 */
export function socketWarmUpFits(c: SocketWarmUpCase): boolean {
  if (!c.origin.startsWith('http:') || (c.transport ?? 'raw') !== 'raw' || c.httpVersion !== undefined || c.proxied) return false;
  if (c.flows > 0 || c.requests.length === 0) return false;
  if (c.requests.some((r) => r.stream !== undefined || r.http?.version !== undefined || isAbsoluteUrl(r.path))) return false;
  return c.leadMs === undefined || c.leadMs >= c.neededMs;
}

/** Runs the hot paths on made-up data (a few milliseconds). */
export function warmUp(plan: Plan, pacer: Pacer | null, groups: readonly string[], clock: Clock): void {
  const parser = new ResponseParser();
  const newRecorder = (): Recorder => new Recorder(plan.stages.length, { plannedMs: plan.totalMs, elapsedMs: elapsedSince(clock, clock.nowMs()), phases: plan.stages });
  let scratch = newRecorder();
  keptAlive = [parser, scratch];
  const group = groups[0] ?? 'warm-up';
  for (let i = 0; i < ITERATIONS; i++) {
    // a fresh recorder now and then: the run's first answers create its cells and blocks, a
    // path V8 must have seen (the first calls of a function leave it no feedback to go on)
    if (i > 0 && i % RECORDER_EVERY === 0) keptAlive[1] = scratch = newRecorder();
    parser.start(PLAIN);
    parser.feed(RESPONSE, RESPONSE.length);
    // fractional times over the range real answers take, each histogram's maximum and minimum
    // moved again and again (a new histogram each second does that in the run): values of one
    // size would teach V8 guesses (small integers, one bucket, a branch never taken) that the
    // run breaks in its first milliseconds
    const dueMs = i * 0.05;
    const lagMs = (i % 13) * 0.317;
    const step = (i >> 1) % 500;
    const serviceMs = i % 2 === 0 ? 0.02 * 1.014 ** step : 0.02 / 1.014 ** step;
    const sent = { status: parser.status, errorKind: null, sentAtMs: dueMs + lagMs, endedAtMs: dueMs + lagMs + serviceMs, wireBytes: parser.wireBytes };
    scratch.record(outcomeOfSend(group, 0, sent, dueMs, pacer !== null));
    scratch.noteStartLag(lagMs * 1000);
    if (pacer !== null) pacer.dueMs(i);
  }
}

/** V8's gc(), exposed once (a full collection, or a scavenge with { type: 'minor' }) */
let exposed: ((options?: { type: 'minor' | 'major' }) => void) | undefined;

/**
 * A full garbage collection before t = 0 of a busy run. Start-up leaves megabytes of garbage
 * (module loading, the profile's YAML, the warm-up's scratch objects) that V8 would otherwise
 * mark and compact in the first second, under load: a 4-6 ms pause there, and the first
 * scavenges promote start-up objects. V8's `gc` is reachable only with --expose-gc; the flag
 * can be set at run time and the function taken from a new context.
 */
export function collectStartUpGarbage(): void {
  exposedGc()();
}

/**
 * Just before t = 0: two scavenges move what the head start left in the young generation
 * (the pre-opened connections, the recorder) to the old one, where the first scavenges under
 * load do not have to copy it again (they took 1.2 ms each in the first second, 0.25 ms later).
 */
export function promoteHeadStartObjects(): void {
  const gc = exposedGc();
  gc({ type: 'minor' });
  gc({ type: 'minor' });
}

function exposedGc(): (options?: { type: 'minor' | 'major' }) => void {
  if (!exposed) {
    setFlagsFromString('--expose-gc');
    exposed = runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void;
  }
  return exposed;
}
