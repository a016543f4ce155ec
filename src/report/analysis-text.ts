// The words of the `analysis` block, the same in every report (terminal, summary.md, HTML):
// one finding per analysis and the staircase's steps. Pure; reads a finished Result only.
import type { Analysis, BreakingPointStep, BreakingStep, DriftMetric } from '../result/analysis-types.js';
import type { Result } from '../result/types.js';
import { formatClock, formatDuration, formatLevel, formatMs, formatPercent, formatRps } from './format.js';

export type FindingTone = 'good' | 'bad' | 'neutral';

export interface Finding {
  /** `Spike recovery`, `Soak drift`, `Service resources`, `Breaking point` */
  title: string;
  /** the finding in one sentence */
  text: string;
  tone: FindingTone;
}

const signed = (ratio: number | null): string => {
  if (ratio === null || !Number.isFinite(ratio)) return 'n/a';
  const percent = ratio * 100;
  return `${percent >= 0 ? '+' : ''}${percent.toFixed(Math.abs(percent) >= 10 ? 0 : 1)}%`;
};
const points = (ratio: number | null): string => (ratio === null ? 'n/a' : `${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(2)} pp`);

const levelText = (level: number, model: Result['profile']['model']): string => formatLevel(model, level, level, ' req/s');

function stepText(step: BreakingPointStep, model: Result['profile']['model']): string {
  return `${step.phase} (${levelText(step.level, model)}, ${formatRps(step.rps)} req/s achieved)`;
}

function recoveryFinding(a: NonNullable<Analysis['recovery']>): Finding {
  const title = 'Spike recovery';
  const reference =
    `reference ${a.referencePhase}: p95 ${formatMs(a.referenceP95Ms)} ms, errors ${formatPercent(a.referenceErrorRate)}; ` +
    `${formatDuration(a.windowMs)} windows within p95 ≤ ${formatMs(a.tolerance.p95LimitMs)} ms and errors ≤ ${formatPercent(a.tolerance.errorRateLimit)}`;
  if (a.note !== undefined) return { title, text: `${a.spikePhase}: not judged — ${a.note}`, tone: 'neutral' };
  if (!a.recovered || a.recoveryMs === null) {
    return { title, text: `not recovered by the end of the run after ${a.spikePhase} (${reference})`, tone: 'bad' };
  }
  const when = a.recoveryMs === 0 ? 'as soon as' : `${formatDuration(a.recoveryMs)} after`;
  return { title, text: `recovered ${when} ${a.spikePhase} ended, at ${formatClock(a.recoveredAtMs ?? 0)} (${reference})`, tone: 'good' };
}

function driftMetricText(name: string, m: DriftMetric): string {
  const noise = m.changeLow !== undefined && m.changeHigh !== undefined ? ` [${signed(m.changeLow)}..${signed(m.changeHigh)}]` : '';
  return `${name} ${formatMs(m.early)} → ${formatMs(m.late)} ms (${signed(m.change)}${noise})`;
}

function driftFinding(a: NonNullable<Analysis['drift']>): Finding {
  const where = a.phase === null ? 'whole run' : a.phase;
  const windows = `early ${formatClock(a.early.startMs)}–${formatClock(a.early.endMs)} vs late ${formatClock(a.late.startMs)}–${formatClock(a.late.endMs)}`;
  const latency = [driftMetricText('p50', a.p50), driftMetricText('p95', a.p95), driftMetricText('p99', a.p99)].join(', ');
  const text =
    `${where}, ${windows}: ${latency}; errors ${points(a.errorRate.change)}, throughput ${signed(a.rps.change)}` +
    (a.source === 'timeline' ? ' (from the per-second points)' : '') +
    (a.note !== undefined ? ` — ${a.note}` : '');
  const beyondNoise = (a.p95.changeLow ?? a.p95.change ?? 0) > 0 && (a.p95.change ?? 0) > 0;
  return { title: 'Soak drift', text, tone: beyondNoise ? 'bad' : 'neutral' };
}

