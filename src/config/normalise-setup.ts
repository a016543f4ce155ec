// `setup:` and `teardown:`: steps in flow syntax, run once before and once after the load. The
// setup steps' captures become {{ setup.NAME }} for every template of the load and the teardown.

import type { InputIssue } from '../errors.js';
import { FlowChecker, checkSteps, type FlowsContext } from './normalise-flows.js';
import { isRecord, type Report } from './read-values.js';
import type { FieldPath } from './yaml-source.js';
import type { FlowSpec } from './types.js';
import { issueAt } from './yaml-source.js';

export interface NormalisedOnce {
  setup?: FlowSpec;
  teardown?: FlowSpec;
  /** what the setup steps capture: the names {{ setup.NAME }} may use */
  setupCaptures: string[];
  secrets: string[];
  issues: InputIssue[];
}

/** `context` as for the flows; setup and teardown read no data files */
export function normaliseSetupTeardown(data: Record<string, unknown>, context: FlowsContext): NormalisedOnce {
  const issues: InputIssue[] = [];
  const secrets: string[] = [];
  const report: Report = (path, message, hint) => issues.push(issueAt(context.source, path, message, hint));
  const once = (key: 'setup' | 'teardown', setupCaptures: readonly string[] | undefined): FlowSpec | undefined => {
    const raw = data[key];
    if (!Array.isArray(raw)) return undefined; // absent, or the schema reports the type
    const stepContext: FlowsContext = { ...context, dataSources: [], brokenSources: [], ...(setupCaptures ? { setupCaptures } : { setupCaptures: undefined }) };
    const checker = new FlowChecker(key, [key], raw, stepContext, report, secrets);
    const names = new Map<string, string>();
    const steps = checkSteps(raw, [key], checker, report, (step, path, explicit) => {
      const first = names.get(step.name);
      if (first !== undefined) report(explicit ? [...path, 'name'] : path, `step name "${step.name}" is already used by ${first}`, `each ${key} step needs its own name: it is reported on its own`);
      else names.set(step.name, path.join('.'));
    });
    if (raw.length > 0 && steps.every((step) => step.kind === 'think')) report([key], `${key} has no request step`, 'a step with a `path` sends a request');
    requireHold(raw, [key], key, report);
    return { name: key, weight: 1, steps };
  };
  const setup = once('setup', undefined);
  const setupCaptures = [...new Set((setup?.steps ?? []).flatMap((step) => (step.kind === 'request' ? step.captures.map((capture) => capture.name) : [])))];
  const teardown = once('teardown', setupCaptures);
  return { ...(setup ? { setup } : {}), ...(teardown ? { teardown } : {}), setupCaptures, secrets, issues };
}

/** A socket held "to the end of the run" has no end before the load: setup and teardown need `hold`. */
function requireHold(raw: unknown[], path: FieldPath, key: 'setup' | 'teardown', report: Report): void {
  raw.forEach((item, index) => {
    if (!isRecord(item)) return;
    if (Array.isArray(item['steps'])) requireHold(item['steps'], [...path, index, 'steps'], key, report);
    if (item['ws'] !== undefined && item['hold'] === undefined) {
      report([...path, index, 'ws'], `a ws: step in ${key} needs \`hold\`: there is no end of the run to hold it to`, 'add e.g. `hold: 2s` (the socket closes normally after it)');
    }
  });
}
