// `-c/--vus` and `-R/--rate` on any profile (k6's --vus, hey's -c, wrk2's -R): the stages are
// replaced by one hold at that level for the profile's length (or -d). A flag that cannot keep
// what the profile says is refused with the reason (exit 2), before anything is sent.

import { usageError } from '../errors.js';
import { formatDuration } from './duration.js';
import type { Profile } from './types.js';

export interface LoadOverrides {
  vus?: number;
  rate?: number;
  /** -d: the length of the hold (else the profile's own) */
  durationMs?: number;
}

export const holdStageName = 'hold';

export function applyLoadOverrides(profile: Profile, overrides: LoadOverrides): Profile {
  const { vus, rate } = overrides;
  if (vus !== undefined && rate !== undefined) {
    throw usageError('-c/--vus and -R/--rate cannot be used together', '-c runs that many users (closed model), -R starts that many requests a second (open model): pick one');
  }
  if (vus === undefined && rate === undefined) return profile;
  if (profile.scenarios !== undefined) {
    throw usageError(`${rate !== undefined ? '-R/--rate' : '-c/--vus'} replaces a profile's stages, but profile "${profile.name}" has scenarios, each with its own`, 'use --scale to multiply every scenario\'s level, or -d to fit the run to a length');
  }
  const model = rate !== undefined ? 'open' : 'closed';
  const level = (rate ?? vus)!;
  if (model === 'open' && profile.model === 'closed') refuseRateOnThinkingUsers(profile);
  const durationMs = overrides.durationMs ?? profile.stages.reduce((sum, stage) => sum + stage.durationMs, 0);
  const flag = rate !== undefined ? '-R' : '-c';
  for (const row of profile.targets) {
    if (row.phase !== null && row.phase !== holdStageName) {
      throw usageError(
        `${flag} replaces the stages by one "${holdStageName}" stage, but target row "${row.name}" judges phase "${row.phase}"`,
        `run without ${flag}, or use --targets with rows for the whole run`,
      );
    }
  }
  return {
    ...profile,
    model,
    stages: [{ name: holdStageName, durationMs, fromLevel: level, toLevel: level }],
    // a staircase's breaking point needs its steps
    stopOnBreak: false,
  };
}

/** -R on users that think: arrivals on a schedule cannot keep a user's pauses */
function refuseRateOnThinkingUsers(profile: Profile): void {
  const thinkSteps = profile.flows.flatMap((flow) => flow.steps.filter((step) => step.kind === 'think').map(() => flow.name));
  if (profile.thinkTime.maxMs > 0) {
    throw usageError(
      `-R/--rate starts requests on a schedule, but profile "${profile.name}" has users that think ${formatDuration(profile.thinkTime.maxMs)} between iterations`,
      'use -c/--vus for a number of users, or remove `thinkTime` to run it as an open model',
    );
  }
  if (thinkSteps.length > 0) {
    throw usageError(
      `-R/--rate starts requests on a schedule, but flow "${thinkSteps[0]}" of profile "${profile.name}" has think steps that pace its users`,
      'use -c/--vus for a number of users',
    );
  }
}
