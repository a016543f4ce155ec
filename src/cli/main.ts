// main(argv, io) -> exit code: the commander program, and the one place where errors
// become a message and a code. Each command maps its flags to one app call.
import { Command, CommanderError, Option } from 'commander';
import { ExitCode, InputError, PerfctlError } from '../errors.js';
import { version } from '../version.js';
import type { Io } from '../io.js';
import { registerCommands } from './commands.js';

export async function main(argv: string[], io: Io): Promise<number> {
  const debug = argv.includes('--debug');
  let exitCode: number = ExitCode.ok;
  const program = new Command('perfctl')
    .description('Load-test and benchmark HTTP services: YAML load profiles, truthful latency, target tables, reports.')
    .version(version, '-V, --version')
    .addOption(new Option('--debug', 'print stack traces of internal errors'))
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  registerCommands(program, io, (code) => (exitCode = code));
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, io, debug);
  }
}

function reportError(error: unknown, io: Io, debug: boolean): number {
  if (error instanceof CommanderError) {
    // help and version end with code 0; commander has already printed its message
    if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
    return ExitCode.invalidInput;
  }
  if (error instanceof InputError) {
    io.err(`${error.message}\n`);
    if (debug) io.err(`${error.stack}\n`);
    return ExitCode.invalidInput;
  }
  if (error instanceof PerfctlError) {
    io.err(`perfctl: ${error.message}\n`);
    if (error.hint) io.err(`  hint: ${error.hint}\n`);
    if (debug) io.err(`${error.stack}\n`);
    return error.exitCode;
  }
  const err = error as Error;
  io.err(`perfctl: internal error: ${err?.message ?? String(error)}\n`);
  io.err(debug ? `${err?.stack}\n` : '  (run again with --debug for a stack trace)\n');
  return ExitCode.cannotRun;
}
