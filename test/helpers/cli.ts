// Runs the built CLI (bin/perfctl.js -> dist/) in a child process, as a user would, and
// collects its exit code and output. For the end-to-end tests in test/integration/cli-*.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Result } from '../../src/result/types.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const cliPath = join(repoRoot, 'bin', 'perfctl.js');
export const builtMain = join(repoRoot, 'dist', 'cli', 'main.js');

export interface CliRun {
  /** the exit code; a child killed by a signal reports 128 + the signal's number */
  code: number;
  /** the signal that killed the child, if one did (its own handler did not catch it) */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** wall time from spawn to exit */
  elapsedMs: number;
  /** with signalAfterMs: wall time from the signal to the exit */
  exitAfterSignalMs?: number;
}

export interface CliOptions {
  cwd?: string;
  /** added to a minimal environment (PATH, HOME, NO_COLOR=1): nothing leaks in from the test runner */
  env?: Record<string, string>;
  /**
   * send a signal `ms` after the spawn, or (from: 'stdout') after the child's first output:
   * `run` prints its banner just before the load starts, so a slow start-up cannot eat the wait
   */
  signalAfterMs?: { signal: 'SIGINT' | 'SIGTERM' | 'SIGKILL'; ms: number; from?: 'spawn' | 'stdout' };
  /** kill the child (SIGKILL) and fail after this long; default 30 s */
  timeoutMs?: number;
}

/** Fails with a clear message when the CLI has not been built (`npm test` builds first). */
export function assertBuilt(): void {
  if (!existsSync(builtMain)) {
    throw new Error(`${builtMain} is missing: run \`npm run build\` before these tests (\`npm test\` does it)`);
  }
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  const env: Record<string, string> = { NO_COLOR: '1' };
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SYSTEMROOT']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  Object.assign(env, opts.env ?? {});
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: opts.cwd ?? repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let signaller: NodeJS.Timeout | undefined;
    let signalledAt: number | undefined;
    const armSignal = (): void => {
      if (opts.signalAfterMs && !signaller) {
        signaller = setTimeout(() => {
          signalledAt = performance.now();
          child.kill(opts.signalAfterMs!.signal);
        }, opts.signalAfterMs.ms);
      }
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (opts.signalAfterMs?.from === 'stdout') armSignal();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let timedOut = false;
    const killer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    if (opts.signalAfterMs?.from !== 'stdout') armSignal();
    child.on('error', (error) => {
      clearTimeout(killer);
      if (signaller) clearTimeout(signaller);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      if (signaller) clearTimeout(signaller);
      const elapsedMs = performance.now() - started;
      if (timedOut) {
        reject(new Error(`perfctl ${args.join(' ')} did not finish within ${timeoutMs} ms\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
        return;
      }
      const signalCode = signal ? 128 + (constants.signals[signal] ?? 0) : 1;
      resolvePromise({ code: code ?? signalCode, signal, stdout, stderr, elapsedMs, ...(signalledAt !== undefined ? { exitAfterSignalMs: performance.now() - signalledAt } : {}) });
    });
  });
}

/** Writes `<dir>/<name>` (a profile or target table; `.yaml` added when it has no extension) and returns its path. */
export function writeProfile(dir: string, name: string, yamlText: string): string {
  const file = join(dir, /\.ya?ml$/.test(name) ? name : `${name}.yaml`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, yamlText);
  return file;
}

/** A fresh temporary directory; remove it with `removeTempDir`. */
export function makeTempDir(prefix = 'perfctl-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeTempDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export function readResultFile(dir: string): Result {
  return JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as Result;
}

/** Output of a run, for assertion messages. */
export function describeRun(run: CliRun): string {
  return `exit ${run.code}${run.signal ? ` (${run.signal})` : ''} after ${Math.round(run.elapsedMs)} ms\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

/**
 * The exit code a run must have: `code`, or 4 when perfctl recorded that it did not keep its own
 * schedule (`generator.problem`, with starts late or never made). A short run on a loaded machine
 * can start more than 5% of its few requests over 50 ms late, and then perfctl rightly calls the
 * run inconclusive (SPEC §1); a test of something else holds it to the code it says it had.
 */
export function exitCodeFor(result: Result, code: number): number {
  const g = result.generator;
  return g?.problem !== undefined && g.late + g.undelivered > 0 ? 4 : code;
}

/** A port that was free a moment ago and has nothing listening on it now. */
export async function closedPort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolvePromise, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePromise(port));
    });
  });
}
