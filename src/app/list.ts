// `perfctl list`: the profiles available here, ./scenarios/ first, then the built-ins, each with
// the pre-flight evidence of its checks at its own length (the same lines validate and the run
// banner print).
import { formatDuration } from '../config/duration.js';
import { listProfiles, loadProfile } from '../config/load-profile.js';
import { buildPlan } from '../engine/plan.js';
import { describeEvidence } from '../judge/preflight.js';
import { builtinScenariosDir } from '../version.js';
import type { Io } from '../io.js';

/** The evidence lines of a profile, or none when it cannot be loaded (list shows broken profiles too). */
async function evidenceOf(ref: string, io: Io): Promise<string[]> {
  try {
    // any base URL will do: nothing is sent
    const profile = await loadProfile(ref, { cwd: io.cwd, env: io.env, builtinDir: builtinScenariosDir, baseUrl: 'http://127.0.0.1:1' });
    return describeEvidence(profile, buildPlan(profile.model, profile.stages));
  } catch {
    return [];
  }
}

export async function listCommand(io: Io): Promise<number> {
  const profiles = await listProfiles({ cwd: io.cwd, builtinDir: builtinScenariosDir });
  const width = Math.max(4, ...profiles.map((p) => p.name.length));
  for (const p of profiles) {
    const where = p.source === 'builtin' ? 'built-in' : p.source;
    const model = p.model ?? 'invalid';
    const total = p.totalMs === null ? '?' : formatDuration(p.totalMs);
    io.out(`${p.name.padEnd(width)}  ${model.padEnd(7)}  ${total.padStart(7)}  ${p.description}  [${where}]\n`);
    const evidence = p.model === null ? [] : await evidenceOf(p.source === 'builtin' ? p.name : p.source, io);
    for (const line of evidence) io.out(`${' '.repeat(width + 2)}${line}\n`);
  }
  return 0;
}
