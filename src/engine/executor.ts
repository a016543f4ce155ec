// What both load models share: the context they run in and the handle they return.
import type { ThinkTime } from '../config/types.js';
import type { Recorder } from '../metrics/recorder.js';
import type { Clock } from './clock.js';
import type { FlowRunner, PreparedFlow } from './flow-runner.js';
import type { Transport } from './transport.js';
import type { PreparedMixRequest } from './prepare-requests.js';
import type { Plan } from './plan.js';
import type { PreparedStream, StreamRunner } from './stream-runner.js';

export interface Slice {
  /** 0-based */
  index: number;
  count: number;
}

export interface ExecutionContext {
  plan: Plan;
  slice: Slice;
  /** the mix: plain requests and flows, picked together by weight */
  requests: Array<PreparedMixRequest | PreparedFlow | PreparedStream>;
  /** runs flow iterations (present when the mix has flows) */
  flows?: FlowRunner;
  /** runs WebSocket sessions and SSE streams (present when the mix has any) */
  streams?: StreamRunner;
  transport: Transport;
  recorder: Recorder;
  clock: Clock;
  /** clock time (ms) of the run's t = 0 */
  startMs: number;
  /** open model: most requests (or flow iterations) in flight at once */
  maxInFlight: number;
  /** closed model: pause between a user's iterations */
  thinkTime: ThinkTime;
  /** -n: this slice's share of the requests (flow iterations) to send, then stop */
  requestLimit?: number;
  /** --seed: the random stream of think times */
  seed?: number;
}

export interface Execution {
  /** resolves when the schedule is over and nothing is in flight */
  readonly done: Promise<void>;
  /** stop starting requests; those in flight still finish */
  stop(): void;
  inFlight(): number;
  /** open model: the longest deliberate sleep on the run's thread since the last call, ms (precise starts) */
  longestSleepMs?(): number;
  /** open model: how well perfctl kept to the schedule */
  health?(): ScheduleHealth;
}

export interface ScheduleHealth {
  /** arrivals in the plan (this slice) */
  due: number;
  /** arrivals launched (including ones dropped at the in-flight cap) */
  launched: number;
  /**
   * arrivals not started because maxInFlight requests were already in flight: perfctl's own
   * shortfall (k6's dropped iterations), never counted as requests or errors of the service
   */
  dropped: number;
  /** launched more than LATE_START_MS after their due time */
  late: number;
  /** never launched: perfctl fell behind beyond the end of the plan */
  undelivered: number;
}