function resourcesFinding(a: NonNullable<Analysis['resources']>): Finding {
  const parts: string[] = [];
  if (a.startMemoryMB !== null && a.endMemoryMB !== null) {
    parts.push(`memory ${a.startMemoryMB} → ${a.endMemoryMB} MB (${signed(a.memoryGrowth)}), peak ${a.peakMemoryMB ?? 'n/a'} MB`);
  }
  if (a.meanCpuPercent !== null) parts.push(`CPU mean ${a.meanCpuPercent}%, peak ${a.peakCpuPercent ?? 'n/a'}%`);
  if (parts.length === 0) parts.push('no sample');
  const problem = a.problem !== undefined ? ` — ${a.problem}` : '';
  const samples = `${a.samples} sample${a.samples === 1 ? '' : 's'} every ${formatDuration(a.intervalMs)}`;
  return { title: 'Service resources', text: `${a.source}, ${samples}: ${parts.join('; ')}${problem}`, tone: a.problem !== undefined ? 'bad' : 'neutral' };
}

function breakingFinding(a: NonNullable<Analysis['breakingPoint']>, model: Result['profile']['model']): Finding {
  const title = 'Breaking point';
  const good = a.lastGood ? `last good ${stepText(a.lastGood, model)}` : 'no step held every target';
  if (!a.firstBroken) return { title, text: `${good}; no step broke${a.note !== undefined ? ` (${a.note})` : ''}`, tone: 'neutral' };
  const why = a.firstBroken.failed.map((f) => `${f.row} ${f.message}`).join('; ');
  const stopped = a.stoppedEarly ? '; the run stopped there (stopOnBreak)' : '';
  return { title, text: `${good}; first broken ${stepText(a.firstBroken, model)}: ${why}${stopped}`, tone: 'bad' };
}

/** One finding per analysis in the result, in a fixed order. */
export function analysisFindings(result: Result): Finding[] {
  const a = result.analysis;
  if (!a) return [];
  const findings: Finding[] = [];
  if (a.recovery) findings.push(recoveryFinding(a.recovery));
  if (a.drift) findings.push(driftFinding(a.drift));
  if (a.resources) findings.push(resourcesFinding(a.resources));
  if (a.breakingPoint) findings.push(breakingFinding(a.breakingPoint, result.profile.model));
  return findings;
}

export interface StepRow {
  phase: string;
  level: string;
  rps: string;
  /** the step's p95 (ms, no unit) and error rate, from its phase */
  p95: string;
  errorRate: string;
  requests: string;
  result: 'held' | 'broken' | 'partial';
  /** the broken checks, or a note on checks with too few samples */
  detail: string;
  /** this step is the breaking point (first broken) or the last good one */
  mark: 'first-broken' | 'last-good' | null;
}

/** The staircase's steps as table rows. */
export function breakingSteps(result: Result): StepRow[] {
  const bp = result.analysis?.breakingPoint;
  if (!bp) return [];
  return bp.steps.map((step: BreakingStep) => {
    const phase = result.phases.find((p) => p.name === step.phase);
    const detail = step.failed.length > 0 ? step.failed.map((f) => `${f.row} ${f.message}`).join('; ') : step.insufficient > 0 ? `${step.insufficient} check(s) with too few samples` : '';
    return {
      phase: step.phase,
      level: levelText(step.level, result.profile.model),
      rps: formatRps(step.rps),
      p95: phase === undefined ? 'n/a' : formatMs(phase.latencyMs.p95),
      errorRate: phase === undefined ? 'n/a' : formatPercent(phase.errorRate),
      requests: String(step.requests),
      result: !step.pass ? 'broken' : step.complete ? 'held' : 'partial',
      detail,
      mark: bp.firstBroken?.phase === step.phase ? 'first-broken' : bp.lastGood?.phase === step.phase ? 'last-good' : null,
    };
  });
}
