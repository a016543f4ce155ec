// `perfctl run a.yaml b.yaml ...`: several profiles one after another, each into its own result
// folder under one directory, then one sign-off report over all of them. Every profile is
// checked before the first is run, so a typo in the last one costs no load.
import { existsSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { isUrlRef } from '../config/adhoc-profile.js';
import { ExitCode, usageError } from '../errors.js';
import { reportCommand } from './report.js';
import { resolveRunInputs } from './run-inputs.js';
import { defaultOutDir, parseRunFlags, type RunFlags } from './run-options.js';
import { concurrentProfile } from './run-concurrent.js';
import { runCommand } from './run.js';
import type { Io } from '../io.js';

/** the run's exit code from its profiles': interrupted, could not run, failed, inconclusive, passed */
const precedence = [ExitCode.interrupted, ExitCode.cannotRun, ExitCode.invalidInput, ExitCode.failed, ExitCode.inconclusive, ExitCode.ok] as number[];

export function combinedExitCode(codes: readonly number[]): number {
  return precedence.find((code) => codes.includes(code)) ?? Math.max(...codes);
}

/** a folder name for the i-th profile: its file's base name, or the URL's host and path */
export function folderFor(ref: string, index: number): string {
  const name = isUrlRef(ref) ? ref.replace(/^https?:\/\//i, '') : basename(ref, extname(ref));
  return `${index + 1}-${name.replace(/[^\w.-]+/g, '_').slice(0, 60)}`;
}

export async function runManyCommand(refs: string[], flags: RunFlags, io: Io): Promise<number> {
  const settings = parseRunFlags(flags, io.env);
  const single = [flags.baseline !== undefined ? '--baseline' : undefined, (flags as { repeat?: string }).repeat !== undefined ? '--repeat' : undefined].filter(Boolean);
  if (single.length > 0) throw usageError(`${single.join(' and ')} compare one profile's runs; give one profile`, 'run each profile on its own with --baseline or --repeat');
  const inputs = [];
  for (const ref of refs) inputs.push(await resolveRunInputs(ref, flags, settings, io));
  if (flags.concurrent === true) {
    // one run: the profiles are its scenarios, started together, one result
    const profile = concurrentProfile(inputs.map((i) => i.profile), { oneService: settings.baseUrl !== undefined || settings.demo });
    const first = inputs[0]!;
    return runCommand(profile.name, flags, io, { ...first, profile, record: { ...first.record, options: { ...first.record.options, profiles: refs } } });
  }
  if (settings.printProfile) {
    for (const ref of refs) await runCommand(ref, flags, io);
    return ExitCode.ok;
  }
  const base = resolve(io.cwd, settings.outDir ?? defaultOutDir('signoff', new Date()));
  const codes: number[] = [];
  const results: string[] = [];
  for (const [index, ref] of refs.entries()) {
    const out = join(base, folderFor(ref, index));
    if (!settings.quiet) io.out(`\n[${index + 1}/${refs.length}] ${ref}\n`);
    codes.push(await runCommand(ref, { ...flags, out }, io));
    if (existsSync(join(out, 'result.json'))) results.push(join(out, 'result.json'));
    if (codes[codes.length - 1] === ExitCode.interrupted) break;
  }
  if (results.length > 0) await reportCommand(results, { out: base, format: 'html,junit,md' }, settings.quiet ? { ...io, out: () => undefined } : io);
  return combinedExitCode(codes);
}
