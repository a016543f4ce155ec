// `monitor:`: samples the service's CPU and resident memory every few seconds during a run.
//
//   { pid: 1234 }    Linux /proc: /proc/<pid>/stat (utime + stime, in clock ticks of 1/100 s)
//                    and /proc/<pid>/status (VmRSS)
//   { url: ... }     a Prometheus text endpoint: process_resident_memory_bytes and
//                    process_cpu_seconds_total (what every Prometheus client library exports)
//
// CPU is the share of one core used between two samples (200% = two cores busy). Samples are
// kept as (time since the start of the run, values): a few numbers every few seconds.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { MonitorSpec } from '../config/types.js';

export interface ResourceSample {
  /** ms since the start of the run */
  atMs: number;
  cpuPercent?: number;
  memoryMB?: number;
}

/** Linux's USER_HZ: /proc reports CPU time in 1/100 s on every architecture it runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

interface RawSample {
  /** performance clock, ms */
  atMs: number;
  /** CPU time used so far, seconds */
  cpuSeconds?: number;
  memoryBytes?: number;
}

export function describeMonitor(spec: MonitorSpec): string {
  return spec.kind === 'pid' ? `pid ${spec.pid}` : spec.url;
}

/** /proc/<pid>/stat: fields after the command name (which may hold spaces and parentheses). */
export function parseProcStat(text: string): { cpuSeconds: number } {
  const after = text.slice(text.lastIndexOf(')') + 2).trim().split(/\s+/);
  // after ") ": state(3) ppid(4) ... utime(14) stime(15): indexes 11 and 12 here
  const utime = Number(after[11]);
  const stime = Number(after[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('unexpected /proc stat format');
  return { cpuSeconds: (utime + stime) / CLOCK_TICKS_PER_SECOND };
}

/** VmRSS of /proc/<pid>/status, bytes. */
export function parseProcStatus(text: string): { memoryBytes: number } {
  const match = /^VmRSS:\s+(\d+)\s*kB/m.exec(text);
  if (!match) throw new Error('no VmRSS in /proc status (a zombie or kernel thread?)');
  return { memoryBytes: Number(match[1]) * 1024 };
}

/** The first sample of each metric in a Prometheus text exposition. */
export function parsePrometheus(text: string): { cpuSeconds?: number; memoryBytes?: number } {
  const found: { cpuSeconds?: number; memoryBytes?: number } = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line.trim());
    if (!match) continue;
    const value = Number(match[3]);
    if (!Number.isFinite(value)) continue;
    if (match[1] === 'process_resident_memory_bytes' && found.memoryBytes === undefined) found.memoryBytes = value;
    if (match[1] === 'process_cpu_seconds_total' && found.cpuSeconds === undefined) found.cpuSeconds = value;
  }
  return found;
}

async function readRaw(spec: MonitorSpec, timeoutMs: number): Promise<Omit<RawSample, 'atMs'>> {
  if (spec.kind === 'pid') {
    const [stat, status] = await Promise.all([readFile(`/proc/${spec.pid}/stat`, 'utf8'), readFile(`/proc/${spec.pid}/status`, 'utf8')]);
    return { ...parseProcStat(stat), ...parseProcStatus(status) };
  }
  const response = await fetch(spec.url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'text/plain' } });
  if (!response.ok) throw new Error(`${spec.url} answered ${response.status}`);
  const found = parsePrometheus(await response.text());
  if (found.cpuSeconds === undefined && found.memoryBytes === undefined) {
    throw new Error(`${spec.url} has neither process_resident_memory_bytes nor process_cpu_seconds_total`);
  }
  return found;
}

function reasonOf(spec: MonitorSpec, error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (spec.kind === 'pid' && e.code === 'ENOENT') return `no process ${spec.pid} (or no /proc on this system)`;
  if (e.name === 'TimeoutError') return `${describeMonitor(spec)} did not answer in time`;
  const cause = (e as { cause?: { code?: string } }).cause?.code;
  return cause ? `${describeMonitor(spec)}: ${cause}` : e.message;
}

export interface ServiceMonitor {
  readonly source: string;
  readonly intervalMs: number;
  /** the first reason a sample could not be read, if any */
  readonly problem: string | undefined;
  /** the latest reading (CPU since the one before), for live exports */
  latest(): { cpuPercent?: number; memoryMB?: number } | undefined;
  /** the samples so far, in ms since `startMs` (checkpoints) */
  samplesSoFar(startMs: number): ResourceSample[];
  /** stops sampling; the samples, in ms since `startMs` (the run's t = 0 on the performance clock) */
  stop(startMs: number): Promise<ResourceSample[]>;
}

/** One sample now: throws with a readable reason when the service cannot be read (checked before a run). */
export async function probeMonitor(spec: MonitorSpec): Promise<string | null> {
  try {
    await readRaw(spec, 2000);
    return null;
  } catch (error) {
    return reasonOf(spec, error);
  }
}

/** Starts sampling now, and every `intervalMs`, on the performance clock (`now`). */
export function startMonitor(spec: MonitorSpec, now: () => number = () => performance.now()): ServiceMonitor {
  const raw: RawSample[] = [];
  let problem: string | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  const sample = (): void => {
    inFlight = inFlight.then(async () => {
      try {
        const values = await readRaw(spec, Math.max(500, Math.min(spec.intervalMs, 2000)));
        raw.push({ atMs: now(), ...values });
      } catch (error) {
        problem ??= reasonOf(spec, error);
      }
    });
  };
  sample();
  const timer = setInterval(sample, spec.intervalMs);
  timer.unref();
  return {
    source: describeMonitor(spec),
    intervalMs: spec.intervalMs,
    get problem() {
      return problem;
    },
    latest() {
      if (raw.length === 0) return undefined;
      const { atMs: _atMs, ...reading } = toSamples(raw.slice(-2), 0).at(-1)!;
      return reading;
    },
    samplesSoFar(startMs: number) {
      return toSamples(raw, startMs);
    },
    async stop(startMs: number) {
      clearInterval(timer);
      sample(); // one last sample at the end of the run
      await inFlight;
      return toSamples(raw, startMs);
    },
  };
}

/** Raw readings -> samples: memory in MB, CPU as the share of a core since the previous reading. */
export function toSamples(raw: RawSample[], startMs: number): ResourceSample[] {
  return raw.map((r, i) => {
    const sample: ResourceSample = { atMs: Math.max(0, r.atMs - startMs) };
    if (r.memoryBytes !== undefined) sample.memoryMB = r.memoryBytes / (1024 * 1024);
    const previous = raw[i - 1];
    if (previous?.cpuSeconds !== undefined && r.cpuSeconds !== undefined && r.atMs > previous.atMs) {
      sample.cpuPercent = Math.max(0, ((r.cpuSeconds - previous.cpuSeconds) / ((r.atMs - previous.atMs) / 1000)) * 100);
    }
    return sample;
  });
}
