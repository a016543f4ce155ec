// Script entry of the demo service: `node dist/demo/demo-main.js [--port N] [--host H] [--seed S] [--tls]`.
// Prints exactly one line, `perfctl demo listening on <url>`, to stdout once it accepts connections
// (`run --demo` reads that line to learn the URL), and exits cleanly on SIGINT or SIGTERM.

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startDemoServer, type DemoServerOptions } from './demo-server.js';

export const DEMO_READY_PREFIX = 'perfctl demo listening on ';

/** Pulls the URL out of the ready line, or null when the line is something else. */
export function parseDemoReadyLine(line: string): string | null {
  const trimmed = line.trim();
  return trimmed.startsWith(DEMO_READY_PREFIX) ? trimmed.slice(DEMO_READY_PREFIX.length) : null;
}

export type DemoArgs =
  | { ok: true; options: Required<Pick<DemoServerOptions, 'port' | 'host'>> & Pick<DemoServerOptions, 'seed' | 'tls'> }
  | { ok: false; message: string };

export function parseDemoArgs(argv: string[]): DemoArgs {
  let values: { port?: string; host?: string; seed?: string; tls?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { port: { type: 'string' }, host: { type: 'string' }, seed: { type: 'string' }, tls: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return { ok: false, message: `--port must be an integer from 0 to 65535, got "${values.port}"` };
  }
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) {
    return { ok: false, message: `--seed must be an integer, got "${values.seed}"` };
  }
  return { ok: true, options: { port, host: values.host ?? '127.0.0.1', seed, ...(values.tls ? { tls: true } : {}) } };
}

export interface DemoMainIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** the process signals, or a test double */
  onSignal(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
}

/** Runs the demo service until a signal arrives; resolves to the exit code. */
export async function runDemoMain(argv: string[], io: DemoMainIo): Promise<number> {
  const args = parseDemoArgs(argv);
  if (!args.ok) {
    io.stderr.write(`perfctl demo: ${args.message}\nusage: perfctl demo [--port N] [--host H] [--seed S] [--tls]\n`);
    return 2;
  }
  let server;
  try {
    server = await startDemoServer(args.options);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const hint = code === 'EADDRINUSE' ? ' (the port is taken; pick another with --port, or 0 for a free one)' : '';
    io.stderr.write(`perfctl demo: cannot listen on ${args.options.host}:${args.options.port}: ${message}${hint}\n`);
    return 3;
  }
  const running = server;
  io.stdout.write(`${DEMO_READY_PREFIX}${running.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    io.onSignal('SIGINT', stop);
    io.onSignal('SIGTERM', stop);
  });
  await running.close();
  return 0;
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // started by `run --demo`: the parent holds our stdin open; when it goes (even by kill -9)
  // the pipe closes and the demo service stops with it instead of living on as an orphan
  if (process.env['PERFCTL_DEMO_EXIT_WITH_PARENT'] === '1') {
    process.stdin.on('close', () => process.kill(process.pid, 'SIGTERM'));
    process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
    process.stdin.resume();
    process.stdin.unref?.();
  }
  // (no top-level await: this module is also bundled into the CLI's CommonJS bundle)
  void runDemoMain(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    onSignal: (signal, handler) => process.once(signal, handler),
  }).then((code) => {
    process.exitCode = code;
  });
}
