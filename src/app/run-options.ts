// Parsing of `run`'s flags into checked values, before anything is loaded or sent.
import { parseDuration } from '../config/duration.js';
import { httpUrlProblem } from '../config/read-values.js';
import { usageError } from '../errors.js';
import { parseFormats, type ReportFormat } from '../report/write-reports.js';
import type { TransportKind } from '../engine/transport.js';
import { parseStartAt, type StartAt } from './start-at.js';
import { parseCheckpoint, parseExportSpecs, parseLinger, type ExportSpec } from '../export/export-spec.js';

export interface RunFlags {
  baseUrl?: string;
  demo?: boolean;
  /** with --demo: the demo over HTTPS */
  tls?: boolean;
  targets?: string;
  duration?: string;
  scale?: string;
  out?: string;
  format?: string;
  baseline?: string;
  tolerance?: string;
  shard?: string;
  shardCount?: string;
  startAt?: string;
  logResult?: boolean;
  quiet?: boolean;
  progress?: boolean;
  workers?: string;
  transport?: string;
  export?: string[];
  exportLinger?: string;
  checkpoint?: string;
  vus?: string;
  rate?: string;
  requests?: string;
  method?: string;
  header?: string[];
  body?: string;
  contentType?: string;
  timeout?: string;
  env?: string[];
  envFile?: string;
  seed?: string;
  label?: string;
  meta?: string[];
  printProfile?: boolean;
  /** --target expressions (repeatable): extra target rows */
  target?: string[];
  insecure?: boolean;
  /** several profiles at the same time, as the scenarios of one run */
  concurrent?: boolean;
}

export interface RunSettings {
  baseUrl?: string;
  demo: boolean;
  /** --demo --tls: the demo over HTTPS (its certificate is accepted, as --insecure) */
  demoTls: boolean;
  targetsFile?: string;
  totalDurationMs?: number;
  scale: number;
  outDir?: string;
  formats: ReportFormat[];
  baselineFile?: string;
  tolerance?: string;
  /** 0-based index; `given` when --shard was set (recorded in the result, even 1/1) */
  shard: { index: number; count: number; given: boolean };
  /** --start-at: the wall-clock instant the load starts */
  startAt?: StartAt;
  /** also print the result to stdout after a marker (for `merge --from-logs`) */
  logResult: boolean;
  quiet: boolean;
  progress: boolean;
  /** worker threads that run the schedule (1 = in the main thread) */
  workers: number;
  transport: TransportKind;
  /** --export, --export-linger, --checkpoint (null: off) */
  exports: ExportSpec[];
  exportLingerMs: number;
  checkpointMs: number | null;
  /** -c / -R: one hold at this level (closed / open model) */
  vus?: number;
  rate?: number;
  /** -n: stop once this many requests (or flow iterations) were sent */
  requestLimit?: number;
  /** the ad-hoc URL flags: -m, -H, -b, -T, --timeout */
  adhoc: { method?: string; headers: string[]; body?: string; contentType?: string; timeoutMs?: number };
  /** -e NAME=value, in the order given */
  env: Record<string, string>;
  envFile?: string;
  /** --seed; when absent the run picks one and records it */
  seed?: number;
  label?: string;
  meta: Record<string, string>;
  printProfile: boolean;
  /** --insecure: accept any TLS certificate */
  insecure: boolean;
}

