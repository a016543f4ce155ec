// The schedule's thread keeps the normal priority; the process's other threads (V8's compiler
// and GC helpers, libuv's pool) are lowered, so they cannot preempt it. Checked in a child
// process running the built module, since it changes the process it runs in.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BUILT = fileURLToPath(new URL('../../dist/engine/thread-priority.js', import.meta.url));

const CHILD = `
import { readdirSync, readlinkSync } from 'node:fs';
import { getPriority } from 'node:os';
const { lowerOtherThreadsPriority, HELPER_THREAD_NICE } = await import(process.argv[1]);
const self = Number(readlinkSync('/proc/thread-self').split('/').pop());
const lowered = lowerOtherThreadsPriority();
const again = lowerOtherThreadsPriority();
const others = readdirSync('/proc/self/task').map(Number).filter((tid) => tid !== self);
console.log(JSON.stringify({ lowered, again, nice: HELPER_THREAD_NICE, self: getPriority(self), others: others.map((tid) => getPriority(tid)) }));
`;

describe.runIf(process.platform === 'linux')('lowerOtherThreadsPriority', () => {
  it("lowers every other thread of the process to nice 10 and leaves the caller's at 0, once", () => {
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', CHILD, BUILT], { encoding: 'utf8' })) as {
      lowered: number;
      again: number;
      nice: number;
      self: number;
      others: number[];
    };
    expect(out.nice).toBe(10);
    expect(out.self).toBe(0);
    // node starts V8's platform threads before any script runs
    expect(out.others.length).toBeGreaterThan(0);
    expect(out.lowered).toBe(out.others.length);
    expect(out.others.every((nice) => nice === 10)).toBe(true);
    expect(out.again).toBe(0);
  });

  // SCHED_IDLE needs util-linux's chrt (Debian's essential util-linux has it)
  it.runIf(existsSync('/usr/bin/chrt') || existsSync('/bin/chrt'))(
    'puts the lowered threads in SCHED_IDLE, leaves the caller in SCHED_OTHER, and does it once',
    () => {
      const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', IDLE_CHILD, BUILT], { encoding: 'utf8' })) as {
        before: number[];
        idled: number;
        again: number;
        self: number;
        others: number[];
      };
      // SCHED_OTHER is 0, SCHED_IDLE 5 (field 41 of /proc/<pid>/task/<tid>/stat)
      expect(out.before.every((policy) => policy === 0)).toBe(true);
      expect(out.others.length).toBeGreaterThan(0);
      expect(out.idled).toBe(out.others.length);
      expect(out.others.every((policy) => policy === 5)).toBe(true);
      expect(out.self).toBe(0);
      expect(out.again).toBe(out.idled);
    },
  );
});

const IDLE_CHILD = `
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
const { lowerOtherThreadsPriority, idleLoweredThreads } = await import(process.argv[1]);
const self = Number(readlinkSync('/proc/thread-self').split('/').pop());
const policy = (tid) => Number(readFileSync('/proc/self/task/' + tid + '/stat', 'utf8').split(') ')[1].split(' ')[38]);
const others = () => readdirSync('/proc/self/task').map(Number).filter((tid) => tid !== self);
const before = others().map(policy);
lowerOtherThreadsPriority();
// the shell is unref'd (it never holds a run's process open): a timer keeps this one alive
const alive = setTimeout(() => undefined, 10_000);
const idled = await idleLoweredThreads();
const again = await idleLoweredThreads();
clearTimeout(alive);
console.log(JSON.stringify({ before, idled, again, self: policy(self), others: others().map(policy) }));
`;
