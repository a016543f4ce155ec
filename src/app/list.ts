// `perfctl list`: the profiles available here, ./scenarios/ first, then the built-ins.
import { formatDuration } from '../config/duration.js';
import { listProfiles } from '../config/load-profile.js';
import { builtinScenariosDir } from '../version.js';
import type { Io } from '../io.js';

export async function listCommand(io: Io): Promise<number> {
  const profiles = await listProfiles({ cwd: io.cwd, builtinDir: builtinScenariosDir });
  const width = Math.max(4, ...profiles.map((p) => p.name.length));
  for (const p of profiles) {
    const where = p.source === 'builtin' ? 'built-in' : p.source;
    const model = p.model ?? 'invalid';
    const total = p.totalMs === null ? '?' : formatDuration(p.totalMs);
    io.out(`${p.name.padEnd(width)}  ${model.padEnd(7)}  ${total.padStart(7)}  ${p.description}  [${where}]\n`);
  }
  return 0;
}
