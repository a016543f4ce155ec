// V8 moves a function to its optimising compiler (TurboFan, on other threads) once it has run
// a set amount of bytecode (its "interrupt budget"). At a low rate that costs more than it
// saves: a 10 s run at 500/s runs its request path only 5,000 times, yet TurboFan compiled ~70
// of its functions on the way (its threads: ~155 ms against ~58 ms for a plain Node client).
// An open-model load of at most 500/s raises the budget 8x for its length, so only what is
// really hot gets optimised (24 compiles); faster loads keep V8's default and the warm-up.
import { setFlagsFromString } from 'node:v8';
import { peakLevel, type Plan } from './plan.js';

/**
 * V8's own budget (node 20's V8 11.3: `node --v8-options`), restored when no low-rate load runs.
 * V8 has no getter for a flag, and other versions have other defaults (and tiers): the budget is
 * only raised on the V8 it was measured on.
 */
export const DEFAULT_INTERRUPT_BUDGET = 67584;
const MEASURED_ON_V8 = '11.3.';
/** The budget of a low-rate load: 8× (at 500/s a run's CPU -5 to -11%, medians of 8-12 rounds; 4× and 16× less). */
export const LOW_RATE_INTERRUPT_BUDGET = 8 * DEFAULT_INTERRUPT_BUDGET;
/**
 * Open-model loads whose rate never passes this are low-rate: arrivals at least 2 ms apart, the
 * precise starts of open-executor.ts. At 1,000/s twice the requests run the same code and the
 * later compiles cost more than they save (10 s: 1.63 against 1.42 s, 6 interleaved rounds).
 */
export const LOW_RATE_MOST_PER_SECOND = 500;

/** Whether a load of this plan runs at a low rate throughout (closed models never: their rate is the service's). */
export function isLowRate(plan: Plan, sliceCount: number): boolean {
  return plan.model === 'open' && peakLevel(plan) / sliceCount <= LOW_RATE_MOST_PER_SECOND;
}

/**
 * Whether perfctl may set the budget: on the V8 whose default it knows, and unless the user chose
 * one (node's command line or NODE_OPTIONS).
 */
export function mayRaiseBudget(v8Version: string, execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  const chosen = (arg: string): boolean => /^--interrupt[-_]budget(=|$)/.test(arg);
  return v8Version.startsWith(MEASURED_ON_V8) && !execArgv.some(chosen) && !(nodeOptions ?? '').split(/\s+/).some(chosen);
}

let lowRateLoads = 0;

/**
 * Raises V8's budget while the low-rate load runs; call the returned function when it ends.
 * Loads at once (scenarios) share it: the default is back when the last one ends.
 */
export function holdLowRateBudget(set: (flags: string) => void = setFlagsFromString): () => void {
  if (!mayRaiseBudget(process.versions.v8, process.execArgv, process.env['NODE_OPTIONS'])) return () => undefined;
  if (lowRateLoads++ === 0) set(`--interrupt-budget=${LOW_RATE_INTERRUPT_BUDGET}`);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    // the flag is part of V8's code-cache check: back to the default before anything else compiles
    if (--lowRateLoads === 0) set(`--interrupt-budget=${DEFAULT_INTERRUPT_BUDGET}`);
  };
}
