// Is the current run's statistic higher than the baseline's in most time blocks, or only in a
// burst? Latencies a second apart are correlated (a GC pause, a noisy neighbour), so a run is
// judged by its time blocks, not by its requests as if each were independent.

/**
 * One-sided Mann-Whitney U test that `current` tends to exceed `baseline`: the z score of
 * U = #{(b, c) : c > b} + ½ #{c = b}, normal approximation with the tie correction.
 * Needs no assumption about the distribution of the block values.
 */
export function mannWhitneyZ(baseline: readonly number[], current: readonly number[]): number {
  const n1 = baseline.length;
  const n2 = current.length;
  if (n1 === 0 || n2 === 0) return 0;
  let u = 0;
  for (const c of current) for (const b of baseline) u += c > b ? 1 : c === b ? 0.5 : 0;
  const mean = (n1 * n2) / 2;
  const all = [...baseline, ...current].sort((a, b) => a - b);
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j] === all[i]) j++;
    const t = j - i;
    tieTerm += t * t * t - t;
    i = j;
  }
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return u > mean ? Infinity : 0;
  return (u - mean) / Math.sqrt(variance);
}