export function parseRunFlags(flags: RunFlags, env: Record<string, string | undefined> = {}, nowEpochMs = Date.now()): RunSettings {
  const formats = parseFormats(flags.format ?? 'json,html');
  let totalDurationMs: number | undefined;
  if (flags.duration !== undefined) {
    try {
      totalDurationMs = parseDuration(flags.duration);
    } catch (error) {
      throw usageError(`--duration: ${(error as Error).message}`);
    }
    if (totalDurationMs <= 0) throw usageError(`--duration must be longer than 0, got "${flags.duration}"`);
  }
  const scale = flags.scale === undefined ? 1 : Number(flags.scale);
  if (!Number.isFinite(scale) || scale <= 0) throw usageError(`--scale must be a number above 0, got "${flags.scale}"`, 'e.g. --scale 0.5 halves every level');
  if (flags.baseUrl !== undefined) checkUrl(flags.baseUrl);
  if (flags.shardCount !== undefined && flags.shard === undefined) throw usageError('--shard-count goes with --shard k8s');
  if (flags.baseUrl !== undefined && flags.demo) throw usageError('--base-url and --demo cannot be used together', '--demo starts its own service');
  if (flags.tls && !flags.demo) throw usageError('--tls goes with --demo (it starts the demo service over HTTPS)', 'for your own service, put https:// in --base-url');
  return {
    baseUrl: flags.baseUrl,
    demo: Boolean(flags.demo),
    demoTls: Boolean(flags.demo && flags.tls),
    targetsFile: flags.targets,
    totalDurationMs,
    scale,
    outDir: flags.out,
    formats,
    baselineFile: flags.baseline,
    tolerance: flags.tolerance,
    shard: flags.shard === undefined ? { index: 0, count: 1, given: false } : { ...parseShard(flags.shard, flags.shardCount, env), given: true },
    ...(flags.startAt !== undefined ? { startAt: parseStartAt(flags.startAt, nowEpochMs) } : {}),
    logResult: Boolean(flags.logResult),
    quiet: Boolean(flags.quiet),
    progress: flags.progress !== false,
    workers: parseWorkers(flags.workers),
    transport: parseTransport(flags.transport),
    exports: parseExportSpecs(flags.export),
    exportLingerMs: parseLinger(flags.exportLinger),
    checkpointMs: parseCheckpoint(flags.checkpoint),
    ...parseOverrides(flags),
    // the demo's certificate is self-signed, made at its start-up: accepted as --insecure accepts any
    insecure: Boolean(flags.insecure || (flags.demo && flags.tls)),
  };
}

/** whole numbers above 0 for -c and -n; any number above 0 for -R */
function positive(flag: string, text: string | undefined, whole: boolean, example: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (whole && !Number.isInteger(n))) {
    throw usageError(`${flag} must be ${whole ? 'a whole number' : 'a number'} above 0, got "${text}"`, `e.g. ${flag} ${example}`);
  }
  return n;
}

/** `NAME=value` of -e and --meta; the value may hold `=` */
function pairs(flag: string, items: string[] | undefined, name: RegExp, example: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items ?? []) {
    const at = item.indexOf('=');
    const key = at > 0 ? item.slice(0, at) : '';
    if (!name.test(key)) throw usageError(`${flag} "${item}" is not NAME=value`, `e.g. ${flag} ${example}`);
    out[key] = item.slice(at + 1);
  }
  return out;
}

type Overrides = Pick<RunSettings, 'vus' | 'rate' | 'requestLimit' | 'adhoc' | 'env' | 'envFile' | 'seed' | 'label' | 'meta' | 'printProfile'>;

