// What one run knows about each scope of a comparison: the whole run's totals and groups,
// each phase, and each group within each phase, all rebuilt from the result's cells (the
// exact data) with their time blocks. Pure: a Result in, scope data out.
import { requestCells, sumCells, type Cell } from '../metrics/cell.js';
import { createHistogram, type LatencyHistogram } from '../metrics/histogram.js';
import { statsBlock } from '../metrics/stats.js';
import { decodeTimeBlocks } from '../metrics/cell-codec.js';
import { decodeCells } from '../result/cells.js';
import type { Result, StatsBlock } from '../result/types.js';

export const TOTAL_SCOPE = 'total';

/** Where an entry looks: a phase (null = the whole run) and a group (null = all requests). */
export interface ScopeKey {
  phase: string | null;
  group: string | null;
}

/** `total`, `login`, `spike › total`, `spike › login` */
export function scopeLabel(key: ScopeKey): string {
  const group = key.group ?? TOTAL_SCOPE;
  return key.phase === null ? group : `${key.phase} › ${group}`;
}

export interface ScopeData {
  block: StatsBlock;
  /** null when the result carries no cells to rebuild it from */
  histogram: LatencyHistogram | null;
  /** the scope's window: the run's duration, or the phase's window within it */
  durationMs: number;
  /** the scope's latencies in equal time blocks (of the run, or of its phase); null when the result has none */
  timeBlocks: LatencyHistogram[] | null;
}

export interface RunScopes {
  /** scopes in report order: totals, groups, then per phase its total and groups */
  keys: ScopeKey[];
  get(key: ScopeKey): ScopeData | undefined;
  phases: string[];
  groups: string[];
}

const keyOf = (key: ScopeKey): string => `${key.phase ?? ''}\u0000${key.phase === null ? 0 : 1}\u0000${key.group ?? ''}\u0000${key.group === null ? 0 : 1}`;

function sumBlocks(all: LatencyHistogram[][]): LatencyHistogram[] {
  const total = Array.from({ length: Math.max(0, ...all.map((b) => b.length)) }, () => createHistogram(true));
  for (const blocks of all) blocks.forEach((h, i) => total[i]?.add(h));
  return total;
}

/** Every scope of one result. Flows are groups of the whole run; phases hold requests only. */
export function scopesOf(result: Result): RunScopes {
  const withService = result.profile.model === 'open';
  const cells: Cell[] = Array.isArray(result.cells) && result.cells.length > 0 ? decodeCells(result) : [];
  const hasCells = cells.length > 0;
  const requests = requestCells(cells);
  const runBlocks = result.timeBlocks && Object.keys(result.timeBlocks).length > 0 ? decodeTimeBlocks(result.timeBlocks) : null;
  const phaseBlocks = new Map(Object.entries(result.phaseTimeBlocks ?? {}).map(([phase, byGroup]) => [phase, decodeTimeBlocks(byGroup)]));

  const data = new Map<string, ScopeData>();
  const keys: ScopeKey[] = [];
  const add = (key: ScopeKey, scope: ScopeData): void => {
    keys.push(key);
    data.set(keyOf(key), scope);
  };
  const fromCells = (selected: Cell[], fallback: StatsBlock, durationMs: number, timeBlocks: LatencyHistogram[] | null): ScopeData => {
    if (!hasCells) return { block: fallback, histogram: null, durationMs, timeBlocks };
    const sum = sumCells(selected);
    return { block: statsBlock(sum, durationMs, withService), histogram: sum.latency, durationMs, timeBlocks };
  };

  add({ phase: null, group: null }, fromCells(requests, result.totals, result.durationMs, runBlocks ? sumBlocks([...runBlocks.values()]) : null));
  const groups = Object.keys(result.groups);
  for (const name of groups) {
    add({ phase: null, group: name }, fromCells(cells.filter((c) => c.group === name), result.groups[name]!, result.durationMs, runBlocks?.get(name) ?? null));
  }
  const phases = result.phases.map((p) => p.name);
  // a single phase is the whole run again: no scopes of its own
  if (result.phases.length < 2) return { keys, get: (key) => data.get(keyOf(key)), phases, groups };
  result.phases.forEach((phase, index) => {
    const windowMs = Math.max(0, Math.min(phase.endMs, result.durationMs) - phase.startMs);
    const inPhase = requests.filter((c) => c.phaseIndex === index);
    const blocks = phaseBlocks.get(phase.name) ?? null;
    add({ phase: phase.name, group: null }, fromCells(inPhase, phase, windowMs, blocks ? sumBlocks([...blocks.values()]) : null));
    if (!hasCells) return;
    for (const name of [...new Set(inPhase.map((c) => c.group))]) {
      add({ phase: phase.name, group: name }, fromCells(inPhase.filter((c) => c.group === name), phase, windowMs, blocks?.get(name) ?? (blocks ? [] : null)));
    }
  });
  return { keys, get: (key) => data.get(keyOf(key)), phases, groups };
}

/** The scopes present in every run of both sides, in the first baseline's order; and what is on one side only. */
export function matchScopes(baselines: readonly RunScopes[], currents: readonly RunScopes[]): {
  keys: ScopeKey[];
  onlyInBaseline: string[];
  onlyInCurrent: string[];
} {
  const all = [...baselines, ...currents];
  const keys = baselines[0]!.keys.filter((key) => all.every((run) => run.get(key) !== undefined));
  const names = (runs: readonly RunScopes[], pick: (r: RunScopes) => string[]): Set<string> => new Set(runs.flatMap(pick));
  const describe = (side: readonly RunScopes[], other: readonly RunScopes[]): string[] => {
    const phases = [...names(side, (r) => r.phases)].filter((p) => !other.every((r) => r.phases.includes(p)) || !side.every((r) => r.phases.includes(p)));
    const groups = [...names(side, (r) => r.groups)].filter((g) => !other.every((r) => r.groups.includes(g)) || !side.every((r) => r.groups.includes(g)));
    return [...phases.map((p) => `phase ${p}`), ...groups.map((g) => `group ${g}`)];
  };
  return { keys, onlyInBaseline: describe(baselines, currents), onlyInCurrent: describe(currents, baselines) };
}
