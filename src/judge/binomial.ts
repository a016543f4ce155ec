// Distribution-free one-sided confidence bounds (pure), SPEC §3 "How a check is judged".
//
//   percentiles   the number of samples below the true q-quantile is Binomial(n, q), so the
//                 k-th smallest sample lies above it with probability P(Binomial(n, q) ≤ k − 1).
//                 The upper bound is the sample of the smallest such rank k with probability
//                 ≥ 95%; when even the largest sample is not enough (1 − qⁿ < 95%) there is no
//                 bound: a p95 needs 59 samples, a p99 299, a p99.9 2995.
//   rates         Clopper–Pearson: the largest rate p for which x or fewer failures in n would
//                 still happen 5% of the time. With no failure it is 1 − 0.05^(1/n): 299
//                 requests without an error show a rate under 1%.
//
// Exact (the binomial summed in log space, O(k)) up to EXACT_MAX samples; beyond, the normal
// approximation with a continuity correction, which is within a rank or two there.

export const CONFIDENCE = 0.95;
/** z of the one-sided 95% normal quantile */
export const Z_ONE_SIDED_95 = 1.6448536269514722;
const EXACT_MAX = 2_000_000;

/** log of n choose k, by summing logs (exact enough for the ranks used here) */
function logChoose(n: number, k: number): number {
  const m = Math.min(k, n - k);
  let sum = 0;
  for (let i = 1; i <= m; i++) sum += Math.log((n - m + i) / i);
  return sum;
}

/** P(Binomial(n, p) ≤ k), exact. */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  // terms from 0 up to k; each from the one before (log space: early terms may underflow harmlessly)
  let logTerm = n * logQ;
  let sum = Math.exp(logTerm);
  for (let i = 0; i < k; i++) {
    logTerm += Math.log((n - i) / (i + 1)) + logP - logQ;
    sum += Math.exp(logTerm);
  }
  return Math.min(1, sum);
}

/**
 * The smallest rank k (1-based) whose sample is an upper bound of the q-quantile (0 < q < 1)
 * with at least `confidence`; null when n samples cannot give one.
 */
export function percentileUpperRank(n: number, q: number, confidence = CONFIDENCE): number | null {
  if (n < 1 || !(q > 0 && q < 1)) return null;
  if (1 - q ** n < confidence) return null;
  if (n > EXACT_MAX) {
    const k = Math.ceil(n * q + Z_ONE_SIDED_95 * Math.sqrt(n * q * (1 - q)) + 0.5);
    return Math.min(n, Math.max(1, k));
  }
  // P(X ≤ k − 1) summed term by term from k − 1 = 0
  const logP = Math.log(q);
  const logQ = Math.log1p(-q);
  let logTerm = n * logQ;
  let cdf = Math.exp(logTerm);
  for (let k = 1; k <= n; k++) {
    if (cdf >= confidence) return k;
    logTerm += Math.log((n - (k - 1)) / k) + logP - logQ;
    cdf += Math.exp(logTerm);
  }
  return n;
}

/** The least samples with which a q-quantile has an upper bound at all (p95: 59, p99: 299). */
export function minimumSamplesForPercentile(q: number, confidence = CONFIDENCE): number {
  return Math.ceil(Number((Math.log(1 - confidence) / Math.log(q)).toPrecision(12)));
}

/** Clopper–Pearson one-sided upper bound of a rate from `failures` out of `n` (null when n = 0). */
export function rateUpperBound(failures: number, n: number, confidence = CONFIDENCE): number | null {
  if (n < 1) return null;
  if (failures >= n) return 1;
  const alpha = 1 - confidence;
  if (failures === 0) return 1 - alpha ** (1 / n);
  if (failures > EXACT_MAX / 10) {
    // Wilson's score bound: exact enough with this many failures
    const p = failures / n;
    const z = Z_ONE_SIDED_95;
    const centre = p + (z * z) / (2 * n);
    const spread = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
    return Math.min(1, (centre + spread) / (1 + (z * z) / n));
  }
  // P(X ≤ failures; p) falls as p rises: bisect for the p where it is alpha
  let lo = failures / n;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (binomialCdf(failures, n, mid) > alpha) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * About how many samples a percentile check needs for its bound to fall under its limit,
 * when a share `belowLimit` of the samples so far lies under it (the distribution staying
 * the same); null when it never would (belowLimit ≤ q).
 */
export function samplesToShowPercentile(q: number, belowLimit: number, confidence = CONFIDENCE): number | null {
  if (belowLimit <= q) return null;
  const least = minimumSamplesForPercentile(q, confidence);
  if (belowLimit >= 1) return least;
  // the bound's rank is about nq + z·sqrt(nq(1−q)) + 1; it must stay at or below n·belowLimit
  const a = belowLimit - q;
  const b = Z_ONE_SIDED_95 * Math.sqrt(q * (1 - q));
  const s = (b + Math.sqrt(b * b + 4 * a)) / (2 * a);
  return Math.max(least, Math.ceil(s * s));
}

/** About how many requests an error-rate check needs to show `rate` under `limit`; null when rate ≥ limit. */
export function samplesToShowRate(rate: number, limit: number, confidence = CONFIDENCE): number | null {
  if (rate >= limit || limit <= 0) return null;
  const zeroErrors = Math.ceil(Number((Math.log(1 - confidence) / Math.log1p(-limit)).toPrecision(12)));
  if (rate === 0) return zeroErrors;
  const z = Z_ONE_SIDED_95;
  return Math.max(zeroErrors, Math.ceil((z * z * rate * (1 - rate)) / ((limit - rate) * (limit - rate))));
}