function parseOverrides(flags: RunFlags): Overrides {
  const vus = positive('-c/--vus', flags.vus, true, '50');
  const rate = positive('-R/--rate', flags.rate, false, '200');
  if (vus !== undefined && rate !== undefined) {
    throw usageError('-c/--vus and -R/--rate cannot be used together', '-c runs that many users (closed model), -R starts that many requests a second (open model): pick one');
  }
  const requestLimit = positive('-n/--requests', flags.requests, true, '1000');
  let timeoutMs: number | undefined;
  if (flags.timeout !== undefined) {
    try {
      timeoutMs = parseDuration(flags.timeout);
    } catch (error) {
      throw usageError(`--timeout: ${(error as Error).message}`, 'e.g. --timeout 5s');
    }
    if (timeoutMs <= 0) throw usageError(`--timeout must be longer than 0, got "${flags.timeout}"`);
  }
  let seed: number | undefined;
  if (flags.seed !== undefined) {
    seed = Number(flags.seed);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw usageError(`--seed must be a whole number from 0 to 4294967295, got "${flags.seed}"`);
  }
  return {
    ...(vus !== undefined ? { vus } : {}),
    ...(rate !== undefined ? { rate } : {}),
    ...(requestLimit !== undefined ? { requestLimit } : {}),
    adhoc: {
      ...(flags.method !== undefined ? { method: flags.method } : {}),
      headers: flags.header ?? [],
      ...(flags.body !== undefined ? { body: flags.body } : {}),
      ...(flags.contentType !== undefined ? { contentType: flags.contentType } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    },
    env: pairs('-e/--env', flags.env, /^[A-Za-z_][A-Za-z0-9_]*$/, 'API_KEY=abc'),
    ...(flags.envFile !== undefined ? { envFile: flags.envFile } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(flags.label !== undefined ? { label: flags.label } : {}),
    meta: pairs('--meta', flags.meta, /^[A-Za-z0-9_.-]+$/, 'commit=abc123'),
    printProfile: Boolean(flags.printProfile),
  };
}

/** -m, -H, -b and -T describe the one request of an ad-hoc URL run */
export function refuseAdhocFlagsOnProfile(settings: RunSettings, profileRef: string): void {
  const given = [
    settings.adhoc.method !== undefined ? '-m' : undefined,
    settings.adhoc.headers.length > 0 ? '-H' : undefined,
    settings.adhoc.body !== undefined ? '-b' : undefined,
    settings.adhoc.contentType !== undefined ? '-T' : undefined,
  ].filter((flag): flag is string => flag !== undefined);
  if (given.length > 0) {
    throw usageError(`${given.join(', ')} describe the request of an ad-hoc URL run, not of profile "${profileRef}"`, 'give a URL (perfctl run http://127.0.0.1:8080/path ...), or change the request in the profile');
  }
}

/**
 * `--shard i/n` (1-based), or `--shard k8s`: the index from a Kubernetes Indexed Job's 0-based
 * JOB_COMPLETION_INDEX and the count from --shard-count or PERFCTL_SHARD_COUNT.
 */
export function parseShard(text: string | undefined, countText?: string, env: Record<string, string | undefined> = {}): { index: number; count: number } {
  if (text === undefined) return { index: 0, count: 1 };
  if (text.trim() === 'k8s') return shardFromKubernetes(countText, env);
  if (countText !== undefined) throw usageError('--shard-count goes with --shard k8s', '--shard i/n already names the count');
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw usageError(`--shard must be i/n with 1 ≤ i ≤ n, or k8s, got "${text}"`, 'e.g. --shard 2/4 runs the second of four slices');
  }
  return { index: index - 1, count };
}

function shardFromKubernetes(countText: string | undefined, env: Record<string, string | undefined>): { index: number; count: number } {
  const indexText = env['JOB_COMPLETION_INDEX'];
  if (indexText === undefined || !/^\d+$/.test(indexText.trim())) {
    throw usageError(
      `--shard k8s needs JOB_COMPLETION_INDEX (0-based), ${indexText === undefined ? 'which is not set' : `got "${indexText}"`}`,
      'Kubernetes sets it in the pods of an Indexed Job (completionMode: Indexed); elsewhere use --shard i/n',
    );
  }
  const source = countText !== undefined ? '--shard-count' : 'PERFCTL_SHARD_COUNT';
  const raw = countText ?? env['PERFCTL_SHARD_COUNT'];
  if (raw === undefined) throw usageError('--shard k8s needs the number of shards', 'pass --shard-count <n> (the Job\'s completions) or set PERFCTL_SHARD_COUNT');
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1) throw usageError(`${source} must be a whole number of at least 1, got "${raw}"`);
  const index = Number(indexText);
  if (index >= count) throw usageError(`JOB_COMPLETION_INDEX ${index} is not below the shard count ${count} (${source})`, 'the count is the Job\'s completions');
  return { index, count };
}

function parseTransport(text: string | undefined): TransportKind {
  if (text === undefined || text === 'raw' || text === 'undici') return text ?? 'raw';
  throw usageError(`--transport must be raw or undici, got "${text}"`);
}

function parseWorkers(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw usageError(`--workers must be a whole number from 1 to 64, got "${text}"`);
  return n;
}

function checkUrl(text: string): void {
  const problem = httpUrlProblem(text);
  if (problem) throw usageError(`--base-url: ${problem.message}`, problem.hint ?? 'e.g. --base-url http://127.0.0.1:8080');
}

/** `perf-results/<profile>-<YYYYMMDD-HHMMSS>/` in local time. */
export function defaultOutDir(profileName: string, now: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `perf-results/${profileName.replace(/[^\w.-]+/g, '_')}-${stamp}`;
}
