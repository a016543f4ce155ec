// `--print-profile`: a resolved profile (overrides, -d and --scale applied) written back as the
// YAML that repeats it. Secrets are redacted by the caller's list; templates are shown as written.

import { formatDuration } from './duration.js';
import type { FlowStep, Profile, StageSpec, TargetRow } from './types.js';
import { toYamlText } from './yaml-source.js';

const round = (n: number): number => Math.round(n * 1000) / 1000;

export function profileToYaml(profile: Profile, stages: readonly StageSpec[]): string {
  const key = profile.model === 'open' ? 'rate' : 'vus';
  let previous: number | undefined;
  const data: Record<string, unknown> = {
    name: profile.name,
    ...(profile.description ? { description: profile.description } : {}),
    baseUrl: profile.baseUrl,
    stages: stages.map((stage) => {
      const from = stage.fromLevel !== (previous ?? stage.toLevel) ? { from: round(stage.fromLevel) } : {};
      previous = stage.toLevel;
      return { name: stage.name, duration: formatDuration(stage.durationMs), ...from, [key]: round(stage.toLevel) };
    }),
  };
  const singles = profile.flows.filter((flow) => flow.single);
  const journeys = profile.flows.filter((flow) => !flow.single);
  if (profile.requests.length > 0 || singles.length > 0) {
    const templated = singles.map((flow) => ({ ...stepData(flow.steps[0]!), ...(flow.weight !== 1 ? { weight: flow.weight } : {}) }));
    data['requests'] = [...profile.requests.map((request) => ({
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
  if (profile.setup) data['setup'] = profile.setup.steps.map(stepData);
  if (profile.teardown) data['teardown'] = profile.teardown.steps.map(stepData);
  if (profile.data.length > 0) data['data'] = Object.fromEntries(profile.data.map((source) => [source.name, { csv: source.file, ...(source.order !== 'sequence' ? { order: source.order } : {}) }]));
  data['timeout'] = formatDuration(profile.timeoutMs);
  const { minMs, maxMs } = profile.thinkTime;
  if (maxMs > 0) data['thinkTime'] = minMs === maxMs ? formatDuration(minMs) : `${formatDuration(minMs)}-${formatDuration(maxMs)}`;
  if (profile.maxInFlight !== 10_000) data['maxInFlight'] = profile.maxInFlight;
  if (profile.stopOnBreak) data['stopOnBreak'] = true;
  if (profile.targets.length > 0) data['targets'] = profile.targets.map(targetData);
  return toYamlText(redact(data, profile.secrets));
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
