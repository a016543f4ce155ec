// The config layer's entry points: find a profile by name or path, load it (with its targets),
// validate files for `perfctl validate`, and list the profiles available.

import { basename, extname, join, resolve } from 'node:path';
import { InputError, usageError } from '../errors.js';
import type { InputIssue } from '../errors.js';
import { checkProfileText, checkTargetsText } from './check-source.js';
import { suggest } from './did-you-mean.js';
import { readDuration } from './duration.js';
import { interpolateSource } from './env.js';
import type { Env } from './env.js';
import { displayPath, fileExists, listYamlFiles, readInputFile } from './files.js';
import { httpUrlProblem, isRecord } from './read-values.js';
import type { LoadModel, Profile, TargetRow } from './types.js';
import { parseYamlSource, toData } from './yaml-source.js';

export interface LoadOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  /** --targets: a target table file (relative to cwd) used instead of the profile's own */
  targetsFile?: string;
  /** the directory of the built-in profiles */
  builtinDir: string;
  /** --base-url: replaces the profile's `baseUrl` (which is then not required) */
  baseUrl?: string;
  /** an ad-hoc profile's YAML (perfctl run <URL>): loaded as if from `<cwd>/<ref>` */
  text?: string;
  /** --demo: the demo process is monitored, so resource rows need no `monitor:` */
  demo?: boolean;
}

export interface ProfileLocation {
  /** absolute path of the file */
  path: string;
  /** 'builtin', or the path as given (a name found in ./scenarios: `scenarios/<name>.yaml`) */
  source: string;
}

export interface ProfileSummary {
  /** what `perfctl run <name>` takes: the file's base name */
  name: string;
  /** null when the file is too broken to say; `mixed` for scenarios of both models */
  model: LoadModel | 'mixed' | null;
  /** sum of the stage durations; null when one cannot be read */
  totalMs: number | null;
  description: string;
  /** 'builtin' or the file's path relative to cwd */
  source: string;
}

const extensions = ['.yaml', '.yml'];

function isPathRef(ref: string): boolean {
  return ref.includes('/') || ref.includes('\\') || /\.ya?ml$/i.test(ref);
}

function nameOf(file: string): string {
  return basename(file, extname(file));
}

/** a name: ./scenarios/<name>.yaml or .yml first, then the built-in <name>.yaml; else a path */
export async function resolveProfilePath(ref: string, opts: { cwd: string; builtinDir: string }): Promise<ProfileLocation> {
  if (isPathRef(ref)) {
    const path = resolve(opts.cwd, ref);
    if (!(await fileExists(path))) throw usageError(`profile file "${ref}" not found`);
    return { path, source: ref };
  }
  for (const extension of extensions) {
    const path = join(opts.cwd, 'scenarios', `${ref}${extension}`);
    if (await fileExists(path)) return { path, source: displayPath(path, opts.cwd) };
  }
  for (const extension of extensions) {
    const path = join(opts.builtinDir, `${ref}${extension}`);
    if (await fileExists(path)) return { path, source: 'builtin' };
  }
  const names = [...new Set([...(await profileFiles(join(opts.cwd, 'scenarios'))), ...(await profileFiles(opts.builtinDir))].map(nameOf))];
  const close = suggest(ref, names);
  const available = names.length > 0 ? `available: ${names.join(', ')}` : 'there are no profiles in ./scenarios';
  throw usageError(`profile "${ref}" not found`, `${close ? `did you mean "${close}"? ` : ''}${available}; or give the path of a YAML file`);
}

/** yaml files of a directory; a .yaml hides a .yml of the same name */
async function profileFiles(dir: string): Promise<string[]> {
  const files = await listYamlFiles(dir);
  return files.filter((file) => !(file.endsWith('.yml') && files.includes(`${nameOf(file)}.yaml`)));
}

/** Loads and checks a profile and its target table; throws InputError with every problem found. */
export async function loadProfile(ref: string, opts: LoadOptions): Promise<Profile> {
  if (opts.baseUrl !== undefined) {
    const problem = httpUrlProblem(opts.baseUrl);
    if (problem) throw usageError(`--base-url: ${problem.message}`, problem.hint);
  }
  const location = opts.text !== undefined ? { path: join(opts.cwd, 'adhoc.yaml'), source: ref } : await resolveProfilePath(ref, opts);
  const file = location.source === 'builtin' ? displayPath(location.path, opts.cwd) : location.source;
  const text = opts.text ?? (await readInputFile(location.path, file, 'profile file'));
  const { profile, issues } = await checkProfileText(text, location.path, file, {
    cwd: opts.cwd,
    env: opts.env,
    defaultName: nameOf(location.path),
    ...(opts.targetsFile !== undefined ? { targetsFile: opts.targetsFile } : {}),
    ...(opts.baseUrl !== undefined ? { baseUrl: opts.baseUrl } : {}),
    ...(opts.demo === true ? { demo: true } : {}),
  });
  if (issues.length > 0) throw new InputError(issues);
  return { ...profile, source: location.source };
}

/** A target table file on its own (names of requests and stages are not checked). */
export async function loadTargetsFile(file: string, opts: { cwd: string; env: Env }): Promise<TargetRow[]> {
  const text = await readInputFile(resolve(opts.cwd, file), file, 'target table file');
  const { rows, issues } = checkTargetsText(text, file, opts.env);
  if (issues.length > 0) throw new InputError(issues);
  return rows;
}

