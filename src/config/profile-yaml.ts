// `--print-profile`: a resolved profile (overrides, -d and --scale applied) written back as the
// YAML that repeats it. Secrets are redacted by the caller's list; templates are shown as written.

import { formatDuration } from './duration.js';
import type { DataSourceSpec, FlowSpec, FlowStep, LoadModel, Profile, RequestSpec, ScenarioSpec, StageSpec, TargetRow, ThinkTime } from './types.js';
import { toYamlText } from './yaml-source.js';

const round = (n: number): number => Math.round(n * 1000) / 1000;

/** A scenario as it ran (-d and --scale applied): its start and its own stages. */
export interface PlannedScenario {
  spec: ScenarioSpec;
  startAfterMs: number;
  stages: readonly StageSpec[];
}

function stagesData(model: LoadModel, stages: readonly StageSpec[]): unknown[] {
  const key = model === 'open' ? 'rate' : 'vus';
  let previous: number | undefined;
  return stages.map((stage) => {
    const from = stage.fromLevel !== (previous ?? stage.toLevel) ? { from: round(stage.fromLevel) } : {};
    previous = stage.toLevel;
    return { name: stage.name, duration: formatDuration(stage.durationMs), ...from, [key]: round(stage.toLevel) };
  });
}

const thinkText = ({ minMs, maxMs }: ThinkTime): string => (minMs === maxMs ? formatDuration(minMs) : `${formatDuration(minMs)}-${formatDuration(maxMs)}`);

/** `scenarios`: the profile's scenarios as they ran (its own top-level stages and mix are then empty). */
export function profileToYaml(profile: Profile, stages: readonly StageSpec[], scenarios?: readonly PlannedScenario[]): string {
  const data: Record<string, unknown> = {
    name: profile.name,
    ...(profile.description ? { description: profile.description } : {}),
    baseUrl: profile.baseUrl,
  };
  if (scenarios) {
    data['scenarios'] = Object.fromEntries(scenarios.map(({ spec, startAfterMs, stages: own }) => [spec.name, {
      ...(spec.description ? { description: spec.description } : {}),
      ...(startAfterMs > 0 ? { startAfter: formatDuration(startAfterMs) } : {}),
      stages: stagesData(spec.model, own),
      ...mixData(spec.requests, spec.flows, spec.data),
      timeout: formatDuration(spec.timeoutMs),
      ...(spec.thinkTime.maxMs > 0 ? { thinkTime: thinkText(spec.thinkTime) } : {}),
      ...(spec.maxInFlight !== 10_000 ? { maxInFlight: spec.maxInFlight } : {}),
    }]));
  } else {
    data['stages'] = stagesData(profile.model, stages);
    Object.assign(data, mixData(profile.requests, profile.flows, profile.data));
  }
  if (profile.setup) data['setup'] = profile.setup.steps.map(stepData);
  if (profile.teardown) data['teardown'] = profile.teardown.steps.map(stepData);
  data['timeout'] = formatDuration(profile.timeoutMs);
  if (!scenarios && profile.thinkTime.maxMs > 0) data['thinkTime'] = thinkText(profile.thinkTime);
  if (profile.maxInFlight !== 10_000) data['maxInFlight'] = profile.maxInFlight;
  if (profile.stopOnBreak) data['stopOnBreak'] = true;
  if (profile.targets.length > 0) data['targets'] = profile.targets.map(targetData);
  return toYamlText(redact(data, profile.secrets));
}

/** requests, flows and data files of one mix */
function mixData(requests: readonly RequestSpec[], flows: readonly FlowSpec[], sources: readonly DataSourceSpec[]): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const singles = flows.filter((flow) => flow.single);
  const journeys = flows.filter((flow) => !flow.single);
  if (requests.length > 0 || singles.length > 0) {
    const templated = singles.map((flow) => ({ ...stepData(flow.steps[0]!), ...(flow.weight !== 1 ? { weight: flow.weight } : {}) }));
    data['requests'] = [...requests.map((request) => ({
      name: request.name,
      ...(request.method !== 'GET' ? { method: request.method } : {}),
      path: request.path,
      ...(Object.keys(request.headers).length > 0 ? { headers: request.headers } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
      ...(request.expectStatus !== null ? { expect: { status: request.expectStatus } } : {}),
      ...(request.weight !== 1 ? { weight: request.weight } : {}),
    })), ...templated];
  }
  if (journeys.length > 0) {
    data['flows'] = journeys.map((flow) => ({ name: flow.name, ...(flow.weight !== 1 ? { weight: flow.weight } : {}), steps: flow.steps.map(stepData) }));
  }
  if (sources.length > 0) data['data'] = Object.fromEntries(sources.map((source) => [source.name, { csv: source.file, ...(source.order !== 'sequence' ? { order: source.order } : {}) }]));
  return data;
}

function stepData(step: FlowStep): Record<string, unknown> {
  if (step.kind === 'think') {
    const { minMs, maxMs } = step.thinkTime;
    return { think: minMs === maxMs ? formatDuration(minMs) : `${formatDuration(minMs)}-${formatDuration(maxMs)}`, ...(step.when ? { when: step.when.source } : {}) };
  }
  if (step.kind === 'stream') return { name: step.name, [step.spec.kind]: step.spec.url.source };
  const headers = Object.fromEntries(Object.entries(step.headers).map(([name, value]) => [name, value.source]));
  return {
    name: step.name,
    ...(step.method !== 'GET' ? { method: step.method } : {}),
    path: step.path.source,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(step.body !== undefined ? { body: step.body.source } : {}),
    ...(step.expectStatus !== null ? { expect: { status: step.expectStatus } } : {}),
    ...(step.captures.length > 0
      ? {
          capture: Object.fromEntries(
            step.captures.map((c) => [c.name, c.from === 'json' ? c.expression : c.from === 'header' ? { header: c.header } : { regex: c.pattern }]),
          ),
        }
      : {}),
    ...(step.when ? { when: step.when.source } : {}),
  };
}

function targetData(row: TargetRow): Record<string, unknown> {
  const checks = Object.fromEntries(
    row.checks.map((check) => {
      const value =
        check.metric === 'errorRate' || check.metric === 'drift' || check.metric === 'memoryGrowth' || check.metric === 'cpu'
          ? `${round(check.limit * 100)}%`
          : check.metric === 'rps'
            ? check.limit
            : check.metric === 'memory'
              ? `${round(check.limit)}MB`
              : check.metric === 'breakingPoint'
                ? { atLeast: check.limit }
                : formatDuration(check.limit);
      return [check.metric, value];
    }),
  );
  return {
    name: row.name,
    ...(row.requests !== null ? { requests: row.requests } : {}),
    ...(row.phase !== null ? { phase: row.phase } : {}),
    ...(row.scenario !== undefined ? { scenario: row.scenario } : {}),
    ...checks,
    ...(row.abortOnFail ? { abortOnFail: true } : {}),
  };
}

/** secrets replaced in every string of the data, before it is written (so YAML quotes what needs it) */
function redact(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') {
    let out = value;
    for (const secret of [...secrets].sort((a, b) => b.length - a.length)) if (secret !== '') out = out.split(secret).join('***');
    return out;
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, secrets));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redact(item, secrets)]));
  return value;
}
