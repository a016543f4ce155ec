// A sub-millisecond wake-up without busy-waiting, for when answers are pending (with none in
// flight, the open executor sleeps the last stretch on its own thread instead). Node's timers have a resolution of 1 ms and
// fire up to ~1 ms late, which at a low rate would start each request late (and charge the
// lag to the service, since latency runs from the due time). Spinning on setImmediate until the
// due time is precise but burns up to half a core at 500 req/s. Instead a tiny helper thread
// sleeps in Atomics.wait (a futex with a microsecond timeout, no CPU while it waits) and posts a
// message at the due time; the main thread's event loop wakes on it within tens of µs, and keeps
// serving responses meanwhile.
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

// Runs in the helper thread: wait for a due time, sleep until it, tell the main thread.
// state[0] is a generation number bumped at each new request (or cancel); due[0] the epoch ms.
const WAKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const state = new Int32Array(workerData, 0, 1);
const due = new Float64Array(workerData, 8, 1);
let answered = 0;
for (;;) {
  const generation = Atomics.load(state, 0);
  if (generation < 0) break;
  if (generation === answered) { Atomics.wait(state, 0, generation); continue; }
  const waitMs = due[0] - (performance.timeOrigin + performance.now());
  if (waitMs > 0 && Atomics.wait(state, 0, generation, waitMs) !== 'timed-out') continue;
  answered = generation;
  parentPort.postMessage(generation);
}
`;

const epochNowMs = (): number => performance.timeOrigin + performance.now();

export class PreciseWake {
  private readonly state: Int32Array;
  private readonly due: Float64Array;
  private readonly worker: Worker;
  private generation = 0;
  private callback: (() => void) | undefined;
  /** the helper thread is running (a wake-up asked for before then would come late) */
  ready = false;

  constructor() {
    const shared = new SharedArrayBuffer(16);
    this.state = new Int32Array(shared, 0, 1);
    this.due = new Float64Array(shared, 8, 1);
    this.worker = new Worker(WAKER_SOURCE, { eval: true, workerData: shared });
    this.worker.once('online', () => (this.ready = true));
    this.worker.on('message', (generation: number) => {
      // a wake-up for an older request (since replaced or cancelled) is ignored
      if (generation !== this.generation || !this.callback) return;
      const callback = this.callback;
      this.callback = undefined;
      this.worker.unref();
      callback();
    });
    // nothing pending: the helper must not keep the process alive
    this.worker.unref();
  }

  /** Calls `callback` once, at `inMs` from now (sub-millisecond), replacing any earlier request. */
  wakeIn(inMs: number, callback: () => void): void {
    this.callback = callback;
    this.due[0] = epochNowMs() + inMs;
    this.bump();
    this.worker.ref();
  }

  cancel(): void {
    // nothing asked for: the helper sleeps on, unwoken
    if (this.callback === undefined) return;
    this.callback = undefined;
    this.due[0] = Infinity;
    this.bump();
    this.worker.unref();
  }

  close(): void {
    this.callback = undefined;
    Atomics.store(this.state, 0, -1);
    Atomics.notify(this.state, 0);
    void this.worker.terminate();
  }

  private bump(): void {
    this.generation = (this.generation + 1) % 0x7fffffff;
    Atomics.store(this.state, 0, this.generation);
    Atomics.notify(this.state, 0);
  }
}
