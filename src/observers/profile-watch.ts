// The live side of the profile verdicts, as a load observer: samples the service's resources
// (monitor), captures a soak's drift windows and watches a staircase for its breaking point
// (stopOnBreak) on the per-second tick, reusing the judge's pure functions; what it saw goes to
// the judge once the run is over (liveFindings, monitorContext).
import { performance } from 'node:perf_hooks';
import { planAnalysis, type AnalysisPlan, type MonitorInfo } from '../judge/analysis/analyse.js';
import type { JudgeContext } from '../judge/judge-run.js';
import { BreakWatch, type BreakDecision } from '../judge/analysis/breaking-point.js';
import { DriftCapture } from '../judge/analysis/drift-capture.js';
import { attachResourceSamples, type ResourceSample } from '../judge/analysis/resources.js';
import { stageWindows } from '../config/stage-shape.js';
import { DEFAULT_MONITOR_INTERVAL_MS } from '../config/normalise-analysis.js';
import { describeMonitor, probeMonitor, startMonitor, type ServiceMonitor } from '../engine/monitor.js';
import type { MonitorSpec, Profile } from '../config/types.js';
import type { ScheduleHealth } from '../engine/executor.js';
import type { Plan } from '../engine/plan.js';
import type { LoadRunOutcome } from '../engine/run-load.js';
import type { LoadControl, LoadObserver } from '../engine/load-observer.js';
import type { SecondTick } from '../engine/run-load.js';

export interface RunAnalysisOptions {
  /** --demo: the demo service's process, monitored instead of the profile's `monitor` */
  demoPid?: number;
}

export class ProfileWatch implements LoadObserver {
  readonly plan: AnalysisPlan;
  private readonly monitorSpec: MonitorSpec | undefined;
  private readonly quietMonitor: boolean;
  private readonly capture: DriftCapture | undefined;
  private readonly breakWatch: BreakWatch | undefined;
  private monitor: ServiceMonitor | undefined;
  private monitorProblem: string | undefined;
  private t0: number | undefined;
  private samples: ResourceSample[] = [];
  /** set when stopOnBreak ended the run */
  brokeAt: BreakDecision | null = null;

  constructor(
    private readonly profile: Profile,
    plan: Plan,
    options: RunAnalysisOptions = {},
  ) {
    // the demo is perfctl's own child process: monitor it (quietly: /proc may not exist here)
    this.monitorSpec =
      options.demoPid !== undefined
        ? { kind: 'pid', pid: options.demoPid, intervalMs: profile.monitor?.intervalMs ?? DEFAULT_MONITOR_INTERVAL_MS }
        : profile.monitor;
    this.quietMonitor = options.demoPid !== undefined && profile.monitor === undefined;
    const windows = stageWindows(plan.stages, plan.stages);
    this.plan = planAnalysis(windows, profile.targets);
    if (this.plan.drift) this.capture = new DriftCapture(this.plan.drift);
    if (profile.stopOnBreak === true && this.plan.staircase.length > 0) {
      const watch = new BreakWatch(this.plan.staircase, profile.targets, plan.stages);
      if (watch.active) this.breakWatch = watch;
    }
  }

  /** the per-second tick needs the cells (the lead's workers send them only when asked) */
  /** the service's latest CPU and memory reading while the run goes on (live exports) */
  serviceReading(): { cpuPercent?: number; memoryMB?: number } | undefined {
    return this.monitor?.latest();
  }

  /** the monitor's samples so far, in ms since the run's start (checkpoints put them on the timeline) */
  serviceSamples(): ResourceSample[] {
    return this.monitor && this.t0 !== undefined ? this.monitor.samplesSoFar(this.t0) : [];
  }

  get needsCells(): boolean {
    return this.capture !== undefined || this.breakWatch !== undefined;
  }

  /** Before the load starts: check that the monitor can read the service, then start sampling. */
  async start(warn: (message: string) => void): Promise<void> {
    const spec = this.monitorSpec;
    if (!spec) return;
    const problem = await probeMonitor(spec);
    if (problem) {
      this.monitorProblem = problem;
      if (!this.quietMonitor) warn(`monitor: ${problem}; the run goes on without the service's CPU and memory`);
      return;
    }
    this.monitor = startMonitor(spec);
  }

  /** Once a second: capture the drift windows' boundaries, and stop the run once a step has clearly broken (stopOnBreak). */
  onSecond(tick: SecondTick, run: LoadControl): void {
    this.t0 ??= performance.now() - tick.elapsedMs;
    this.capture?.onSecond(tick.point.t, tick.cells);
    if (!this.breakWatch || this.brokeAt) return;
    const decision = this.breakWatch.check(tick.cells, tick.elapsedMs);
    if (!decision) return;
    this.brokeAt = decision;
    run.stop('breakingPoint');
  }

  /** After the load: the monitor's samples on the timeline. */
  async finish(outcome: LoadRunOutcome): Promise<LoadRunOutcome> {
    if (!this.monitor) return outcome;
    this.samples = await this.monitor.stop(this.t0 ?? performance.now() - outcome.durationMs);
    this.monitorProblem ??= this.monitor.problem;
    return { ...outcome, timeline: attachResourceSamples(outcome.timeline, this.samples) };
  }

  /** What the live watches saw, for the judge. */
  liveFindings(outcome: LoadRunOutcome & { abortedBy?: string | null }): NonNullable<JudgeContext['live']> {
    return {
      driftCells: this.capture?.finish(outcome.cells, outcome.durationMs) ?? null,
      stoppedAtBreak: this.brokeAt !== null,
      abortedBy: outcome.abortedBy ?? null,
    };
  }

  /** The monitor the judge reports on (a --demo monitor only when it could read the demo). */
  monitorContext(): { monitor?: MonitorInfo } {
    if (!this.monitorSpec || (!this.monitor && this.quietMonitor)) return {};
    return {
      monitor: {
        source: describeMonitor(this.monitorSpec),
        intervalMs: this.monitorSpec.intervalMs,
        ...(this.monitorProblem !== undefined ? { problem: this.monitorProblem } : {}),
      },
    };
  }

  /**
   * The schedule's health as far as the run went: a run stopped at its breaking point did not
   * fall behind because it left the later steps out.
   */
  healthOf(health: ScheduleHealth | null): ScheduleHealth | null {
    if (!health || !this.brokeAt) return health;
    return { ...health, due: Math.min(health.due, health.launched + health.undelivered) };
  }
}
