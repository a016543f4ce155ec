// Pre-flight evidence (pure): before anything is sent, how many samples each check will have
// (open model: rate × time × the request's share of the mix), and which checks this run length
// cannot judge, with the length that could. The closed model's samples depend on the service's
// latency, unknown before the run: it says so instead of guessing.
import { formatDuration } from '../config/duration.js';
import { matchesGlob } from '../config/glob.js';
import type { Profile, StreamSpec, TargetRow } from '../config/types.js';
import { stageArea, type Plan } from '../engine/plan.js';
import { isAnalysisMetric } from './analysis-checks.js';
import { leastSamples } from './checks.js';
import { phaseOfRow, stageOfScenarioPhase } from '../config/normalise-scenarios.js';

export interface PredictedCheck {
  row: string;
  metric: string;
  /** samples the plan gives the check's scope (open model), or null (closed model) */
  samples: number | null;
  /** the least it can be judged (shown within its limit) from */
  least: number;
}

/** The share of all arrivals each group (request, flow step or flow) gets from the mix. */
function groupShares(profile: Pick<Profile, 'requests' | 'flows'>): Map<string, number> {
  const total = profile.requests.reduce((n, r) => n + r.weight, 0) + profile.flows.reduce((n, f) => n + f.weight, 0);
  const shares = new Map<string, number>();
  if (total <= 0) return shares;
  const add = (name: string, share: number): void => void shares.set(name, (shares.get(name) ?? 0) + share);
  for (const r of profile.requests) {
    if (r.stream) addStream(r.name, r.stream, r.weight / total, add);
    else add(r.name, r.weight / total);
  }
  for (const flow of profile.flows) {
    // each iteration runs every step once; the flow itself is a group of whole iterations
    if (flow.single !== true) add(flow.name, flow.weight / total);
    for (const step of flow.steps) {
      if (step.kind === 'request') add(step.name, flow.weight / total);
      else if (step.kind === 'stream') addStream(step.name, step.spec, flow.weight / total, add);
    }
  }
  return shares;
}

/** `NAME.first` of every SSE request and step: a measurement inside the stream, no request of its own */
function firstEventGroups(profile: Pick<Profile, 'requests' | 'flows'>): string[] {
  const streams = [
    ...profile.requests.flatMap((r) => (r.stream ? [{ name: r.name, spec: r.stream }] : [])),
    ...profile.flows.flatMap((f) => f.steps.flatMap((step) => (step.kind === 'stream' ? [{ name: step.name, spec: step.spec }] : []))),
  ];
  return streams.filter((s) => s.spec.kind === 'sse').map((s) => `${s.name}.first`);
}

/**
 * The groups one stream records per arrival: an SSE stream `NAME` and `NAME.first`; a WebSocket
 * `NAME.connect`, and `NAME` once per message (rate × hold, when the hold is known).
 */
function addStream(name: string, spec: StreamSpec, share: number, add: (name: string, share: number) => void): void {
  if (spec.kind === 'sse') {
    add(name, share);
    add(`${name}.first`, share);
    return;
  }
  add(`${name}.connect`, share);
  if (spec.messages && spec.holdMs !== null) add(name, share * Math.floor((spec.messages.rate * spec.holdMs) / 1000));
}

function rowShare(row: TargetRow, shares: Map<string, number>, flowNames: Set<string>): number {
  let share = 0;
  for (const [group, s] of shares) {
    const matched = flowNames.has(group) ? row.requests !== null && row.requests.includes(group) : row.requests === null || row.requests.some((p) => matchesGlob(group, p));
    if (matched) share += s;
  }
  return share;
}

export function predictChecks(profile: Pick<Profile, 'requests' | 'flows' | 'targets'>, plan: Plan, sliceCount = 1): PredictedCheck[] {
  const shares = groupShares(profile);
  // in scope only when a row names them exactly: whole flows, and an SSE stream's NAME.first
  const flowNames = new Set([...profile.flows.filter((f) => f.single !== true).map((f) => f.name), ...firstEventGroups(profile)]);
  const out: PredictedCheck[] = [];
  for (const row of profile.targets) {
    const phase = phaseOfRow(row);
    const stages = phase !== null ? plan.stages.filter((s) => s.name === phase) : row.scenario !== undefined ? plan.stages.filter((s) => stageOfScenarioPhase(row.scenario!, s.name) !== undefined) : plan.stages;
    const arrivals = stages.reduce((n, s) => n + stageArea(s), 0) / sliceCount;
    const share = rowShare(row, shares, flowNames);
    for (const spec of row.checks) {
      if (isAnalysisMetric(spec.metric) || spec.metric === 'rps' || spec.severity === 'warn') continue;
      const least = row.confidence === false ? 1 : leastSamples(spec);
      out.push({ row: row.name, metric: spec.metric, samples: plan.model === 'open' ? Math.floor(arrivals * share) : null, least });
    }
  }
  return out;
}

/** `-d 34s`: the length the plan would need for `factor` times its samples (-d stretches every stage alike). */
function lengthFor(plan: Plan, factor: number): string {
  return `-d ${formatDuration(Math.max(1000, Math.ceil((plan.totalMs * factor) / 1000) * 1000))}`;
}

const count = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * Lines for the banner, `validate` and `list`: the checks this length cannot judge, and the -d
 * that could; when all can, the fewest samples and the shortest -d that still judges them all.
 * The closed model's samples depend on the service's latency: with a think time, users × time
 * ÷ the mean think time is an upper bound, said as such.
 */
