// Several scenarios at once: one load run per scenario (its own executor, model, mix and
// connections, exactly as a profile of one scenario runs), all on one shared t = 0, so
// nothing changes on the request path. Their cells are the run's cells with each scenario's
// stage indexes moved to its place among the run's phases, and their seconds are added into
// one timeline, exactly (each second's histograms are added, never percentiles averaged).
import { monotonicClock } from './clock.js';
import { addInto, createHistogram, decodeHistogram, encodeHistogram, type LatencyHistogram } from '../metrics/histogram.js';
import { combineTimeBlocks, phaseBlockKey } from '../metrics/cell-codec.js';
import { levelAt } from './plan.js';
import { startLoadInWorkers } from './run-workers.js';
import { partStageAt, runPhaseIndex, type ScenarioPart, type ScenarioPlan } from './scenario-plan.js';
import type { Cell } from '../metrics/cell.js';
import { addTimelinePoints, type TimelinePoint } from '../metrics/recorder.js';
import type { ScheduleHealth } from './executor.js';
import type { LoadRun, LoadRunOptions, LoadRunOutcome, ScenarioLevel, SecondTick } from './run-load.js';

/** Time given to opening the first connections before the shared t = 0. */
const HEAD_START_MS = 50;

/** What each scenario's run shares: the run's options without the plan and mix. */
export type SharedLoadOptions = Omit<LoadRunOptions, 'plan' | 'requests' | 'flows' | 'data' | 'thinkTime' | 'timeoutMs' | 'maxInFlight'>;

/** One run per scenario, combined; `options.onSecond` sees the run's seconds, each with every scenario's level. */
export function startScenarioLoads(scenarioPlan: ScenarioPlan, options: SharedLoadOptions, workerCount = 1, liveCells = false): LoadRun {
  const clock = options.clock ?? monotonicClock;
  const startAtMs = options.startAtMs ?? clock.nowMs() + HEAD_START_MS;
  const { parts } = scenarioPlan;
  const merger = new ScenarioSeconds(parts, options.onSecond);
  const runs = parts.map((part, j) => {
    const { spec } = part;
    return startLoadInWorkers({
      ...options,
      plan: part.plan,
      requests: spec.requests,
      flows: spec.flows,
      data: spec.data,
      thinkTime: spec.thinkTime,
      timeoutMs: spec.timeoutMs,
      maxInFlight: spec.maxInFlight,
      ...(spec.baseUrl !== undefined ? { baseUrl: spec.baseUrl } : {}),
      ...(spec.http !== undefined ? { http: spec.http } : {}),
      ...(spec.httpVersion !== undefined ? { httpVersion: spec.httpVersion } : {}),
      ...(spec.setupValues !== undefined ? { setupValues: spec.setupValues } : {}),
      startAtMs,
      exportSecondHistograms: true,
      onSecond: (tick) => merger.add(j, tick),
    }, workerCount, liveCells);
  });
  let stopped = false;
  const stopAll: LoadRun['stop'] = (reason) => {
    if (stopped) return;
    stopped = true;
    for (const run of runs) run.stop(reason);
  };
  const finished = Promise.all(
    runs.map(async (run, j) => {
      const outcome = await run.finished;
      merger.finish(j, outcome);
      return outcome;
    }),
  ).then((outcomes) => combineScenarioOutcomes(parts, outcomes, merger.timeline));
  return { stop: stopAll, finished };
}

/** A part's cells with their stage indexes moved to the run's phases (copies; the histograms are shared, never changed). */
export function cellsInRun(part: Pick<ScenarioPart, 'waitStages' | 'phaseBase'>, cells: readonly Cell[]): Cell[] {
  return cells.map((cell) => ({ ...cell, phaseIndex: runPhaseIndex(part, cell.phaseIndex) }));
}

/** The parts' outcomes as one run's: cells and time blocks in the run's phases, health added up. */
export function combineScenarioOutcomes(parts: readonly ScenarioPart[], outcomes: readonly LoadRunOutcome[], timeline: TimelinePoint[]): LoadRunOutcome {
  const startedAtMs = Math.min(...outcomes.map((o) => o.startedAt.getTime()));
  const endedAtMs = Math.max(...outcomes.map((o) => o.startedAt.getTime() + o.durationMs));
  const healths = outcomes.map((o) => o.health).filter((h): h is ScheduleHealth => h !== null);
  const firstSends = outcomes.map((o) => o.firstSendAt?.getTime()).filter((t): t is number => t !== undefined);
  const add = (pick: (h: ScheduleHealth) => number): number => healths.reduce((sum, h) => sum + pick(h), 0);
  return {
    status: outcomes.find((o) => o.status !== 'completed')?.status ?? 'completed',
    startedAt: new Date(startedAtMs),
    endedAt: new Date(endedAtMs),
    durationMs: endedAtMs - startedAtMs,
    cells: outcomes.flatMap((o, j) => cellsInRun(parts[j]!, o.cells)),
    timeline,
    health: healths.length === 0 ? null : { due: add((h) => h.due), launched: add((h) => h.launched), late: add((h) => h.late), dropped: add((h) => h.dropped), undelivered: add((h) => h.undelivered) },
    maxLoopLagMs: Math.max(...outcomes.map((o) => o.maxLoopLagMs)),
    firstSendAt: firstSends.length === 0 ? null : new Date(Math.min(...firstSends)),
    timeBlocks: combineTimeBlocks(outcomes.map((o, j) => blocksInRun(parts[j]!, o.timeBlocks))),
  };
}

