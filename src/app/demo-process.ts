// `run --demo`: the bundled demo service in a child process on a free loopback port, so the
// load generator and the service do not share one event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PerfctlError, ExitCode } from '../errors.js';
import { packageRoot } from '../version.js';

export interface DemoProcess {
  url: string;
  /** the child's process id (its CPU and memory are monitored during a run) */
  pid?: number;
  stop(): Promise<void>;
}

/** `tls`: HTTPS (h2 or HTTP/1.1 by ALPN) with a certificate the demo makes at start-up */
export async function startDemoProcess(timeoutMs = 10_000, options: { tls?: boolean } = {}): Promise<DemoProcess> {
  const script = join(packageRoot, 'dist', 'demo', 'demo-main.js');
  // imported here: the demo's modules (and ws) are not loaded by runs without --demo
  const { parseDemoReadyLine } = await import('../demo/demo-main.js');
  const child = spawn(process.execPath, [script, '--port', '0', '--host', '127.0.0.1', ...(options.tls ? ['--tls'] : [])], {
    // stdin stays open while perfctl lives: the demo service exits when it closes (kill -9 too)
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, PERFCTL_DEMO_EXIT_WITH_PARENT: '1' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo service did not start within ${timeoutMs} ms`)), timeoutMs);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const found = parseDemoReadyLine(line);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo service exited (code ${code}) before it was ready${stderr ? `: ${stderr.trim()}` : ''}`));
    });
  }).catch((error: Error) => {
    child.kill('SIGKILL');
    throw new PerfctlError(error.message, ExitCode.cannotRun);
  });
  return { url, ...(child.pid !== undefined ? { pid: child.pid } : {}), stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
