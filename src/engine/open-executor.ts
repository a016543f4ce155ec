// Open model: requests start on the pacer's schedule whatever the service does. Latency is
// measured from each request's *due* time, so a stalled service cannot hide its queue
// (coordinated omission); the time from the actual send is kept as the service time.
import { createPacer, limitPacer } from './pacer.js';
import { stageIndexAt } from './plan.js';
import { WeightedMix } from './request-mix.js';
import type { Execution, ExecutionContext } from './executor.js';
import { outcomeOfSend } from './outcome-of-send.js';
import { monotonicClock } from './clock.js';
import { PreciseWake } from './precise-wake.js';
import { WakeTimer } from './wake-timer.js';
import type { SendResult } from './transport.js';

/** Most requests launched in one turn of the event loop, so answers still get processed. */
const MAX_LAUNCHES_PER_TURN = 500;
/** A request that leaves later than this after its due time counts as late (generator health). */
export const LATE_START_MS = 50;
/** Arrivals not launched this long after the plan's end are given up as undelivered. */
const END_SLACK_MS = 1000;
/** Arrivals at least this far apart get a precise (sub-millisecond) start. */
const PRECISE_GAP_MS = 2;
/**
 * A precise start: a timer wakes the loop this long before the due time (timers fire up to
 * ~1 ms late), and the last stretch is slept in Atomics.wait on this thread, when nothing is in
 * flight (no answer can wait behind it, so none is measured late). With answers pending, the
 * helper thread wakes the loop instead (precise-wake.ts).
 */
const EARLY_WAKE_MS = 2;
/**
 * Nothing in flight and the next precise start at most this far off: sleep the whole way on
 * this thread rather than arm a timer for EARLY_WAKE_MS before it. That saves a wake-up per
 * request (at 100/s, 3.3 down to 2.2 sleeps a request and ~13% of the run's CPU on this host).
 * The event loop is blocked meanwhile, but with nothing in flight no answer can wait behind it;
 * a Ctrl-C, a live export or the second's tick waits at most this long. The loop-lag figure
 * leaves these sleeps out (longestSleepMs).
 */
export const SLEEP_THROUGH_MS = 12;
/** Precise starts in a row with answers still out at their due time before the helper thread wakes them. */
const OUTLASTED_IN_A_ROW = 3;
/** Atomics.wait needs a shared Int32Array; nobody ever notifies it, so a wait always times out. */
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

