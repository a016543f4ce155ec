// `perfctl validate <file>...`: check profiles and target tables; nothing is sent.
import { formatIssue } from '../errors.js';
import { loadProfile, validateFile } from '../config/load-profile.js';
import { evidenceLines } from './run-evidence.js';
import { builtinScenariosDir } from '../version.js';
import type { Io } from '../io.js';

export async function validateCommand(files: string[], io: Io, flags: { targets?: string; demo?: boolean } = {}): Promise<number> {
  let problems = 0;
  for (const file of files) {
    // --demo: as run --demo, whose demo service gives the base URL and is monitored
    const targets = { ...(flags.targets !== undefined ? { targetsFile: flags.targets } : {}), ...(flags.demo === true ? { demo: true, baseUrl: 'http://127.0.0.1:1' } : {}) };
    const { kind, issues } = await validateFile(file, { cwd: io.cwd, env: io.env, builtinDir: builtinScenariosDir, ...targets });
    if (issues.length === 0) io.out(`ok  ${file} (${kind === 'profile' ? 'profile' : 'target table'})\n`);
    if (issues.length === 0 && kind === 'profile') {
      // what the checks will have to go on, at the profile's own length
      const profile = await loadProfile(file, { cwd: io.cwd, env: io.env, builtinDir: builtinScenariosDir, ...targets });
      for (const line of evidenceLines(profile)) io.out(`    ${line}\n`);
    }
    for (const issue of issues) io.err(`${formatIssue(issue)}\n`);
    problems += issues.length;
  }
  if (problems > 0) io.err(`${problems} problem${problems === 1 ? '' : 's'} found\n`);
  return problems > 0 ? 2 : 0;
}
