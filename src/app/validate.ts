// `perfctl validate <file>...`: check profiles and target tables; nothing is sent.
import { formatIssue } from '../errors.js';
import { validateFile } from '../config/load-profile.js';
import { builtinScenariosDir } from '../version.js';
import type { Io } from '../io.js';

export async function validateCommand(files: string[], io: Io): Promise<number> {
  let problems = 0;
  for (const file of files) {
    const { kind, issues } = await validateFile(file, { cwd: io.cwd, env: io.env, builtinDir: builtinScenariosDir });
    if (issues.length === 0) io.out(`ok  ${file} (${kind === 'profile' ? 'profile' : 'target table'})\n`);
    for (const issue of issues) io.err(`${formatIssue(issue)}\n`);
    problems += issues.length;
  }
  if (problems > 0) io.err(`${problems} problem${problems === 1 ? '' : 's'} found\n`);
  return problems > 0 ? 2 : 0;
}
