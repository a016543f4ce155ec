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

/** Fewest values on both sides together for which the exact permutation distribution is counted. */
const EXACT_MAX_TOTAL = 30;

/**
 * One-sided p-value of the Mann-Whitney test that `current` tends to exceed `baseline`.
 * Exact for small samples (up to 30 values in all): the permutation distribution of the
 * current side's rank sum, with mid-ranks for ties, counted by dynamic programming; so 10
 * blocks all above 10 others give p = 1/184756, not the normal approximation's 8e-5.
 * Larger samples use the normal approximation with the tie correction.
 */
export function mannWhitneyP(baseline: readonly number[], current: readonly number[]): number {
  const n1 = baseline.length;
  const n2 = current.length;
  if (n1 === 0 || n2 === 0) return 1;
  if (n1 + n2 > EXACT_MAX_TOTAL) return normalUpperTail(mannWhitneyZ(baseline, current));
  // doubled mid-ranks are integers
  const all = [...baseline.map((v) => ({ v, current: false })), ...current.map((v) => ({ v, current: true }))].sort((a, b) => a.v - b.v);
  const ranks2: number[] = new Array<number>(all.length);
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]!.v === all[i]!.v) j++;
    for (let k = i; k < j; k++) ranks2[k] = i + j + 1; // 2 × the mean of ranks i+1..j
    i = j;
  }
  let observed = 0;
  all.forEach((x, i) => {
    if (x.current) observed += ranks2[i]!;
  });
  // ways[k][s]: subsets of size k of the ranks seen so far with doubled rank sum s
  const maxSum = ranks2.reduce((a, b) => a + b, 0);
  const ways: Float64Array[] = Array.from({ length: n2 + 1 }, () => new Float64Array(maxSum + 1));
  ways[0]![0] = 1;
  ranks2.forEach((r, seen) => {
    // 0/1 knapsack: sizes downwards, so each rank joins a subset at most once
    for (let k = Math.min(n2, seen + 1); k >= 1; k--) {
      const from = ways[k - 1]!;
      const to = ways[k]!;
      for (let s = maxSum - r; s >= 0; s--) if (from[s]! > 0) to[s + r]! += from[s]!;
    }
  });
  const row = ways[n2]!;
  let total = 0;
  let atLeast = 0;
  for (let s = 0; s <= maxSum; s++) {
    total += row[s]!;
    if (s >= observed) atLeast += row[s]!;
  }
  return total > 0 ? atLeast / total : 1;
}

/** P(Z > z) for a standard normal Z, with small relative error far into the tail (erfc by Chebyshev fit, Numerical Recipes' erfcc). */
export function normalUpperTail(z: number): number {
  if (z === Infinity) return 0;
  if (z === -Infinity) return 1;
  return 0.5 * erfc(z / Math.SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** z with P(Z > z) = p (bisection on normalUpperTail; for messages and sample-size thresholds). */
export function normalQuantileUpper(p: number): number {
  let lo = -10;
  let hi = 40;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (normalUpperTail(mid) > p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
