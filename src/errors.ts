// Errors that carry their exit code and a hint (after k6's errext): main() is the one
// place that turns them into a message and a code.

export const ExitCode = {
  ok: 0,
  failed: 1,
  invalidInput: 2,
  cannotRun: 3,
  inconclusive: 4,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** One problem in an input file, printed as `file:line:col: path.to.field: message (hint)`. */
export interface InputIssue {
  file: string;
  line: number;
  col: number;
  /** dotted path of the field, e.g. `stages.1.duration`; empty for the whole file */
  path: string;
  message: string;
  hint?: string;
}

export function formatIssue(issue: InputIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.col}`;
  const field = issue.path ? `${issue.path}: ` : '';
  const hint = issue.hint ? ` (${issue.hint})` : '';
  return `${where}: ${field}${issue.message}${hint}`;
}

/** Invalid input: every problem found, reported together; exit 2, nothing sent. */
export class InputError extends Error {
  readonly exitCode = ExitCode.invalidInput;
  constructor(readonly issues: InputIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'InputError';
  }
}

/** A failure with its own exit code and an optional hint for the user. */
export class PerfctlError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'PerfctlError';
  }
}

/** Convenience for an input problem that is not tied to a position in a file (a flag, a missing file). */
export function usageError(message: string, hint?: string): PerfctlError {
  return new PerfctlError(message, ExitCode.invalidInput, hint);
}