export function startOpenExecution(ctx: ExecutionContext): Execution {
  const { plan, clock, recorder, transport, startMs } = ctx;
  const pacer = limitPacer(createPacer(plan, ctx.slice), ctx.requestLimit);
  const mix = new WeightedMix(ctx.requests);
  let next = 0;
  let inFlight = 0;
  let late = 0;
  let dropped = 0;
  let undelivered = 0;
  let stopped = false;
  const timer = new WakeTimer();
  let immediate: NodeJS.Immediate | undefined;
  // precise starts serve the real clock only (tests with a fake clock keep timers)
  const precisely = clock === monotonicClock;
  // the helper thread is started once answers have been still out at the due time of
  // OUTLASTED_IN_A_ROW precise starts in a row (a service that answers within the gap never needs
  // it: its answer comes first and the start is slept here; a one-off slow answer, a GC pause,
  // does not start it either); until then, and until it is up, a timer stands in
  let precise: PreciseWake | undefined;
  let outlastedInARow = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve)).finally(() => {
    timer.close();
    precise?.close();
  });
  /** a precise start waiting for the in-flight answers to come in: its due time (ms from t = 0) */
  let preciseDueMs = -1;
  /** the longest sleep on this thread since longestSleepMs() was last asked (the loop was blocked on purpose) */
  let longestSleepMs = 0;

  const finishIfIdle = (): void => {
    if ((stopped || next >= pacer.total) && inFlight === 0) resolveDone();
  };

  const launch = (dueMs: number, nowMs: number, arrival: number): void => {
    const request = mix.next();
    const phaseIndex = stageIndexAt(plan, dueMs);
    if (inFlight >= ctx.maxInFlight) {
      // never sent, so never measured: generator health, not the service's error rate
      dropped++;
      return;
    }
    inFlight++;
    if (nowMs - dueMs > LATE_START_MS) late++;
    recorder.noteStartLag((nowMs - dueMs) * 1000);
    const dueOnClock = startMs + dueMs;
    if (request.kind === 'flow') {
      // an arrival starts a whole iteration, which holds its in-flight place until its last step
      // each arrival is a new user: its number is the arrival's over all slices
      const iteration = arrival * ctx.slice.count + ctx.slice.index;
      ctx.flows!.run(
        request,
        dueOnClock,
        () => {
          inFlight--;
          finishIfIdle();
        },
        { user: iteration + 1, iteration },
      );
      return;
    }
    if (request.kind === 'stream') {
      // an arrival opens a socket (or stream) that holds its in-flight place until it closes
      ctx.streams!.run(request, dueOnClock, () => {
        inFlight--;
        finishIfIdle();
      });
      return;
    }
    transport.send(request, (sent: SendResult) => {
      inFlight--;
      recorder.record(outcomeOfSend(request.name, phaseIndex, sent, dueOnClock, true));
      finishIfIdle();
      // the last answer is in and the next start is close: sleep the rest of the way here
      if (inFlight === 0 && preciseDueMs >= 0 && preciseDueMs - (clock.nowMs() - startMs) <= SLEEP_THROUGH_MS) {
        outlastedInARow = 0;
        startPrecisely();
      }
    });
  };

  const tick = (): void => {
    immediate = undefined;
    if (stopped) return finishIfIdle();
    const nowMs = clock.nowMs() - startMs;
    if (nowMs > plan.totalMs + END_SLACK_MS) {
      // perfctl could not keep up: what it never sent is its own failure, not the service's
      undelivered = pacer.total - next;
      next = pacer.total;
      return finishIfIdle();
    }
    // everything due by now goes out, each measured from its own due time
    let dueMs = pacer.dueMs(next);
    let launched = 0;
    while (dueMs <= nowMs && launched < MAX_LAUNCHES_PER_TURN) {
      launch(dueMs, nowMs, next);
      launched++;
      next++;
      dueMs = pacer.dueMs(next);
    }
    if (next >= pacer.total) return finishIfIdle();
    if (launched === MAX_LAUNCHES_PER_TURN) {
      timer.set(tick, 0);
      return;
    }
    scheduleNext(dueMs, dueMs - pacer.dueMs(next - 1));
  };

  // Node's timers fire up to ~1 ms late. When arrivals are far apart (a low rate), the start is
  // made precise without the CPU a spin would burn: a timer wakes the loop EARLY_WAKE_MS ahead,
  // and the rest is slept in Atomics.wait once nothing is in flight (with answers pending, the
  // helper thread of precise-wake.ts wakes the loop at the due time instead). At a high rate
  // arrivals come in batches anyway and a timer is enough.
  // With a fake clock: wake 1 ms early and yield turn by turn until the due time.
  const scheduleNext = (dueMs: number, gapMs: number): void => {
    const waitMs = dueMs - (clock.nowMs() - startMs);
    if (gapMs < PRECISE_GAP_MS) timer.set(tick, waitMs);
    else if (precisely) {
      preciseDueMs = dueMs;
      if (inFlight === 0 && waitMs <= SLEEP_THROUGH_MS) startPrecisely();
      else timer.set(earlyWake, waitMs - EARLY_WAKE_MS);
    } else if (waitMs > 1) timer.set(tick, waitMs - 1);
    else immediate = setImmediate(tick);
  };

  /** The timer EARLY_WAKE_MS before a precise start: sleep the rest here, or let the helper wake us. */
  const earlyWake = (): void => {
    if (stopped || preciseDueMs < 0) return tick();
    if (inFlight === 0) return startPrecisely();
    const waitMs = preciseDueMs - (clock.nowMs() - startMs);
    if (waitMs <= 0) {
      // due, and answers are still out (a timer stood in for the helper thread)
      outlastedInARow++;
      preciseDueMs = -1;
      return tick();
    }
    // answers pending: an answer that came in while this thread slept would be measured late.
    // Until answers outlast gaps, a timer wakes us (the answer usually comes first and
    // startPrecisely takes over); the helper thread costs a thread's start and two wake-ups per start
    if (!precise && outlastedInARow < OUTLASTED_IN_A_ROW) {
      timer.set(earlyWake, waitMs - 1);
      return;
    }
    precise ??= new PreciseWake();
    if (precise.ready) {
      // (an answer that completes the in-flight set first still sleeps the rest here: startPrecisely cancels this)
      precise.wakeIn(waitMs, () => {
        preciseDueMs = -1;
        tick();
      });
    } else timer.set(earlyWake, waitMs - 1);
  };

  /** Nothing in flight: sleep until the precise start on this thread, then start. */
  const startPrecisely = (): void => {
    timer.cancel();
    precise?.cancel();
    const waitMs = preciseDueMs - (clock.nowMs() - startMs);
    preciseDueMs = -1;
    if (waitMs > 0 && !stopped) {
      Atomics.wait(SLEEPER, 0, 0, waitMs);
      if (waitMs > longestSleepMs) longestSleepMs = waitMs;
    }
    tick();
  };

  tick();
  return {
    done,
    stop() {
      stopped = true;
      preciseDueMs = -1;
      timer.close();
      if (immediate) clearImmediate(immediate);
      precise?.cancel();
      // flow iterations pausing in a think step end now (and leave the in-flight count)
      ctx.flows?.stop();
      ctx.streams?.stop();
      finishIfIdle();
    },
    inFlight: () => inFlight,
    longestSleepMs() {
      const longest = longestSleepMs;
      longestSleepMs = 0;
      return longest;
    },
    health: () => ({ due: pacer.total, launched: next - undelivered, late, dropped, undelivered }),
  };
}
