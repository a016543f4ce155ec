// The run's schedule is kept by one thread. Node's other threads in the process (V8's compiler
// and garbage-collector helpers, libuv's file-system pool) run at the same priority and, on a
// core shared with them, preempt it: at 20,000/s the first second's worst start was 2-3× late
// against later seconds, while the optimising compiler worked through the hot paths beside it.
// Lowering those threads' priority (nice +10, which needs no privilege) lets them use the time
// the schedule leaves idle instead (measured in 6 interleaved pairs at 20,000/s: first-second
// worst start lag 4.6-9.4 ms against 9.4-38 ms; closed-model throughput unchanged).
// A nice value still lets a helper finish its time slice before a woken schedule thread runs
// (Linux's EEVDF scheduler, 6.6 on): an open model's busy first second also puts them in
// SCHED_IDLE, which a waking normal thread preempts at once (see idleLoweredThreads).
import { spawn } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** Nice value given to the process's other threads (0 is normal, 19 the lowest). */
export const HELPER_THREAD_NICE = 10;

let lowered = false;
/** the threads lowerOtherThreadsPriority lowered */
const loweredThreads: number[] = [];
let idled: Promise<number> | undefined;

/**
 * Lowers the priority of every thread of this process except the calling one. Linux only
 * (it reads /proc/thread-self and /proc/self/task); elsewhere, or when a thread cannot be
 * changed, nothing happens. Threads started later (a worker, the precise-wake helper) keep the
 * normal priority. Returns how many threads were lowered.
 */
export function lowerOtherThreadsPriority(): number {
  if (lowered || process.platform !== 'linux') return 0;
  lowered = true;
  let self: number;
  let threads: number[];
  try {
    // "<pid>/task/<tid>"
    self = Number(readlinkSync('/proc/thread-self').split('/').pop());
    threads = readdirSync('/proc/self/task').map(Number);
  } catch {
    return 0;
  }
  let count = 0;
  for (const tid of threads) {
    if (tid === self || !Number.isInteger(tid)) continue;
    try {
      setPriority(tid, HELPER_THREAD_NICE);
      loweredThreads.push(tid);
      count++;
    } catch {
      // a thread that ended meanwhile, or a system that refuses: it keeps its priority
    }
  }
  return count;
}

/**
 * Puts the threads lowerOtherThreadsPriority lowered in SCHED_IDLE as well, once; resolves with
 * how many it changed. Node has no sched_setscheduler, so util-linux's `chrt` does it, in one
 * shell beside the run (it takes ~10-20 ms, inside any warm-up's head start); where `chrt` or
 * the shell is missing, or a thread ended, those threads keep their nice value. An unprivileged
 * thread cannot leave SCHED_IDLE, so the helpers stay there until the process ends.
 *
 * For the open model's busy runs only: at 20,000/s on a core shared with the helpers, the
 * first second's worst start fell from 3.5-6.0 ms (median 4.95) to 1.7-3.2 ms (median 1.95) in
 * 10 interleaved pairs, within 2x of the later seconds in 10 against 5. A saturated closed model
 * lost ~5% of its throughput (4 pairs): there the compiler and the collector's helpers need the
 * share a nice value leaves them, as a SCHED_IDLE thread runs only when the core is idle.
 */
export function idleLoweredThreads(): Promise<number> {
  if (idled !== undefined) return idled;
  const tids = loweredThreads;
  idled =
    tids.length === 0
      ? Promise.resolve(0)
      : new Promise<number>((resolve) => {
          // thread ids are integers: nothing of the shell's syntax can reach the command
          const script = `n=0; for t in ${tids.join(' ')}; do chrt -i -p 0 "$t" 2>/dev/null && n=$((n+1)); done; echo $n`;
          let out = '';
          const child = spawn('/bin/sh', ['-c', script], { stdio: ['ignore', 'pipe', 'ignore'] });
          child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
          child.on('error', () => resolve(0));
          child.on('close', () => resolve(Number.parseInt(out, 10) || 0));
          child.unref();
        });
  return idled;
}
