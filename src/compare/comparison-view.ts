// One set of words and one order for a comparison in every report (terminal, Markdown,
// HTML): regressions first, then every entry grouped by scope; an entry the data could not
// judge says "not judged", never "ok".
import type { Comparison, ComparisonEntry, ComparisonState } from '../result/types.js';

export const STATE_WORDS: Record<ComparisonState, string> = {
  regression: 'regression',
  noise: 'within noise',
  ok: 'ok',
  'not-judged': 'not judged',
};

/** The entry's state; results written before entries had one are read from their note. */
export function entryState(entry: ComparisonEntry): ComparisonState {
  if (entry.state !== undefined) return entry.state;
  if (entry.regression) return 'regression';
  const note = entry.note ?? '';
  if (/not judged|too few|no histogram|no samples|no requests/.test(note)) return 'not-judged';
  if (/within noise/.test(note)) return 'noise';
  return 'ok';
}

export interface ScopeSection {
  scope: string;
  /** the phase of the scope, null for the whole run */
  phase: string | null;
  entries: ComparisonEntry[];
}

/** Scopes in the comparison's order (whole run first, then phase by phase). */
export function sectionsByScope(comparison: Comparison): ScopeSection[] {
  const sections = new Map<string, ScopeSection>();
  for (const entry of comparison.entries) {
    let section = sections.get(entry.scope);
    if (!section) {
      section = { scope: entry.scope, phase: entry.phase ?? null, entries: [] };
      sections.set(entry.scope, section);
    }
    section.entries.push(entry);
  }
  return [...sections.values()];
}

export function regressionsOf(comparison: Comparison): ComparisonEntry[] {
  return comparison.entries.filter((e) => entryState(e) === 'regression');
}

export function countStates(comparison: Comparison): Record<ComparisonState, number> {
  const counts: Record<ComparisonState, number> = { regression: 0, noise: 0, ok: 0, 'not-judged': 0 };
  for (const entry of comparison.entries) counts[entryState(entry)]++;
  return counts;
}

/** `2 regressions, 3 within noise, 60 ok, 35 not judged` */
export function describeCounts(comparison: Comparison): string {
  const counts = countStates(comparison);
  const parts = [
    `${counts.regression} regression${counts.regression === 1 ? '' : 's'}`,
    counts.noise > 0 ? `${counts.noise} within noise` : null,
    `${counts.ok} ok`,
    counts['not-judged'] > 0 ? `${counts['not-judged']} not judged` : null,
  ];
  return parts.filter((p): p is string => p !== null).join(', ');
}

/** How the noise was judged, in one sentence for every report. */
export function describeMethod(comparison: Comparison): string | null {
  const m = comparison.method;
  if (!m) return null;
  const runs = m.baselineRuns > 1 || m.currentRuns > 1 ? `; ${m.baselineRuns} baseline and ${m.currentRuns} current run${m.currentRuns === 1 ? '' : 's'}` : '';
  const across = m.runAlpha !== undefined ? `, the change holding across runs (rank test over runs, p ≤ ${m.runAlpha})` : '';
  return `false alarms held to ${m.alpha * 100}% over the ${m.tested} judged entries (Holm)${across}${runs}`;
}

/** Phases and groups on one side only, in one line; null when both sides match. */
export function describeUnmatched(comparison: Comparison): string | null {
  const parts: string[] = [];
  if (comparison.onlyInBaseline?.length) parts.push(`only in the baseline: ${comparison.onlyInBaseline.join(', ')}`);
  if (comparison.onlyInCurrent?.length) parts.push(`only in the current run: ${comparison.onlyInCurrent.join(', ')}`);
  return parts.length > 0 ? `Not compared (${parts.join('; ')}).` : null;
}
