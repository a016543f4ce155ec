// What `perfctl run` is given, resolved before anything is sent: the profile (a file, a name or
// an ad-hoc URL), the values for ${NAME} (-e, --env-file, the environment), the overrides
// (-c, -R, -n, --timeout), the seed, and the record of it all that result.json keeps (`run`).

import { randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import { adhocProfileYaml, isUrlRef } from '../config/adhoc-profile.js';
import { parseDotenv } from '../config/dotenv.js';
import { isSecretName } from '../config/env.js';
import { readInputFile } from '../config/files.js';
import { loadProfile } from '../config/load-profile.js';
import { applyLoadOverrides } from '../config/overrides.js';
import { InputError } from '../errors.js';
import { builtinScenariosDir } from '../version.js';
import { refuseAdhocFlagsOnProfile, type RunFlags, type RunSettings } from './run-options.js';
import type { Profile } from '../config/types.js';
import type { Io } from '../io.js';

/** result.json `run`: everything the run was given, secrets redacted */
export interface RunRecord {
  options: Record<string, unknown>;
  label?: string;
  meta?: Record<string, string>;
}

export interface RunInputs {
  profile: Profile;
  /** the ad-hoc profile's YAML (perfctl run <URL>) */
  adhocYaml?: string;
  /** the seed of every random choice (given, or picked now and recorded) */
  seed: number;
  record: RunRecord;
}

/** -n without -d on a URL: run until the n-th request (hey's -n), at most this long */
const REQUEST_LIMIT_CAP_MS = 3_600_000;

export async function resolveRunInputs(profileRef: string, flags: RunFlags, settings: RunSettings, io: Io): Promise<RunInputs> {
  const env = await runEnv(settings, io);
  const adhoc = isUrlRef(profileRef);
  if (!adhoc) refuseAdhocFlagsOnProfile(settings, profileRef);
  const adhocYaml = adhoc ? await adhocProfileYaml(profileRef, { ...settings.adhoc, ...adhocLoad(settings) }, io.cwd) : undefined;
  let profile = await loadProfile(profileRef, {
    cwd: io.cwd,
    env,
    builtinDir: builtinScenariosDir,
    ...(adhocYaml !== undefined ? { text: adhocYaml } : {}),
    ...(settings.targetsFile ? { targetsFile: settings.targetsFile } : {}),
    ...(settings.demo ? { demo: true } : {}),
    // --demo replaces the base URL once the demo is up; until then any valid URL will do
    ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : settings.demo ? { baseUrl: 'http://127.0.0.1:1' } : {}),
  });
  if (!adhoc) {
    profile = applyLoadOverrides(profile, {
      ...(settings.vus !== undefined ? { vus: settings.vus } : {}),
      ...(settings.rate !== undefined ? { rate: settings.rate } : {}),
      ...(settings.totalDurationMs !== undefined ? { durationMs: settings.totalDurationMs } : {}),
    });
    if (settings.adhoc.timeoutMs !== undefined) profile = { ...profile, timeoutMs: settings.adhoc.timeoutMs };
  }
  const seed = settings.seed ?? randomInt(0, 2 ** 32 - 1);
  return { profile, ...(adhocYaml !== undefined ? { adhocYaml } : {}), seed, record: runRecord(flags, settings, seed, profile) };
}

/** -c / -R / -d of an ad-hoc run; -n without -d runs until the n-th request */
function adhocLoad(settings: RunSettings): { vus?: number; rate?: number; durationMs?: number } {
  const level = settings.rate !== undefined ? { rate: settings.rate } : settings.vus !== undefined ? { vus: settings.vus } : {};
  let durationMs = settings.totalDurationMs;
  if (durationMs === undefined && settings.requestLimit !== undefined) {
    // open model: exactly the time the n arrivals take; closed: until the n-th is sent
    durationMs = settings.rate !== undefined ? Math.ceil((settings.requestLimit / settings.rate) * 1000) : REQUEST_LIMIT_CAP_MS;
  }
  return { ...level, ...(durationMs !== undefined ? { durationMs } : {}) };
}

/** --env-file, then the environment, then -e (each later one wins) */
async function runEnv(settings: RunSettings, io: Io): Promise<Record<string, string | undefined>> {
  let fromFile: Record<string, string> = {};
  if (settings.envFile !== undefined) {
    const text = await readInputFile(resolve(io.cwd, settings.envFile), settings.envFile, 'env file');
    const { values, problems } = parseDotenv(text);
    if (problems.length > 0) {
      throw new InputError(problems.map((problem) => ({ file: settings.envFile!, line: problem.line, col: 1, path: '', message: problem.message })));
    }
    fromFile = values;
  }
  return { ...fromFile, ...io.env, ...settings.env };
}

const redacted = '***';

function runRecord(flags: RunFlags, settings: RunSettings, seed: number, profile: Profile): RunRecord {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flags)) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    if (key === 'progress' && value === true) continue; // the default
    options[key] = value;
  }
  if (settings.adhoc.headers.length > 0) {
    options['header'] = settings.adhoc.headers.map((header) => (/^\s*(authorization|proxy-authorization|cookie|x-api-key)\s*:/i.test(header) ? `${header.split(':')[0]}: ${redacted}` : header));
  }
  if (Object.keys(settings.env).length > 0) {
    options['env'] = Object.fromEntries(Object.entries(settings.env).map(([name, value]) => [name, isSecretName(name) ? redacted : value]));
  }
  if (options['body'] !== undefined && profile.secrets.some((secret) => String(options['body']).includes(secret))) options['body'] = redacted;
  options['seed'] = seed;
  return {
    options,
    ...(settings.label !== undefined ? { label: settings.label } : {}),
    ...(Object.keys(settings.meta).length > 0 ? { meta: settings.meta } : {}),
  };
}
