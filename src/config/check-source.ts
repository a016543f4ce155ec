// One profile or target table, from its text to the engine's types: YAML -> ${ENV} -> schema ->
// rules -> defaults, collecting every problem of the file(s) on the way.

import { dirname, resolve } from 'node:path';
import type { InputIssue } from '../errors.js';
import type { Env, SecretRef } from './env.js';
import { hideSecretsInIssues, interpolateSource } from './env.js';
import { displayPath, fileExists, readInputFile } from './files.js';
import { mergeIssues } from './issues.js';
import { loadDataSources, normaliseFlows } from './normalise-flows.js';
import { normaliseSetupTeardown } from './normalise-setup.js';
import { normaliseProfile } from './normalise-profile.js';
import { commonModel, normaliseScenarios } from './normalise-scenarios.js';
import { resolveTlsFiles } from './normalise-http.js';
import { isRecord } from './read-values.js';
import type { NormalisedProfile } from './normalise-profile.js';
import { normaliseTargetRows } from './normalise-targets.js';
import type { KnownNames } from './normalise-targets.js';
import { checkSchema } from './schema.js';
import { findStaircase, stageWindows } from './stage-shape.js';
import type { SchemaKind } from './schema.js';
import type { Profile, TargetRow } from './types.js';
import { fileIssue, issueAt, parseYamlSource, toData } from './yaml-source.js';
import type { YamlSource } from './yaml-source.js';

export interface CheckedTargets {
  rows: TargetRow[];
  issues: InputIssue[];
  secrets: string[];
}

export interface CheckedProfile {
  /** complete only when there are no issues */
  profile: Omit<Profile, 'source'>;
  issues: InputIssue[];
}

interface ReadSource {
  source: YamlSource;
  data: Record<string, unknown>;
  /** unset variables: explain the empty values the later checks see */
  envIssues: InputIssue[];
  secrets: string[];
  secretRefs: SecretRef[];
}

/** YAML with positions, then ${ENV}; issues instead when the file cannot be read as a map */
function readSource(text: string, file: string, env: Env, what: string): ReadSource | { issues: InputIssue[] } {
  const { source, issues } = parseYamlSource(text, file);
  if (issues.length > 0) return { issues };
  if (source.doc.contents === null) return { issues: [fileIssue(file, 'the file is empty', `expected ${what}`)] };
  const interpolated = interpolateSource(source, env);
  let data: unknown;
  try {
    data = toData(source);
  } catch (error) {
    // e.g. more aliases than allowed (a "billion laughs" document)
    return { issues: [fileIssue(file, `cannot read the YAML: ${(error as Error).message}`)] };
  }
  if (!isRecord(data)) return { issues: [issueAt(source, [], `expected ${what}`)] };
  const cycle = selfReferencePath(data);
  if (cycle) return { issues: [issueAt(source, cycle, 'a YAML alias refers to a node that contains it (an endless value)', 'copy the value instead of aliasing it inside itself')] };
  return { source, data, envIssues: interpolated.issues, secrets: interpolated.secrets, secretRefs: interpolated.secretRefs };
}

/** The path of the first value that contains itself (`json: &a [ *a ]`), or null. Linear in the data. */
function selfReferencePath(data: unknown): Array<string | number> | null {
  const ancestors = new Set<unknown>();
  const done = new Set<unknown>();
  const visit = (value: unknown, path: Array<string | number>): Array<string | number> | null => {
    if (value === null || typeof value !== 'object' || done.has(value)) return null;
    if (ancestors.has(value)) return path;
    ancestors.add(value);
    const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((item, i) => [i, item]) : Object.entries(value);
    for (const [key, child] of entries) {
      const found = visit(child, [...path, key]);
      if (found) return found;
    }
    ancestors.delete(value);
    done.add(value);
    return null;
  };
  return visit(data, []);
}

/** schema problems as issues: `structure` ones (missing, unknown keys) and `value` ones */
function schemaIssues(kind: SchemaKind, read: ReadSource): { structure: InputIssue[]; value: InputIssue[] } {
  const structure: InputIssue[] = [];
  const value: InputIssue[] = [];
  for (const problem of checkSchema(kind, read.data)) {
    const issue = issueAt(read.source, problem.path, problem.message, problem.hint, problem.at);
    (problem.kind === 'structure' ? structure : value).push(issue);
  }
  return { structure, value };
}

