// Holm's step-down method (Holm 1979): of m tests, reject the one with the smallest p-value
// when p ≤ α/m, the next when p ≤ α/(m−1), and so on, stopping at the first that is not.
// The chance of any false alarm among the m stays at most α whatever the dependence between
// the tests, which matters here: the totals, a group and that group within a phase share data.

/**
 * The level each p-value was held to, or null for the tests not rejected. `pValues[i]` null
 * = not tested (not counted in m). `cap`: no level above it.
 */
export function holmLevels(pValues: readonly (number | null)[], alpha: number, cap = 1): (number | null)[] {
  const tested = pValues.flatMap((p, i) => (p === null ? [] : [{ p, i }])).sort((a, b) => a.p - b.p);
  const m = tested.length;
  const levels: (number | null)[] = pValues.map(() => null);
  for (let k = 0; k < m; k++) {
    // a cap makes each step stricter still (never looser than `cap`), so the family stays within alpha
    const level = Math.min(cap, alpha / (m - k));
    const { p, i } = tested[k]!;
    if (p > level) break;
    levels[i] = level;
  }
  return levels;
}

/** The Holm level an entry with this rank (0 = smallest p) among m tests is held to. */
export function holmLevelAt(rank: number, m: number, alpha: number): number {
  return alpha / Math.max(1, m - rank);
}
