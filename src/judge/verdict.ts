// The verdict of a run and one sentence saying why (pure).
import type { RunStatus, TargetCheckResult, Verdict } from '../result/types.js';
import { describeRowCheck } from './checks.js';

export interface VerdictInput {
  status: RunStatus;
  checks: TargetCheckResult[];
  /** regressions found against a baseline (0 without one) */
  regressions: number;
  /** why perfctl could not deliver the profile (fell behind, < 95% of the planned rate), or null */
  inconclusiveReason?: string | null;
  /** the check that stopped the run (describeRowCheck of AbortWatch's check), or null */
  abortedBy?: string | null;
}

export interface VerdictDecision {
  verdict: Verdict;
  reason: string;
}

/** How many failed checks a reason names before it says "and N more". */
const LISTED_FAILURES = 3;

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

function failedChecksSentence(checks: TargetCheckResult[]): string | null {
  const failed = checks.filter((c) => !c.pass);
  if (failed.length === 0) return null;
  const listed = failed.slice(0, LISTED_FAILURES).map(describeRowCheck);
  const more = failed.length > LISTED_FAILURES ? `, and ${failed.length - LISTED_FAILURES} more` : '';
  const verb = failed.length === 1 ? 'check failed' : 'checks failed';
  return `${failed.length} of ${checks.length} ${verb}: ${listed.join(', ')}${more}`;
}

function regressionsSentence(regressions: number): string | null {
  return regressions > 0 ? `${plural(regressions, 'regression', 'regressions')} against the baseline` : null;
}

/**
 * Precedence: a run perfctl could not carry out fails; an interrupted run is never a pass
 * (its numbers cover part of the profile); a run stopped by an abortOnFail row fails; a run
 * perfctl could not deliver is inconclusive even if checks failed (the numbers say more about
 * the load generator than about the service); then failed checks and regressions fail it.
 */
export function decideVerdict(input: VerdictInput): VerdictDecision {
  const { status, checks, regressions } = input;
  const failures = failedChecksSentence(checks);
  const regressed = regressionsSentence(regressions);

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
  if (checks.length === 0) return { verdict: 'pass', reason: 'completed with no targets to check' };
  return { verdict: 'pass', reason: checks.length === 1 ? 'the 1 check passed' : `all ${checks.length} checks passed` };
}
