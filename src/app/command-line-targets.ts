// `--target` rows (config/target-expression.ts) added to the profile's own, checked against
// its request names as a table's rows are: a typo is exit 2 before anything is sent.
import { didYouMeanHint } from '../config/did-you-mean.js';
import { matchesGlob } from '../config/glob.js';
import { parseTargetExpression } from '../config/target-expression.js';
import { usageError } from '../errors.js';
import type { Profile } from '../config/types.js';

export function withCommandLineTargets(profile: Profile, expressions: readonly string[] | undefined, demo = false): Profile {
  if (!expressions || expressions.length === 0) return profile;
  const names = [...profile.requests.map((r) => r.name), ...profile.flows.flatMap((f) => [f.name, ...f.steps.flatMap((s) => (s.kind === 'request' ? [s.name] : []))])];
  const rows = expressions.map((text) => {
    const row = parseTargetExpression(text);
    const metric = row.checks[0]!.metric;
    if ((metric === 'cpu' || metric === 'memory') && profile.monitor === undefined && !demo) {
      throw usageError(`--target "${text}": ${metric} is read from the service monitor, and this profile has no \`monitor\``, 'add `monitor: { pid: 1234 }` to the profile, or run it with --demo (the demo process is monitored)');
    }
    for (const pattern of row.requests ?? []) {
      if (!names.some((name) => matchesGlob(name, pattern))) throw usageError(`--target "${text}": no request is named "${pattern}"`, didYouMeanHint(pattern, names, '"'));
    }
    return row;
  });
  return { ...profile, targets: [...profile.targets, ...rows], targetsSource: profile.targetsSource ?? 'command line' };
}
