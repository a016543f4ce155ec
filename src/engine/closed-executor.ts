// Closed model: virtual users each send a request (or run a flow's steps), wait for the answer,
// think, and repeat.
// The number of users follows the plan (ramps, holds, jumps); a user above the planned
// level retires after its current iteration. Latency is measured from the send.
import { sliceOfLevel } from './pacer.js';
import { levelAt, stageIndexAt } from './plan.js';
import { WeightedMix } from './request-mix.js';
import type { Execution, ExecutionContext } from './executor.js';
import { outcomeOfSend } from './outcome-of-send.js';
import type { SendResult } from './transport.js';

/** How often the number of users is brought to the planned level. */
const CONTROL_INTERVAL_MS = 50;

export function startClosedExecution(ctx: ExecutionContext): Execution {
  const { plan, clock, recorder, transport, startMs } = ctx;
  const mix = new WeightedMix(ctx.requests);
  const users: Array<{ retired: boolean }> = [];
  let inFlight = 0;
  let stopped = false;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const elapsedMs = (): number => clock.nowMs() - startMs;

  const finishIfIdle = (): void => {
    if (stopped && inFlight === 0) resolveDone();
  };

  /** the user's pause between iterations */
  const rest = (user: { retired: boolean }, unanswered: boolean): void => {
    const pauseMs = thinkMs(ctx.thinkTime.minMs, ctx.thinkTime.maxMs);
    // a failed connection answers at once: pause briefly so a dead service is not spun on
    const floorMs = unanswered ? 10 : 0;
    if (pauseMs + floorMs > 0) setTimeout(() => iterate(user), pauseMs + floorMs);
    else setImmediate(() => iterate(user));
  };

  const iterate = (user: { retired: boolean }): void => {
    if (stopped || user.retired) return;
    const request = mix.next();
    if (request.kind === 'flow') {
      inFlight++;
      ctx.flows!.run(request, clock.nowMs(), (end) => {
        inFlight--;
        if (stopped) return finishIfIdle();
        rest(user, end.unanswered);
      });
      return;
    }
    if (request.kind === 'stream') {
      // a WebSocket user holds its socket for the session, then starts the next one
      inFlight++;
      ctx.streams!.run(request, clock.nowMs(), (end) => {
        inFlight--;
        if (stopped) return finishIfIdle();
        rest(user, end.unanswered);
      });
      return;
    }
    const sentAt = clock.nowMs();
    const phaseIndex = stageIndexAt(plan, sentAt - startMs);
    inFlight++;
    transport.send(request, (sent: SendResult) => {
      inFlight--;
      recorder.record(outcomeOfSend(request.name, phaseIndex, sent, sentAt, false));
      if (stopped) return finishIfIdle();
      rest(user, sent.status === null);
    });
  };

  const control = (): void => {
    if (stopped) return;
    const t = elapsedMs();
    if (t >= plan.totalMs) return stop();
    const wanted = sliceOfLevel(levelAt(plan, t), ctx.slice);
    const active = users.filter((u) => !u.retired);
    for (let n = active.length; n < wanted; n++) {
      const user = { retired: false };
      users.push(user);
      iterate(user);
    }
    for (let n = active.length - 1; n >= wanted; n--) active[n]!.retired = true;
    // forget retired users so the list does not grow over a long run
    for (let i = users.length - 1; i >= 0; i--) if (users[i]!.retired) users.splice(i, 1);
  };

  let interval: NodeJS.Timeout | undefined;
  // worker threads share a t = 0 that may lie a little in the future
  const begin = setTimeout(() => {
    interval = setInterval(control, CONTROL_INTERVAL_MS);
    control();
  }, Math.max(0, startMs - clock.nowMs()));
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    // flow iterations pausing in a think step end now
    ctx.flows?.stop();
    ctx.streams?.stop();
    clearTimeout(begin);
    if (interval) clearInterval(interval);
    finishIfIdle();
  };
  return { done, stop, inFlight: () => inFlight };
}

function thinkMs(minMs: number, maxMs: number): number {
  return maxMs <= minMs ? minMs : minMs + Math.random() * (maxMs - minMs);
}