export interface ValidateOptions {
  cwd: string;
  env: Env;
  /** accepted like LoadOptions; a file is validated on its own, so it is not used */
  builtinDir?: string;
  /** a profile without `baseUrl` is valid when a base URL will be given */
  baseUrl?: string;
  /** --targets: the table `run --targets` would use, checked against the profile's names as run checks it */
  targetsFile?: string;
  /** --demo: as `run --demo` checks it (the demo process is monitored) */
  demo?: boolean;
}

/**
 * `perfctl validate <file>`: every problem of a profile (and its target table) or of a target
 * table. A file with a top-level `targets:` and no `stages:` is a target table.
 */
export async function validateFile(file: string, opts: ValidateOptions): Promise<{ kind: 'profile' | 'targets'; issues: InputIssue[] }> {
  const abs = resolve(opts.cwd, file);
  const text = await readInputFile(abs, file);
  if (isTargetTable(text)) return { kind: 'targets', issues: checkTargetsText(text, file, opts.env).issues };
  const { issues } = await checkProfileText(text, abs, file, {
    cwd: opts.cwd,
    env: opts.env,
    defaultName: nameOf(abs),
    ...(opts.baseUrl !== undefined ? { baseUrl: opts.baseUrl } : {}),
    ...(opts.targetsFile !== undefined ? { targetsFile: opts.targetsFile } : {}),
    ...(opts.demo === true ? { demo: true } : {}),
  });
  return { kind: 'profile', issues };
}

function isTargetTable(text: string): boolean {
  try {
    const data = toData(parseYamlSource(text, '').source);
    return isRecord(data) && 'targets' in data && !('stages' in data) && !('scenarios' in data);
  } catch {
    return false;
  }
}

/** The profiles of ./scenarios, then the built-in ones not shadowed by a local one of the same name. */
export async function listProfiles(opts: { cwd: string; builtinDir: string; env?: Env }): Promise<ProfileSummary[]> {
  const summaries: ProfileSummary[] = [];
  const seen = new Set<string>();
  const dirs = [
    { dir: join(opts.cwd, 'scenarios'), builtin: false },
    { dir: opts.builtinDir, builtin: true },
  ];
  for (const { dir, builtin } of dirs) {
    for (const file of await profileFiles(dir)) {
      const name = nameOf(file);
      if (seen.has(name)) continue;
      seen.add(name);
      const abs = join(dir, file);
      summaries.push({ name, source: builtin ? 'builtin' : displayPath(abs, opts.cwd), ...(await summarise(abs, opts.env ?? {})) });
    }
  }
  return summaries;
}

/** what a listing shows, read leniently: a broken profile is listed, not fatal */
async function summarise(abs: string, env: Env): Promise<Pick<ProfileSummary, 'model' | 'totalMs' | 'description'>> {
  const unknown = { model: null, totalMs: null, description: '' };
  let data: unknown;
  try {
    const { source } = parseYamlSource(await readInputFile(abs, abs), abs);
    interpolateSource(source, env);
    data = toData(source);
  } catch {
    return unknown;
  }
  if (!isRecord(data)) return unknown;
  const description = typeof data['description'] === 'string' ? data['description'] : '';
  if (!isRecord(data['scenarios'])) return { ...summariseStages(data['stages']), description };
  // scenarios: their common model, and the latest end (startAfter and stages)
  const shapes = Object.values(data['scenarios']).filter(isRecord).map((scenario) => {
    const start = scenario['startAfter'] === undefined ? ({ ok: true, value: 0 } as const) : readDuration(scenario['startAfter']);
    const own = summariseStages(scenario['stages']);
    return { model: own.model, totalMs: start.ok && own.totalMs !== null ? start.value + own.totalMs : null };
  });
  const models = shapes.map((s) => s.model);
  return {
    model: shapes.length === 0 || models.includes(null) ? null : new Set(models).size > 1 ? 'mixed' : models[0]!,
    totalMs: shapes.length === 0 || shapes.some((s) => s.totalMs === null) ? null : Math.max(...shapes.map((s) => s.totalMs!)),
    description,
  };
}

function summariseStages(raw: unknown): { model: LoadModel | null; totalMs: number | null } {
  // a staircase entry counts as its steps: a level like a stage's, and its holds and ramps
  const stages = (Array.isArray(raw) ? raw.filter(isRecord) : []).map((stage) => (isRecord(stage['staircase']) ? stage['staircase'] : stage));
  const first = stages.find((stage) => stage['rate'] !== undefined || stage['vus'] !== undefined);
  const model: LoadModel | null = first === undefined ? null : first['rate'] !== undefined ? 'open' : 'closed';
  let totalMs: number | null = stages.length > 0 ? 0 : null;
  for (const stage of stages) {
    const duration = 'hold' in stage ? staircaseDuration(stage) : readDuration(stage['duration']);
    totalMs = duration.ok && totalMs !== null ? totalMs + duration.value : null;
  }
  return { model, totalMs };
}

/** a staircase's length for `list`: its steps' holds and the ramps between them */
function staircaseDuration(stairs: Record<string, unknown>): { ok: true; value: number } | { ok: false } {
  const from = Number(stairs['rate'] ?? stairs['vus']);
  const to = Number(stairs['to']);
  const by = Number(stairs['by']);
  const hold = readDuration(stairs['hold']);
  const ramp = stairs['ramp'] === undefined ? ({ ok: true, value: 0 } as const) : readDuration(stairs['ramp']);
  if (!hold.ok || !ramp.ok || !(by > 0) || !(to >= from)) return { ok: false };
  const steps = Math.floor((to - from) / by + 1e-9) + 1 + ((to - from) % by > 1e-9 ? 1 : 0);
  return { ok: true, value: steps * hold.value + (steps - 1) * ramp.value };
}
