// `perfctl run a.yaml b.yaml --concurrent`: the profiles run at the same time, as the scenarios
// of one run (one result). Each profile becomes a scenario named after it (a profile with
// scenarios gives each of its own, as `<profile>.<scenario>`), against its own service unless
// --base-url or --demo points them all at one, with its target rows judging that scenario and its
// setup and teardown steps run before and after the load, its captures for its own templates.
import { usageError } from '../errors.js';
import { commonModel } from '../config/normalise-scenarios.js';
import type { Profile, ScenarioSpec, TargetRow } from '../config/types.js';

export interface ConcurrentOptions {
  /** --base-url or --demo: every scenario goes to the one service */
  oneService: boolean;
}

/** A unique name among `taken`: the name, else name-2, name-3... (a `/` would read as a scenario's stage) */
function uniqueName(wanted: string, taken: Set<string>): string {
  const name = wanted.replace(/\//g, '-');
  let unique = name;
  for (let n = 2; taken.has(unique); n++) unique = `${name}-${n}`;
  taken.add(unique);
  return unique;
}

/** One profile's scenarios (itself, or its own), renamed to be unique in the run. */
function scenariosOf(profile: Profile, taken: Set<string>, options: ConcurrentOptions): { scenarios: ScenarioSpec[]; renamed: Map<string | undefined, string> } {
  const own = {
    ...(options.oneService ? {} : { baseUrl: profile.baseUrl }),
    ...(profile.http !== undefined ? { http: profile.http } : {}),
    ...(profile.httpVersion !== undefined ? { httpVersion: profile.httpVersion } : {}),
  };
  const renamed = new Map<string | undefined, string>();
  if (profile.scenarios) {
    const scenarios = profile.scenarios.map((scenario) => {
      const name = uniqueName(`${profile.name}.${scenario.name}`, taken);
      renamed.set(scenario.name, name);
      return { ...scenario, ...own, name };
    });
    return { scenarios, renamed };
  }
  const name = uniqueName(profile.name, taken);
  renamed.set(undefined, name);
  const scenario: ScenarioSpec = {
    name,
    description: profile.description,
    model: profile.model,
    stages: profile.stages,
    startAfterMs: 0,
    requests: profile.requests,
    flows: profile.flows,
    data: profile.data,
    thinkTime: profile.thinkTime,
    timeoutMs: profile.timeoutMs,
    maxInFlight: profile.maxInFlight,
    // its setup runs before the load, against its own service; its captures are its own
    ...(profile.setup ? { setup: profile.setup } : {}),
    ...(profile.teardown ? { teardown: profile.teardown } : {}),
    ...own,
  };
  return { scenarios: [scenario], renamed };
}

/**
 * A row of one profile judges that profile's scenario (or, for a profile with scenarios, the one
 * it names; a row over all of such a profile is refused: the run has other scenarios too).
 */
function rowsOf(profile: Profile, renamed: Map<string | undefined, string>, rowNames: Set<string>): TargetRow[] {
  return profile.targets.map((row) => {
    const scenario = renamed.get(row.scenario);
    if (scenario === undefined) {
      throw usageError(
        `--concurrent: target row "${row.name}" of profile "${profile.name}" judges all of its scenarios, but the run has other profiles' too`,
        'give the row a `scenario:`, or run that profile on its own',
      );
    }
    const name = rowNames.has(row.name) ? uniqueName(`${row.name} (${profile.name})`, rowNames) : uniqueName(row.name, rowNames);
    return { ...row, name, scenario };
  });
}

/** The profiles as the scenarios of one profile; refused (exit 2) where they cannot run at once. */
export function concurrentProfile(profiles: readonly Profile[], options: ConcurrentOptions): Profile {
  const once = profiles.find((p) => p.scenarios !== undefined && (p.setup !== undefined || p.teardown !== undefined));
  if (once) throw usageError(`--concurrent: profile "${once.name}" has scenarios and setup or teardown steps, which run once around all of its scenarios`, 'run it on its own, or one after another without --concurrent');
  const watched = profiles.find((p) => p.stopOnBreak === true);
  if (watched) throw usageError(`--concurrent: profile "${watched.name}" stops at its breaking point (stopOnBreak), which needs a run of its own`, 'run it on its own');
  const taken = new Set<string>();
  const rowNames = new Set<string>();
  const scenarios: ScenarioSpec[] = [];
  const targets: TargetRow[] = [];
  for (const profile of profiles) {
    const own = scenariosOf(profile, taken, options);
    scenarios.push(...own.scenarios);
    targets.push(...rowsOf(profile, own.renamed, rowNames));
  }
  const first = profiles[0]!;
  const sources = [...new Set(profiles.map((p) => p.targetsSource).filter((s): s is string => s !== null))];
  return {
    name: profiles.map((p) => p.name).join('+'),
    description: `${profiles.length} profiles at once: ${profiles.map((p) => p.name).join(', ')}`,
    source: profiles.map((p) => p.source).join(' + '),
    baseUrl: first.baseUrl,
    model: commonModel(scenarios.map((s) => s.model)),
    stages: [],
    requests: [],
    flows: [],
    data: [],
    timeoutMs: first.timeoutMs,
    thinkTime: first.thinkTime,
    maxInFlight: first.maxInFlight,
    targets,
    targetsSource: sources.length === 0 ? null : sources.join(', '),
    secrets: [...new Set(profiles.flatMap((p) => p.secrets))],
    ...(first.monitor ? { monitor: first.monitor } : {}),
    scenarios,
  };
}