/** A part's time blocks with its phases' keys moved to the run's phases. */
function blocksInRun(part: ScenarioPart, blocks: Map<string, LatencyHistogram[]>): Map<string, LatencyHistogram[]> {
  const moved = new Map<string, LatencyHistogram[]>();
  for (const [key, histograms] of blocks) {
    const phase = /^\u0000(\d+)\u0000([\s\S]*)$/.exec(key);
    moved.set(phase ? phaseBlockKey(runPhaseIndex(part, Number(phase[1])), phase[2]!) : key, histograms);
  }
  return moved;
}

/**
 * Waits for every running scenario's second t, then emits the run's second: counts added,
 * percentiles from the added histograms, and each scenario's level and stage.
 */
class ScenarioSeconds {
  readonly timeline: TimelinePoint[] = [];
  private readonly pending = new Map<number, Array<SecondTick | undefined>>();
  private readonly running: boolean[];
  private readonly latest: Array<{ cells: () => Cell[]; requests: number; errors: number } | undefined>;

  constructor(
    private readonly parts: readonly ScenarioPart[],
    private readonly onSecond: LoadRunOptions['onSecond'],
  ) {
    this.running = parts.map(() => true);
    this.latest = parts.map(() => undefined);
  }

  add(j: number, tick: SecondTick): void {
    const ticks = this.pending.get(tick.point.t) ?? Array.from<SecondTick | undefined>({ length: this.parts.length });
    ticks[j] = tick;
    this.pending.set(tick.point.t, ticks);
    const part = this.parts[j]!;
    this.latest[j] = { cells: () => cellsInRun(part, tick.cells()), requests: tick.requests, errors: tick.errors };
    this.flush(false);
  }

  finish(j: number, outcome: LoadRunOutcome): void {
    this.running[j] = false;
    const cells = cellsInRun(this.parts[j]!, outcome.cells);
    const requests = cells.reduce((sum, c) => sum + (c.flow ? 0 : c.requests), 0);
    const errors = cells.reduce((sum, c) => sum + (c.flow ? 0 : c.errors), 0);
    this.latest[j] = { cells: () => cells, requests, errors };
    this.flush(this.running.every((r) => !r));
  }

  private flush(all: boolean): void {
    for (const t of [...this.pending.keys()].sort((a, b) => a - b)) {
      const ticks = this.pending.get(t)!;
      if (!all && !ticks.every((tick, j) => tick !== undefined || !this.running[j])) return;
      this.pending.delete(t);
      this.emit(t, ticks);
    }
  }

  private emit(t: number, ticks: Array<SecondTick | undefined>): void {
    const present = ticks.filter((tick): tick is SecondTick => tick !== undefined);
    const histogram = createHistogram();
    for (const tick of present) if (tick.secondHistogram !== undefined) addInto(histogram, decodeHistogram(tick.secondHistogram));
    const point = addTimelinePoints(t, present.map((tick) => tick.point), histogram);
    this.timeline.push(point);
    if (!this.onSecond) return;
    const endMs = t * 1000;
    const scenarios: ScenarioLevel[] = this.parts.map((part) => ({
      name: part.spec.name,
      model: part.spec.model,
      stage: partStageAt(part, Math.min(endMs, part.plan.totalMs) - 1),
      level: endMs - 1 < part.plan.totalMs ? levelAt(part.plan, endMs - 1) : 0,
    }));
    const latest = this.latest;
    const first = present[0]!;
    this.onSecond({
      elapsedMs: Math.max(...present.map((tick) => tick.elapsedMs)),
      point,
      stageIndex: runPhaseIndex(this.parts[ticks.indexOf(first)]!, first.stageIndex),
      level: point.level,
      requests: latest.reduce((s, l) => s + (l?.requests ?? 0), 0),
      errors: latest.reduce((s, l) => s + (l?.errors ?? 0), 0),
      inFlight: present.reduce((s, tick) => s + tick.inFlight, 0),
      cells: () => latest.flatMap((l) => l?.cells() ?? []),
      secondHistogram: encodeHistogram(histogram),
      scenarios,
    });
  }
}
