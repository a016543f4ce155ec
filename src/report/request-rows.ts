// The per-request table's rows in reading order, the same in every report: each flow's own row
// (whole iterations) first, then its steps in the order the flow runs them; requests that belong
// to no flow after. Pure; reads the result's groups, cells and resolved profile only.
import type { Result, StatsBlock } from '../result/types.js';

export interface RequestRow {
  name: string;
  stats: StatsBlock;
  /** flow: a whole iteration of a flow; step: a step of `flow`; request: a request of the mix */
  kind: 'flow' | 'step' | 'request';
  flow: string | null;
}

/** Step names of each flow, in order, from the resolved profile (think steps have none). */
function flowSteps(result: Result): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const resolved = result.profile.resolved as { flows?: unknown } | undefined;
  if (!resolved || !Array.isArray(resolved.flows)) return out;
  for (const flow of resolved.flows as Array<{ name?: unknown; steps?: unknown }>) {
    if (typeof flow?.name !== 'string' || !Array.isArray(flow.steps)) continue;
    const names = (flow.steps as Array<{ name?: unknown }>).map((s) => s?.name).filter((n): n is string => typeof n === 'string');
    out.set(flow.name, names);
  }
  return out;
}

export function requestRows(result: Result): RequestRow[] {
  // (an SSE stream's NAME.first is kept apart from the requests as a flow is, but it is no flow)
  const firstOfStream = (name: string): boolean => name.endsWith('.first') && result.groups[name.slice(0, -'.first'.length)] !== undefined;
  const flowNames = new Set(result.cells.filter((c) => c.flow === true && !firstOfStream(c.group)).map((c) => c.group));
  const steps = flowSteps(result);
  for (const name of steps.keys()) if (result.groups[name] !== undefined) flowNames.add(name);
  const placed = new Set<string>();
  const rows: RequestRow[] = [];
  const groupNames = Object.keys(result.groups);
  for (const flow of groupNames.filter((n) => flowNames.has(n))) {
    rows.push({ name: flow, stats: result.groups[flow]!, kind: 'flow', flow: null });
    placed.add(flow);
    for (const step of steps.get(flow) ?? []) {
      // a stream step records its connect apart (`collab-live.connect`) beside its messages
      for (const name of groupNames.filter((n) => n === step || n.startsWith(`${step}.`))) {
        if (placed.has(name)) continue;
        rows.push({ name, stats: result.groups[name]!, kind: 'step', flow });
        placed.add(name);
      }
    }
  }
  // requests of the mix first when there are no flows; anything unplaced keeps its order
  const rest = groupNames.filter((n) => !placed.has(n)).map((name): RequestRow => ({ name, stats: result.groups[name]!, kind: 'request', flow: null }));
  return flowNames.size === 0 ? rest : [...rows, ...rest];
}