const targetsShape = 'a map with a `targets` list';
const profileShape = 'a map with `stages` and `requests`';

/** A target table file; with `known`, its rows must name requests and stages of the profile. */
export function checkTargetsText(text: string, file: string, env: Env, known?: KnownNames): CheckedTargets {
  const read = readSource(text, file, env, targetsShape);
  if (!('data' in read)) return { rows: [], issues: read.issues, secrets: [] };
  const schema = schemaIssues('targets', read);
  const { rows, issues } = normaliseTargetRows(read.data['targets'], {
    source: read.source,
    basePath: ['targets'],
    ...(known ? { known } : {}),
    confidence: read.data['confidence'],
  });
  return { rows, issues: hideSecretsInIssues(mergeIssues([read.envIssues, issues, schema.value], schema.structure), read.secretRefs), secrets: read.secrets };
}

export interface ProfileCheckOptions {
  cwd: string;
  env: Env;
  /** --targets, as typed (relative to cwd): replaces the profile's own targets */
  targetsFile?: string;
  /** --base-url, already checked: replaces the profile's baseUrl */
  baseUrl?: string;
  /** the profile's name when it has none */
  defaultName: string;
  /** --demo: the demo process is monitored (resource rows need a monitor) */
  demo?: boolean;
}

/** A profile file (`abs`, shown as `file`) and the target table it refers to. */
export async function checkProfileText(text: string, abs: string, file: string, options: ProfileCheckOptions): Promise<CheckedProfile> {
  const read = readSource(text, file, options.env, profileShape);
  if (!('data' in read)) return { profile: emptyProfile(options.defaultName), issues: read.issues };
  const envIssues = options.baseUrl === undefined ? read.envIssues : read.envIssues.filter((issue) => issue.path !== 'baseUrl');
  const schema = schemaIssues('profile', read);
  const schemaValue = options.baseUrl === undefined ? schema.value : schema.value.filter((issue) => issue.path !== 'baseUrl');
  const normalised = normaliseProfile(read.data, {
    source: read.source,
    defaultName: options.defaultName,
    ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}),
  });
  await resolveTlsFiles(normalised.profile.http, abs, (path, message, hint) => normalised.issues.push(issueAt(read.source, path, message, hint)));
  const requestNames = [...normalised.profile.requests, ...normalised.profile.templatedRequests].map((request) => request.name);
  // a WebSocket request also records NAME.connect, an SSE one NAME.first
  const streamGroups = normalised.profile.requests.flatMap((request) =>
    request.stream?.kind === 'ws' ? [`${request.name}.connect`] : request.stream?.kind === 'sse' ? [`${request.name}.first`] : [],
  );
  const data = await loadDataSources(read.data['data'], { source: read.source, profilePath: abs, cwd: options.cwd });
  const once = normaliseSetupTeardown(read.data, {
    source: read.source,
    env: options.env,
    requestNames,
    dataSources: [],
    brokenSources: [],
    hasRequests: true,
  });
  const flows = normaliseFlows(read.data['flows'], {
    setupCaptures: once.setupCaptures,
    source: read.source,
    env: options.env,
    requestNames,
    dataSources: data.sources,
    brokenSources: isRecord(read.data['data']) ? Object.keys(read.data['data']).filter((name) => !data.sources.some((source) => source.name === name)) : [],
    // with `scenarios`, the requests are each scenario's (a top-level `flows` is reported there)
    hasRequests: read.data['requests'] !== undefined || read.data['scenarios'] !== undefined,
    templatedRequests: normalised.profile.templatedRequests,
  });
  const brokenData = isRecord(read.data['data']) ? Object.keys(read.data['data']).filter((name) => !data.sources.some((source) => source.name === name)) : [];
  const scenarios = read.data['scenarios'] === undefined ? undefined : await normaliseScenarios(read.data, {
    source: read.source,
    env: options.env,
    profilePath: abs,
    cwd: options.cwd,
    sharedData: data.sources,
    brokenSharedData: brokenData,
    setupCaptures: once.setupCaptures,
    defaults: { timeoutMs: normalised.profile.timeoutMs, thinkTime: normalised.profile.thinkTime, maxInFlight: normalised.profile.maxInFlight },
  });
  const known: KnownNames = scenarios ? {
    requestNames: [...new Set(scenarios.known.flatMap((scenario) => scenario.requestNames))],
    stageNames: [],
    scenarios: scenarios.known,
  } : {
    // flows and their request steps are result groups too
    requestNames: [...requestNames, ...streamGroups, ...flows.flows.flatMap((flow) => [flow.name, ...flow.steps.flatMap((step) => (step.kind === 'request' ? [step.name] : step.kind === 'stream' ? [step.name, `${step.name}.${step.spec.kind === 'ws' ? 'connect' : 'first'}`] : []))])],
    stageNames: normalised.profile.stages.map((stage) => stage.name),
    monitored: options.demo === true || read.data['monitor'] !== undefined,
    staircase: findStaircase(stageWindows(normalised.profile.stages)).length > 0,
  };
  const targets = await checkProfileTargets(read, abs, options, known);

  const issues = [
    ...mergeIssues([envIssues, [...normalised.issues, ...flows.issues, ...(scenarios?.issues ?? []), ...once.issues, ...data.issues.filter((issue) => issue.file === file), ...targets.inlineIssues], schemaValue], schema.structure),
    ...data.issues.filter((issue) => issue.file !== file),
    ...targets.fileIssues,
  ];
  const { secrets: headerSecrets, templatedRequests: _templated, ...profile } = normalised.profile;
  const secrets = [...new Set([...read.secrets, ...headerSecrets, ...flows.secrets, ...once.secrets, ...targets.secrets, ...(scenarios?.secrets ?? [])])].filter((secret) => secret !== '');
  const withScenarios = scenarios ? { model: commonModel(scenarios.scenarios.map((s) => s.model)), scenarios: scenarios.scenarios } : {};
  return {
    profile: { ...profile, ...withScenarios, ...(once.setup ? { setup: once.setup } : {}), ...(once.teardown ? { teardown: once.teardown } : {}), flows: flows.flows, data: data.sources, targets: targets.rows, targetsSource: targets.source, secrets },
    issues: hideSecretsInIssues(issues, read.secretRefs),
  };
}

