// `perfctl demo`: the bundled demo service in the foreground until Ctrl-C.
import { runDemoMain } from '../demo/demo-main.js';
import type { Io } from '../io.js';

export async function demoCommand(flags: { port: string; host: string; tls?: boolean }, io: Io): Promise<number> {
  return runDemoMain(['--port', flags.port, '--host', flags.host, ...(flags.tls ? ['--tls'] : [])], {
    stdout: { write: (text: string) => io.out(text) },
    stderr: { write: (text: string) => io.err(text) },
    onSignal: (_signal, handler) => void io.onInterrupt(handler),
  });
}
