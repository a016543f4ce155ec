// `scenarios:`: several load shapes in one profile, each with its own stages (one model each, open
// and closed mixed across them), requests or flows, think time, data and `startAfter`. Each
// scenario is read by the same normalisers as a profile's top level, on a YAML source scoped to
// the scenario, so every issue keeps its line:col and gets the path `scenarios.<name>.…`.

import type { InputIssue } from '../errors.js';
import { readDuration, readThinkTime } from './duration.js';
import type { Env } from './env.js';
import { loadDataSources, normaliseFlows } from './normalise-flows.js';
import { normaliseRequests } from './normalise-requests.js';
import { normaliseStages } from './normalise-stages.js';
import { has, isRecord, take, type Report } from './read-values.js';
import type { DataSourceSpec, LoadModel, ScenarioSpec, ThinkTime } from './types.js';
import { issueAt, scopedSource, type FieldPath, type YamlSource } from './yaml-source.js';

/** The name of a scenario's stage among the run's phases (phases of all scenarios share one list). */
export function scenarioPhaseName(scenario: string, stage: string): string {
  return `${scenario}/${stage}`;
}

/** The stage name of a run-wide phase name, when it belongs to `scenario`; undefined otherwise. */
export function stageOfScenarioPhase(scenario: string, phase: string): string | undefined {
  const prefix = `${scenario}/`;
  return phase.startsWith(prefix) ? phase.slice(prefix.length) : undefined;
}

/** The run's phase a target row judges: its `phase`, within its `scenario` when it names one; null = no phase. */
export function phaseOfRow(row: { phase: string | null; scenario?: string }): string | null {
  return row.phase !== null && row.scenario !== undefined ? scenarioPhaseName(row.scenario, row.phase) : row.phase;
}

/** The model a run with these scenarios reports at the top: theirs when they agree, else `closed` (latency from the send or due time, no service time over all). */
export function commonModel(models: readonly LoadModel[]): LoadModel {
  return models.length > 0 && models.every((model) => model === 'open') ? 'open' : 'closed';
}

/** The keys a profile with `scenarios` has in each scenario instead of at the top. */
const perScenarioKeys = ['stages', 'requests', 'flows'] as const;

export interface ScenariosContext {
  source: YamlSource;
  env: Env;
  /** the profile file, absolute: CSV paths are relative to it */
  profilePath: string;
  cwd: string;
  /** the profile's own `data:` sources, shared by every scenario (a scenario's own of the same name wins) */
  sharedData: readonly DataSourceSpec[];
  brokenSharedData: readonly string[];
  setupCaptures: readonly string[];
  /** the top-level defaults a scenario may override */
  defaults: { timeoutMs: number; thinkTime: ThinkTime; maxInFlight: number };
}

export interface NormalisedScenarios {
  scenarios: ScenarioSpec[];
  /** per scenario, the names target rows may refer to */
  known: Array<{ name: string; requestNames: string[]; stageNames: string[] }>;
  secrets: string[];
  issues: InputIssue[];
}

/** `issue` of a scoped source, with its path made the profile's */
function underPath(issue: InputIssue, base: FieldPath): InputIssue {
  const prefix = base.join('.');
  return { ...issue, path: issue.path === '' ? prefix : `${prefix}.${issue.path}` };
}

export async function normaliseScenarios(data: Record<string, unknown>, context: ScenariosContext): Promise<NormalisedScenarios> {
  const out: NormalisedScenarios = { scenarios: [], known: [], secrets: [], issues: [] };
  const raw = data['scenarios'];
  if (!isRecord(raw)) return out; // the schema reports the type
  for (const key of perScenarioKeys) {
    if (data[key] !== undefined) {
      out.issues.push(issueAt(context.source, [key], `a profile with \`scenarios\` has its \`${key}\` in each scenario`, `move \`${key}\` into a scenario under \`scenarios\`, or drop \`scenarios\` for a profile of one load shape`, 'key'));
    }
  }
  for (const [name, item] of Object.entries(raw)) {
    if (!isRecord(item)) continue;
    const base: FieldPath = ['scenarios', name];
    const source = scopedSource(context.source, base);
    const issues: InputIssue[] = [];
    const report: Report = (path, message, hint) => issues.push(issueAt(source, path, message, hint));

    const { model, stages } = normaliseStages(item['stages'], report);
    const { requests, secrets, templated } = normaliseRequests(item['requests'], report);
    const own = await loadDataSources(item['data'], { source, profilePath: context.profilePath, cwd: context.cwd });
    // the profile's CSV files are read once; the scenario's issues in them are the profile's
    issues.push(...own.issues.filter((issue) => issue.file === source.file));
    out.issues.push(...own.issues.filter((issue) => issue.file !== source.file));
    const ownNames = new Set(own.sources.map((s) => s.name));
    const dataSources = [...context.sharedData.filter((s) => !ownNames.has(s.name)), ...own.sources];
    const brokenOwn = isRecord(item['data']) ? Object.keys(item['data']).filter((n) => !own.sources.some((s) => s.name === n)) : [];
    const flows = normaliseFlows(item['flows'], {
      source,
      env: context.env,
      requestNames: [...requests, ...templated].map((request) => request.name),
      dataSources,
      brokenSources: [...context.brokenSharedData.filter((n) => !ownNames.has(n)), ...brokenOwn],
      hasRequests: item['requests'] !== undefined,
      templatedRequests: templated,
      setupCaptures: context.setupCaptures,
    });
    issues.push(...flows.issues);

    const startAfterMs = has(item, 'startAfter') ? take(readDuration(item['startAfter']), 0, ['startAfter'], report) : 0;
    const thinkTime = has(item, 'thinkTime') ? take(readThinkTime(item['thinkTime']), context.defaults.thinkTime, ['thinkTime'], report) : context.defaults.thinkTime;
    const timeoutMs = has(item, 'timeout') ? take(readDuration(item['timeout']), context.defaults.timeoutMs, ['timeout'], report) : context.defaults.timeoutMs;
    if (has(item, 'timeout') && timeoutMs === 0) report(['timeout'], 'must be more than 0s', 'a request needs some time to answer, e.g. "10s"');
    const maxInFlight = typeof item['maxInFlight'] === 'number' ? item['maxInFlight'] : context.defaults.maxInFlight;

    out.issues.push(...issues.map((issue) => underPath(issue, base)));
    out.secrets.push(...secrets, ...flows.secrets);
    out.scenarios.push({
      name,
      description: typeof item['description'] === 'string' ? item['description'] : '',
      model,
      stages,
      startAfterMs,
      requests,
      flows: flows.flows,
      data: dataSources,
      thinkTime,
      timeoutMs,
      maxInFlight,
    });
    const streamGroups = requests.flatMap((r) => (r.stream?.kind === 'ws' ? [`${r.name}.connect`] : r.stream?.kind === 'sse' ? [`${r.name}.first`] : []));
    out.known.push({
      name,
      requestNames: [
        ...[...requests, ...templated].map((r) => r.name),
        ...streamGroups,
        ...flows.flows.flatMap((flow) => [flow.name, ...flow.steps.flatMap((step) => (step.kind === 'request' ? [step.name] : step.kind === 'stream' ? [step.name, `${step.name}.${step.spec.kind === 'ws' ? 'connect' : 'first'}`] : []))]),
      ],
      stageNames: stages.map((stage) => stage.name),
    });
  }
  return out;
}