interface ProfileTargets {
  rows: TargetRow[];
  source: string | null;
  /** issues in the profile itself (inline rows, a missing file) */
  inlineIssues: InputIssue[];
  /** issues in a separate target table file */
  fileIssues: InputIssue[];
  secrets: string[];
}

async function checkProfileTargets(read: ReadSource, abs: string, options: ProfileCheckOptions, known: KnownNames): Promise<ProfileTargets> {
  const none: ProfileTargets = { rows: [], source: null, inlineIssues: [], fileIssues: [], secrets: [] };
  if (options.targetsFile !== undefined) {
    // a flag: a missing file is a usage error
    const text = await readInputFile(resolve(options.cwd, options.targetsFile), options.targetsFile, 'target table file');
    const checked = checkTargetsText(text, options.targetsFile, options.env, known);
    return { ...none, rows: checked.rows, source: options.targetsFile, fileIssues: checked.issues, secrets: checked.secrets };
  }
  const raw = read.data['targets'];
  if (typeof raw === 'string' && raw !== '') {
    const targetsAbs = resolve(dirname(abs), raw);
    const shown = displayPath(targetsAbs, options.cwd);
    if (!(await fileExists(targetsAbs))) {
      const issue = issueAt(read.source, ['targets'], `target table file "${raw}" not found`, `looked for ${shown}; the path is relative to the profile`);
      return { ...none, source: shown, inlineIssues: [issue] };
    }
    const text = await readInputFile(targetsAbs, shown, 'target table file');
    const checked = checkTargetsText(text, shown, options.env, known);
    return { ...none, rows: checked.rows, source: shown, fileIssues: checked.issues, secrets: checked.secrets };
  }
  if (Array.isArray(raw)) {
    const { rows, issues } = normaliseTargetRows(raw, { source: read.source, basePath: ['targets'], known, confidence: read.data['confidence'] });
    return { ...none, rows, source: 'inline', inlineIssues: issues };
  }
  return none;
}

function emptyProfile(name: string): Omit<Profile, 'source'> {
  const empty: NormalisedProfile = {
    name, description: '', baseUrl: '', model: 'open', stages: [], requests: [],
    timeoutMs: 0, thinkTime: { minMs: 0, maxMs: 0 }, maxInFlight: 0, secrets: [], templatedRequests: [],
  };
  return { ...empty, flows: [], data: [], targets: [], targetsSource: null };
}
