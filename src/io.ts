// Everything perfctl takes from the process, in one object, so commands can be tested
// without touching the real one (after k6's GlobalState).
export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** stdout is a terminal: live line, colours */
  isTTY: boolean;
  /** colours allowed: a TTY and no NO_COLOR */
  color: boolean;
  /** the terminal's width in columns, when stdout is a terminal */
  columns?(): number | undefined;
  /** call `handler` on SIGINT/SIGTERM; returns a function that removes it */
  onInterrupt(handler: (signal: string) => void): () => void;
}

export function nodeIo(): Io {
  const isTTY = Boolean(process.stdout.isTTY);
  const noColor = process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '';
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    isTTY,
    color: isTTY && !noColor && process.env['FORCE_COLOR'] !== '0',
    columns: () => (isTTY ? process.stdout.columns : undefined),
    onInterrupt(handler) {
      const onSigint = (): void => handler('SIGINT');
      const onSigterm = (): void => handler('SIGTERM');
      process.on('SIGINT', onSigint);
      process.on('SIGTERM', onSigterm);
      return () => {
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigterm);
      };
    },
  };
}
