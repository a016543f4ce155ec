// `run --demo` killed with SIGKILL (an OOM kill, a CI timeout): the demo service goes with it.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBuilt, makeTempDir, removeTempDir } from '../helpers/cli.js';

const childrenOf = (pid: number): number[] =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        // the parent pid is the 4th field of /proc/<pid>/stat, after the parenthesised name
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
/** running: a process that exited but was not reaped yet (a zombie, state Z) counts as gone */
const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('run --demo under SIGKILL', () => {
  it('the demo service exits when perfctl is killed with -9', async () => {
    assertBuilt();
    const dir = makeTempDir();
    const perfctl = spawn(process.execPath, [join(process.cwd(), 'bin/perfctl.js'), 'run', 'normal', '--demo', '-d', '30s', '--no-progress', '--out', join(dir, 'out')], { stdio: 'ignore' });
    let demo: number | undefined;
    for (let waited = 0; demo === undefined && waited < 15_000; waited += 200) {
      await sleep(200);
      demo = childrenOf(perfctl.pid!).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('demo-main.js'));
    }
    expect(demo, 'the demo service started').toBeDefined();
    perfctl.kill('SIGKILL');
    let waited = 0;
    while (alive(demo!) && waited < 8000) {
      await sleep(100);
      waited += 100;
    }
    const orphan = alive(demo!);
    if (orphan) process.kill(demo!, 'SIGKILL');
    removeTempDir(dir);
    expect(orphan, 'the demo service outlived perfctl').toBe(false);
  });
});
