// Closed model: virtual users each send a request (or run a flow's steps), wait for the answer,
// think, and repeat.
// The number of users follows the plan (ramps, holds, jumps); a user above the planned
// level retires after its current iteration. Latency is measured from the send.
import { sliceOfLevel } from './pacer.js';
import { levelAt, stageIndexAt } from './plan.js';
import { createRng, drawPause, type Rng } from './random.js';
import { WeightedMix } from './request-mix.js';
import type { Execution, ExecutionContext } from './executor.js';
import { outcomeOfSend } from './outcome-of-send.js';
import type { SendContext, SendResult } from './transport.js';
import { CookieJar } from './cookie-jar.js';
import type { PreparedMixRequest } from './prepare-requests.js';

/** How often the number of users is brought to the planned level. */
const CONTROL_INTERVAL_MS = 50;
export function startClosedExecution(ctx: ExecutionContext): Execution {
  const { plan, clock, recorder, transport, startMs } = ctx;
  const mix = new WeightedMix(ctx.requests);
  // each user keeps its own cookies, as a browser would
  const users: User[] = [];
  /** users started by this slice, for their numbers */
  let created = 0;
  const seed = ctx.seed ?? Math.floor(Math.random() * 2 ** 32);
  let inFlight = 0;
  let stopped = false;
  /** iterations started, for -n */
  let started = 0;
  const limit = ctx.requestLimit ?? Infinity;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const elapsedMs = (): number => clock.nowMs() - startMs;

  // -n: once the last iteration has started, the users finish theirs (flows to their last step)
  const exhausted = (): boolean => started >= limit;
  const finishIfIdle = (): void => {
    if ((stopped || exhausted()) && inFlight === 0) {
      if (interval) clearInterval(interval);
      resolveDone();
    }
  };

  /** the user's pause between iterations */
  const rest = (user: User, unanswered: boolean): void => {
    const pauseMs = drawPause(ctx.thinkTime.minMs, ctx.thinkTime.maxMs, user.think);
    // a failed connection answers at once: pause briefly so a dead service is not spun on
    const floorMs = unanswered ? 10 : 0;
    if (pauseMs + floorMs > 0) setTimeout(user.next, pauseMs + floorMs);
    // (the next turn of the loop: starting it inside the answer's callback measured slower)
    else setImmediate(user.next);
  };

  /** a user's answer (one callback per user, made once: no closure per request) */
  const answered = (user: User, sent: SendResult): void => {
    inFlight--;
    recorder.record(outcomeOfSend(user.request!.name, user.phaseIndex, sent, user.sentAt, false));
    if (stopped || exhausted()) return finishIfIdle();
    rest(user, sent.status === null);
  };

  const iterate = (user: User): void => {
    if (stopped || user.retired) return;
    if (exhausted()) return finishIfIdle();
    started++;
    const request = mix.next();
    if (request.kind === 'flow') {
      inFlight++;
      ctx.flows!.run(
        request,
        clock.nowMs(),
        (end) => {
          inFlight--;
          if (stopped || exhausted()) return finishIfIdle();
          rest(user, end.unanswered);
        },
        { user: user.id, iteration: user.iterations++ },
        user.context.jar,
      );
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
    user.request = request;
    user.sentAt = sentAt;
    user.phaseIndex = stageIndexAt(plan, sentAt - startMs);
    inFlight++;
    transport.send(request, user.onAnswer, user.context);
  };

  const control = (): void => {
    if (stopped || exhausted()) return;
    const t = elapsedMs();
    if (t >= plan.totalMs) return stop();
    const wanted = sliceOfLevel(levelAt(plan, t), ctx.slice);
    const active = users.filter((u) => !u.retired);
    for (let n = active.length; n < wanted; n++) {
      // user numbers are unique over all slices: 1, 2, ... interleaved by slice
      const id = created++ * ctx.slice.count + ctx.slice.index + 1;
      const user: User = {
        id,
        retired: false,
        iterations: 0,
        think: ctx.thinkTime.maxMs > ctx.thinkTime.minMs ? createRng(seed, id, -2) : undefined,
        context: { jar: new CookieJar() },
        request: undefined,
        sentAt: 0,
        phaseIndex: 0,
        onAnswer: (sent) => answered(user, sent),
        next: () => iterate(user),
      };
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

interface User {
  /** 1-based, {{ user }} */
  id: number;
  retired: boolean;
  /** iterations started, {{ iteration }} */
  iterations: number;
  /** the user's own stream of think times */
  think: Rng | undefined;
  /** the user's cookie jar, handed to each send */
  context: SendContext & { jar: CookieJar };
  /** the request in flight: what, when, in which stage */
  request: PreparedMixRequest | undefined;
  sentAt: number;
  phaseIndex: number;
  onAnswer: (sent: SendResult) => void;
  /** starts the user's next iteration */
  next: () => void;
}
