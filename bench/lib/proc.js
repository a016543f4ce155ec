// Child processes for the benchmark: finding commands, pinning to a core, measuring a run's
// peak RSS and CPU time, free ports. Every child is bounded in time and killed by its pid.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

export function cpuCount() {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/**
 * How the bench pins processes: the target on core 0, the load tool on core 1.
 * Returns { enabled, note, prefix(core) -> argv prefix }.
 */
export function pinning() {
  const cores = cpuCount();
  if (!hasCommand('taskset')) return { enabled: false, cores, note: 'taskset not found: target and load tool not pinned', prefix: () => [] };
  if (cores < 2) return { enabled: false, cores, note: `${cores} core: target and load tool share it, not pinned`, prefix: () => [] };
  return { enabled: true, cores, note: 'target pinned to core 0, load tool to core 1 (taskset)', prefix: (core) => ['taskset', '-c', String(core)] };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nothing listening on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Busy and total jiffies of all CPUs together, from /proc/stat (null when unreadable). */
export function cpuJiffies() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] || 0);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** Cores busy on average between two cpuJiffies() samples. */
export function busyCoresBetween(a, b) {
  if (!a || !b || b.total <= a.total) return null;
  return Math.round(((b.busy - a.busy) / (b.total - a.total)) * cpuCount() * 100) / 100;
}

/** How many cores other processes keep busy while the bench does nothing, over sampleMs. */
export async function idleMachineLoad(sampleMs = 1000) {
  const a = cpuJiffies();
  await sleep(sampleMs);
  return busyCoresBetween(a, cpuJiffies());
}

const TIME_BIN = '/usr/bin/time';
let clockTicks;
function clockTicksPerSecond() {
  if (clockTicks === undefined) {
    const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    clockTicks = Number(out.stdout?.trim()) || 100;
  }
  return clockTicks;
}

/** How peak RSS and CPU time are measured on this machine. */
export function measureMethod() {
  const probe = spawnSync(TIME_BIN, ['-v', 'true'], { encoding: 'utf8' });
  return probe.status === 0 && /Maximum resident set size/.test(probe.stderr ?? '') ? 'time-v' : 'proc-poll';
}

/**
 * Runs argv (already pinned if wanted) to completion, killing it after timeoutMs, and
 * measures its peak RSS (KiB) and user/sys CPU seconds: with `/usr/bin/time -v` when present,
 * else by polling /proc/<pid>/status (VmHWM) and /proc/<pid>/stat (utime, stime) every 50 ms
 * (which misses at most the last 50 ms of CPU time).
 */
export async function runMeasured(argv, options) {
  const before = cpuJiffies();
  const run = await runMeasuredInner(argv, options);
  // everything the machine did meanwhile (the tool, the target, and anything else running)
  run.machineBusyCores = busyCoresBetween(before, cpuJiffies());
  return run;
}

async function runMeasuredInner(argv, { timeoutMs, cwd, method, tmpDir, env }) {
  const started = performance.now();
  if (method === 'time-v') {
    const timeFile = path.join(tmpDir, `time-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
    const run = await runChild([TIME_BIN, '-v', '-o', timeFile, ...argv], { timeoutMs, cwd, env });
    let text = '';
    try {
      text = readFileSync(timeFile, 'utf8');
      rmSync(timeFile, { force: true });
    } catch {
      // killed before time wrote anything
    }
    const num = (re) => {
      const m = re.exec(text);
      return m ? Number(m[1]) : null;
    };
    // time -v reports "Command exited with non-zero status N" and the child's own status
    return {
      ...run,
      wallMs: performance.now() - started,
      peakRssKb: num(/Maximum resident set size \(kbytes\): (\d+)/),
      userS: num(/User time \(seconds\): ([\d.]+)/),
      sysS: num(/System time \(seconds\): ([\d.]+)/),
      // every thread's sleeps (a blocking wait that gave the core away), from getrusage
      voluntarySwitches: num(/Voluntary context switches: (\d+)/),
      method,
    };
  }
  let peakRssKb = null;
  let userS = null;
  let sysS = null;
  const ticks = clockTicksPerSecond();
  const run = await runChild(argv, {
    timeoutMs,
    cwd,
    env,
    onSpawn(child) {
      const poll = setInterval(() => {
        try {
          const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
          const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
          if (hwm) peakRssKb = Math.max(peakRssKb ?? 0, Number(hwm[1]));
          // fields after the command name in parentheses: state is field 3, utime 14, stime 15
          const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
          const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          userS = Number(fields[11]) / ticks;
          sysS = Number(fields[12]) / ticks;
        } catch {
          // the process has exited
        }
      }, 50);
      child.once('exit', () => clearInterval(poll));
    },
  });
  return { ...run, wallMs: performance.now() - started, peakRssKb, userS, sysS, voluntarySwitches: null, method };
}

/** Runs argv, collecting stdout/stderr; never rejects on a non-zero exit. */
export function runChild(argv, { timeoutMs, cwd, env, onSpawn }) {
  return new Promise((resolve, reject) => {
    // its own process group, so a timeout also ends what it started (time -> taskset -> node)
    const child = spawn(argv[0], argv.slice(1), { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out = [];
    const err = [];
    let timedOut = false;
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.once('error', reject);
    const killer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL');
    }, timeoutMs);
    onSpawn?.(child);
    child.once('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, timedOut, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** Signals a process group we started (detached child), falling back to the process itself. */
export function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
