// The verdict of a run and one sentence saying why (pure), SPEC §3:
// fail > inconclusive (a check is uncertain) > warn (only warning limits missed) > pass; a run
// without any check is `none`, never a pass.
import { formatDuration } from '../config/duration.js';
import type { RunStatus, TargetCheckResult, Verdict } from '../result/types.js';
import { describeRowCheck, stateOf } from './checks.js';

export interface VerdictInput {
  status: RunStatus;
  checks: TargetCheckResult[];
  /** regressions found against a baseline (0 without one) */
  regressions: number;
  /** true when the run was compared with a baseline (a comparison is something judged) */
  compared?: boolean;
  /** how the reports name the baseline (a file, or "5 results in base/"): the verdict says which */
  baselineLabel?: string;
  /** why perfctl could not deliver the profile (fell behind, < 95% of the planned rate), or null */
  inconclusiveReason?: string | null;
  /** the check that stopped the run (describeRowCheck of AbortWatch's check), or null */
  abortedBy?: string | null;
  /** the planned length of the run, ms: how much longer a run would judge an uncertain check */
  plannedMs?: number;
}

export interface VerdictDecision {
  verdict: Verdict;
  reason: string;
}

/** How many checks a reason names before it says "and N more". */
const LISTED = 3;

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

function listChecks(checks: TargetCheckResult[], of: number, verb: [string, string]): string | null {
  if (checks.length === 0) return null;
  const listed = checks.slice(0, LISTED).map(describeRowCheck);
  const more = checks.length > LISTED ? `, and ${checks.length - LISTED} more` : '';
  return `${checks.length} of ${of} ${of === 1 ? 'check' : 'checks'} ${checks.length === 1 ? verb[0] : verb[1]}: ${listed.join(', ')}${more}`;
}

function regressionsSentence(regressions: number, label?: string): string | null {
  return regressions > 0 ? `${plural(regressions, 'regression', 'regressions')} against ${label ?? 'the baseline'}` : null;
}

/** `2.5×`: a factor rounded up to a tenth (never 1×: a run as long would judge nothing new). */
function roundFactor(factor: number): number {
  return Math.max(1.1, Math.ceil(factor * 10 - 1e-9) / 10);
}

/**
 * What would judge the uncertain checks: the run (its samples grow with -d and --scale alike)
 * needs to be as many times longer, or heavier, as the check that needs the most.
 */
export function moreEvidenceSentence(uncertain: TargetCheckResult[], plannedMs: number | undefined): string {
  let factor = 0;
  for (const check of uncertain) {
    const samples = check.samples ?? 0;
    if (check.samplesNeeded === undefined) continue;
    factor = Math.max(factor, samples > 0 ? check.samplesNeeded / samples : Number.POSITIVE_INFINITY);
  }
  if (factor === 0) return 'no run length would judge it at this behaviour';
  if (!Number.isFinite(factor)) return 'its scope had no samples: check the row’s requests and phase, or run longer';
  const x = roundFactor(factor);
  const longer = plannedMs !== undefined && plannedMs > 0 ? ` (-d ${formatDuration(Math.ceil((plannedMs * x) / 1000) * 1000)})` : '';
  return `a run about ${x}× as long${longer} or at ${x}× the load (--scale ${x}) would judge it`;
}

/**
 * Precedence: a run perfctl could not carry out fails; an interrupted run is never a pass
 * (its numbers cover part of the profile); a run stopped by an abortOnFail row fails; a run
 * perfctl could not deliver is inconclusive even if checks failed (the numbers say more about
 * the load generator than about the service); then failed checks and regressions fail it,
 * uncertain checks make it inconclusive, missed warning limits make it `warn`.
 */
export function decideVerdict(input: VerdictInput): VerdictDecision {
  const { status, checks, regressions } = input;
  const failing = checks.filter((c) => stateOf(c) === 'fail' && c.severity !== 'warn');
  const failures = listChecks(failing, checks.length, ['failed', 'failed']);
  const regressed = regressionsSentence(regressions, input.baselineLabel);

  switch (status) {
    case 'failed':
      return {
        verdict: 'fail',
        reason: `failed: perfctl could not carry out the run${input.inconclusiveReason ? ` (${input.inconclusiveReason})` : ''}`,
      };
    case 'interrupted': {
      const sofar = failures ? `; so far ${failures}` : '';
      return { verdict: 'inconclusive', reason: `interrupted: the run was stopped before the end of the profile${sofar}` };
    }
    case 'aborted':
      return { verdict: 'fail', reason: `aborted: ${input.abortedBy ?? failures ?? 'a target with abortOnFail failed'}` };
    case 'running': {
      // a checkpoint: the data so far, never a verdict on the whole profile
      const sofar = failures ? `; so far ${failures}` : '';
      return { verdict: 'inconclusive', reason: `running: a checkpoint written while the run was still going on${sofar}` };
    }
    case 'completed':
      break;
    default: {
      const never: never = status;
      throw new Error(`unknown run status ${String(never)}`);
    }
  }

  if (input.inconclusiveReason) return { verdict: 'inconclusive', reason: `inconclusive: ${input.inconclusiveReason}` };

  if (failures || regressed) {
    return { verdict: 'fail', reason: [failures, regressed].filter((s) => s !== null).join('; ') };
  }
  // a warning-level check cannot fail the run, so it cannot hold its verdict up either
  const uncertain = checks.filter((c) => stateOf(c) === 'uncertain' && c.severity !== 'warn');
  if (uncertain.length > 0) {
    const which = listChecks(uncertain, checks.length, ['is uncertain', 'are uncertain'])!;
    return { verdict: 'inconclusive', reason: `inconclusive: ${which}; ${moreEvidenceSentence(uncertain, input.plannedMs)}` };
  }
  const warned = checks.filter((c) => stateOf(c) === 'fail' && c.severity === 'warn');
  if (warned.length > 0) {
    return { verdict: 'warn', reason: `warn: ${listChecks(warned, checks.length, ['missed a warning limit', 'missed warning limits'])}` };
  }
  if (checks.length === 0 && input.compared !== true) return { verdict: 'none', reason: 'no targets: nothing was judged' };
  if (checks.length === 0) return { verdict: 'pass', reason: `no regression against ${input.baselineLabel ?? 'the baseline'}` };
  return { verdict: 'pass', reason: checks.length === 1 ? 'the 1 check passed' : `all ${checks.length} checks passed` };
}

/** The verdict of several results (a sign-off): the worst of them, fail > inconclusive > warn > pass > none. */
export function overallVerdict(results: Array<{ verdict: Verdict }>): Verdict {
  const order: Verdict[] = ['fail', 'inconclusive', 'warn', 'pass', 'none'];
  for (const verdict of order) if (results.some((r) => r.verdict === verdict)) return verdict;
  return 'none';
}