export function describeEvidence(profile: Pick<Profile, 'requests' | 'flows' | 'targets'> & Partial<Pick<Profile, 'thinkTime'>>, plan: Plan, sliceCount = 1): string[] {
  const predicted = predictChecks(profile, plan, sliceCount);
  if (predicted.length === 0) return [];
  if (plan.model === 'closed') {
    const thinkMs = profile.thinkTime ? (profile.thinkTime.minMs + profile.thinkTime.maxMs) / 2 : 0;
    const generic = `evidence: closed model, so each check's samples depend on the service's latency (${predicted.length} checks; a p99 needs 299, a p95 59)`;
    if (thinkMs <= 0) return [generic];
    // each user sends at most one request per think time
    const bounded = predictChecks(profile, { ...plan, model: 'open' }, sliceCount).map((p) => ({ ...p, samples: Math.floor(((p.samples ?? 0) * 1000) / thinkMs) }));
    const short = bounded.filter((p) => p.samples < p.least);
    const fewest = bounded.reduce((a, b) => (b.samples < a.samples ? b : a));
    if (short.length === 0) {
      return [`evidence: closed model: at most about ${count(fewest.samples)} samples for the fewest (${fewest.row} ${fewest.metric}: users × time ÷ the ${formatDuration(thinkMs)} mean think time; the service's latency makes it fewer); ${predicted.length} checks, a p99 needs 299, a p95 59`];
    }
    return [
      `evidence: closed model: ${short.length} of ${predicted.length} checks cannot be judged at this length even at no latency (users × time ÷ the mean think time):`,
      ...short.map((p) => `  ${p.row} ${p.metric}: at most about ${count(p.samples)} samples, ${p.least} needed`),
    ];
  }
  const short = predicted.filter((p) => p.samples !== null && p.samples < p.least);
  const factor = Math.max(...predicted.map((p) => (p.samples! > 0 ? p.least / p.samples! : Number.POSITIVE_INFINITY)));
  if (short.length === 0) {
    // the check that needs the most of its samples sets the shortest length
    const tightest = predicted.reduce((a, b) => (b.least / b.samples! > a.least / a.samples! ? b : a));
    return [
      `evidence: all ${predicted.length} checks can be judged at this length (tightest: ${tightest.row} ${tightest.metric}, about ${count(tightest.samples!)} samples, ${count(tightest.least)} needed; ${lengthFor(plan, factor)} is the least that could judge them all)`,
    ];
  }
  const longer = Number.isFinite(factor) ? `; ${lengthFor(plan, factor)} would judge them` : '';
  return [
    `evidence: ${short.length} of ${predicted.length} checks cannot be judged at this length${longer}:`,
    ...short.map((p) => `  ${p.row} ${p.metric}: about ${count(p.samples ?? 0)} samples, ${p.least} needed`),
  ];
}

/** One scenario of a run, for its checks' evidence: its mix, and its plan with its own stage names. */
export interface ScenarioEvidencePart {
  name: string;
  requests: Profile['requests'];
  flows: Profile['flows'];
  plan: Plan;
}

/**
 * A run with scenarios: each check's samples added over the scenarios its row covers, each from
 * its own mix and stages; a check that covers a closed-model scenario cannot be predicted (left out).
 */
export function describeScenarioEvidence(targets: readonly TargetRow[], parts: readonly ScenarioEvidencePart[], totalMs: number, sliceCount = 1): string[] {
  const predicted = targets.flatMap((row) => {
    const { scenario, ...own } = row;
    const perPart = parts.filter((part) => scenario === undefined || scenario === part.name).map((part) => predictChecks({ requests: part.requests, flows: part.flows, targets: [own] }, part.plan, sliceCount));
    return (perPart[0] ?? []).map((check, i) => {
      const samples = perPart.map((list) => list[i]?.samples ?? null);
      return { ...check, samples: samples.some((n) => n === null) ? null : samples.reduce<number>((sum, n) => sum + n!, 0) };
    });
  });
  if (predicted.length === 0) return [];
  const known = predicted.filter((p): p is PredictedCheck & { samples: number } => p.samples !== null);
  if (known.length === 0) return [`evidence: closed-model scenarios, so each check's samples depend on the service's latency (${predicted.length} checks; a p99 needs 299, a p95 59)`];
  const closed = predicted.length - known.length;
  const closedNote = closed > 0 ? `; ${closed} of closed-model scenarios depend on the service's latency` : '';
  const short = known.filter((p) => p.samples < p.least);
  if (short.length === 0) {
    return [`evidence: all ${known.length} checks of open-model scenarios can be judged at this length (fewest samples: ${count(Math.min(...known.map((p) => p.samples)))})${closedNote}`];
  }
  const factor = Math.max(...short.map((p) => (p.samples > 0 ? p.least / p.samples : Number.POSITIVE_INFINITY)));
  const longer = Number.isFinite(factor) ? `; ${lengthFor({ model: 'open', stages: [], totalMs }, factor)} would judge them` : '';
  return [
    `evidence: ${short.length} of ${predicted.length} checks cannot be judged at this length${longer}${closedNote}:`,
    ...short.map((p) => `  ${p.row} ${p.metric}: about ${count(p.samples)} samples, ${p.least} needed`),
  ];
}
