// Change points in a series of runs: E-Divisive means (Matteson & James, "A Nonparametric
// Approach for Multiple Change Point Analysis of Multivariate Data", JASA 2014), the method of
// MongoDB's performance CI. Pure and deterministic (a seeded generator drives the permutations).
//
// For a segment x[0..n) and a split τ, with X = x[0..τ) and Y = x[τ..n):
//   Ê(τ) = 2·mean|X−Y| − mean|X−X'| − mean|Y−Y'|        (energy distance, α = 1)
//   Q(τ) = τ(n−τ)/n · Ê(τ)
// The split with the largest Q is a candidate; a permutation test (the segment's values
// shuffled, the largest Q found again, PERMUTATIONS times) gives its p-value, (k+1)/(R+1)
// with k the shuffles that reached it. A significant split is kept and both sides are searched
// again (binary segmentation), until no segment has a significant split.

export interface EDivisiveOptions {
  /** shuffles per permutation test (R) */
  permutations: number;
  /** a split is a change point when its permutation p-value is at most this */
  significance: number;
  /** fewest runs on each side of a change point */
  minSegment: number;
  seed: number;
}

export const E_DIVISIVE_DEFAULTS: EDivisiveOptions = { permutations: 199, significance: 0.01, minSegment: 3, seed: 1 };

export interface ChangePoint {
  /** index of the first value after the change (0-based) */
  index: number;
  /** the permutation test's p-value */
  pValue: number;
}

/** Names the method and its parameters, for every output that shows change points. */
export function describeEDivisive(o: EDivisiveOptions = E_DIVISIVE_DEFAULTS): string {
  return `E-Divisive means (Matteson & James 2014; α = 1, ${o.permutations} permutations, p ≤ ${o.significance}, at least ${o.minSegment} runs a segment)`;
}

/** mulberry32 */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The best split of `values` (at least minSegment each side) and its Q, in O(n²): the
 * within-sums of the left part grow and those of the right part shrink one value at a time.
 */
export function bestSplit(values: readonly number[], minSegment: number): { index: number; q: number } | null {
  const n = values.length;
  if (n < 2 * minSegment) return null;
  // left[t] = Σ_{i<k<t} |x_i − x_k|; right[t] = Σ_{t≤j<l<n} |x_j − x_l|
  const left = new Float64Array(n + 1);
  for (let t = 1; t <= n; t++) {
    let add = 0;
    const v = values[t - 1]!;
    for (let i = 0; i < t - 1; i++) add += Math.abs(values[i]! - v);
    left[t] = left[t - 1]! + add;
  }
  const right = new Float64Array(n + 1);
  for (let t = n - 1; t >= 0; t--) {
    let add = 0;
    const v = values[t]!;
    for (let j = t + 1; j < n; j++) add += Math.abs(values[j]! - v);
    right[t] = right[t + 1]! + add;
  }
  const all = left[n]!;
  let best: { index: number; q: number } | null = null;
  for (let t = minSegment; t <= n - minSegment; t++) {
    const m = n - t;
    const between = all - left[t]! - right[t]!;
    const withinX = t > 1 ? left[t]! / ((t * (t - 1)) / 2) : 0;
    const withinY = m > 1 ? right[t]! / ((m * (m - 1)) / 2) : 0;
    const energy = (2 * between) / (t * m) - withinX - withinY;
    const q = ((t * m) / n) * energy;
    if (best === null || q > best.q) best = { index: t, q };
  }
  return best;
}

function shuffled(values: readonly number[], random: () => number): number[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Change points of the series, in order of index. */
export function eDivisive(values: readonly number[], options: Partial<EDivisiveOptions> = {}): ChangePoint[] {
  const o = { ...E_DIVISIVE_DEFAULTS, ...options };
  const random = generator(o.seed);
  const found: ChangePoint[] = [];
  const segments: Array<[number, number]> = [[0, values.length]];
  while (segments.length > 0) {
    const [start, end] = segments.pop()!;
    const segment = values.slice(start, end);
    const split = bestSplit(segment, o.minSegment);
    if (split === null || !(split.q > 0)) continue;
    let reached = 0;
    for (let r = 0; r < o.permutations; r++) {
      const q = bestSplit(shuffled(segment, random), o.minSegment)?.q ?? 0;
      if (q >= split.q) reached++;
      // already beyond the level: no need for the rest of the shuffles
      if ((reached + 1) / (o.permutations + 1) > o.significance) break;
    }
    const pValue = (reached + 1) / (o.permutations + 1);
    if (pValue > o.significance) continue;
    const index = start + split.index;
    found.push({ index, pValue });
    segments.push([start, index], [index, end]);
  }
  return found.sort((a, b) => a.index - b.index);
}
