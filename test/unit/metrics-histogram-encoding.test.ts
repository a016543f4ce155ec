// perfctl loads only the parts of hdr-histogram-js it uses (src/metrics/histogram.ts); its
// encoded histograms must stay what the package's own API writes and reads, so result.json files
// from earlier versions (and other HdrHistogram tools) decode to the same counts.
// (ours first: it gives hdr-histogram-js node's base64 before the package's index loads its own)
import { addInto, createHistogram, decodeHistogram, encodeHistogram, percentileCurve, percentileMs, percentilesMs, recordMicros, scanHistogram, summariseMs } from '../../src/metrics/histogram.js';
import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';

const samples: Array<[string, number[]]> = [
  ['one value', [1234]],
  ['sub-microsecond and an hour', [0.2, 1, 3_600_000_000]],
  ['a spread from 50 µs to 2 s', Array.from({ length: 2000 }, (_, i) => 50 + i * i * 0.5)],
];

describe('histogram encoding', () => {
  it.each(samples)('%s: ours → the package decodes the same counts', (_name, micros) => {
    const ours = createHistogram();
    for (const m of micros) recordMicros(ours, m);
    const theirs = hdr.decodeFromCompressedBase64(encodeHistogram(ours), 32, false);
    expect(theirs.totalCount).toBe(micros.length);
    for (const p of [50, 90, 99, 100]) expect(theirs.getValueAtPercentile(p)).toBe(ours.getValueAtPercentile(p));
  });

  it.each(samples)('%s: the package → ours decodes the same summary', (_name, micros) => {
    const theirs = hdr.build({ bitBucketSize: 32, autoResize: true, lowestDiscernibleValue: 1, highestTrackableValue: 4096, numberOfSignificantValueDigits: 3 });
    const ours = createHistogram();
    for (const m of micros) {
      theirs.recordValue(m < 1 ? 1 : Math.round(m));
      recordMicros(ours, m);
    }
    const decoded = decodeHistogram(hdr.encodeIntoCompressedBase64(theirs));
    expect(decoded.totalCount).toBe(micros.length);
    // (a decoded max is its bucket's top, whoever encoded it: compare decoded with decoded)
    expect(summariseMs(decoded)).toEqual(summariseMs(decodeHistogram(encodeHistogram(ours))));
  });

  // written by perfctl before its base64 went from base64-js to node's Buffer (and by
  // hdr-histogram-js's own encodeIntoCompressedBase64): the same text, byte for byte
  it.each([
    [false, 'empty', [], 'HISTFAAAABt4nJNpmSzMwMDACMXMDBDACKEEGOB8ADPOAV4='],
    [false, 'one', [1], 'HISTFAAAACJ4nJNpmSzMwMDAxMDAwMjAwMDMAAGMEEqAAc5nAgA1UQFh'],
    [false, 'few', [3, 250, 250, 999, 4096], 'HISTFAAAACx4nJNpmSzMwMDAzcDAwMjAwMDMAAGMEEqAAcZnZXrNzHKdm2m9AhMAU4wEFg=='],
    [false, 'wide', Array.from({ length: 300 }, (_, i) => Math.round(1.07 ** i)), 'HISTFAAAAXR4nHXQP0hbURTH8fv75lWrViqEUgIVEQcpDg4OHRwcnJwcnBw7OTo5S6lSOoiEUEoIEkREgoiIlCLiEIqUUqQUEZFQQpAgIg6liIjIk3fSV2768B4O7x/vfu7vvJjLpZ3jyDkn51zKNVZ070bCMPz3/KSr/XFLEAQBAY3lrKMiZZeUdYpH1lG1WrXRRodVJ0+t0qR5xnMyZOimh1766OclAwwyxCuGGWGUMcaZYJLXTDHNDLO8F1mxJNbEtiiLA/FLXIg7cSoWRUGsik2xJ76LE3EmbsQbWBAfxbJ93RFfxZGoiz/iHayID6IoSuKz2Bc/RVX8tn+/iJxtXmqmL42uGZ03eitBh4rovNEbYtejr8Q80fsGve7RtZgue6k/Jeiql9qnz42+09/UKx59bLO6stTFh+m3RLvlmukfHl2xg/1HV2L6xg6WpOsxXTB62aMPPXo3Tl1K0KEFzNpI1xL0rbj2Br5p9Ld44NdG542+B+R3oXc='],
    [true, 'empty', [], 'HISTFAAAABt4nJNpmSzMwMDACMVMDBDACKEEGOB8ADO0AV0='],
    [true, 'one', [1], 'HISTFAAAACB4nJNpmSzMwMDAxMDAwAilGaBsBgYGAQY4nwkANTYBYA=='],
    [true, 'few', [3, 250, 250, 999, 4096], 'HISTFAAAACx4nJNpmSzMwMDAzcDAwMjAwMDEAAGMEEqAAcZnZXrNzPKbmambhQkAU3QD8Q=='],
    [true, 'wide', Array.from({ length: 300 }, (_, i) => Math.round(1.07 ** i)), 'HISTFAAAALd4nIWQCwqDMBBEt2P6sR80hBAWG3qUXq436IEtTrZqoNQMS/SxO2Tn/noHEfQishMRSDnTtzzHcZz/r/35dHDOOTiUI6xJaHg1rAZ71qQj1aLFhbqhowICIhIUioyMDh6eLM4skBaWMGBARmSfN6Zkan3FMZFtO6pNp2r66+j/vjHZex7W540pWfzhOFTTatvUTM3R23RxzNy6q9iydUkiGsurbJet/SqJJcd1tr9y3Nr6A8KgGuw='],
  ] as const)('coarse %s, %s: the text perfctl wrote before', (coarse, _name, micros, text) => {
    const h = createHistogram(coarse);
    for (const m of micros) recordMicros(h, m);
    expect(encodeHistogram(h)).toBe(text);
  });

  it('a decoded histogram still grows (a merge of a larger value never throws)', () => {
    const small = createHistogram();
    recordMicros(small, 10);
    const decoded = decodeHistogram(encodeHistogram(small));
    recordMicros(decoded, 7_200_000_000);
    expect(decoded.totalCount).toBe(2);
    expect(decoded.maxValue).toBeGreaterThan(7_000_000_000);
  });

  it.each([
    ['fine as fine', false, false, 3],
    ['coarse as coarse', true, true, 2],
    ['fine read as coarse (copied to 2 digits)', false, true, 2],
  ] as const)('decoded %s: every count kept, the precision asked for, merges of either kind exact', (_name, encodedCoarse, readCoarse, digits) => {
    const source = createHistogram(encodedCoarse);
    for (let i = 0; i < 3000; i++) recordMicros(source, 40 + ((i * 7919) % 250_000));
    const encoded = encodeHistogram(source);
    const decoded = decodeHistogram(encoded, readCoarse);
    expect((decoded as unknown as { numberOfSignificantValueDigits: number }).numberOfSignificantValueDigits).toBe(digits);
    expect(decoded.totalCount).toBe(3000);
    // what decoding gave when it always copied: the package's decode added into one of ours
    const copied = createHistogram(readCoarse);
    copied.add(hdr.decodeFromCompressedBase64(encoded, 32, false));
    expect(summariseMs(decoded)).toEqual(summariseMs(copied));
    const merged = createHistogram(readCoarse);
    merged.add(decoded);
    merged.add(decodeHistogram(encodeHistogram(source), readCoarse));
    expect(merged.totalCount).toBe(6000);
  });
});

/** Latencies (µs) whose scans the getters check: boundaries, tails, the 1-ulp guard, 2 digits. */
const SPREADS: Array<[string, number[], boolean]> = [
  ['one value', [1234], false],
  ['two values, far apart', [3, 3_600_000_000], false],
  ['1,000 exact multiples (percentile boundaries land on counts)', Array.from({ length: 1000 }, (_, i) => (i + 1) * 100), false],
  ['a long tail', Array.from({ length: 5000 }, (_, i) => 200 + Math.round(1e6 / (5000 - i))), false],
  ['7 values (99.9% of 7 needs the 1-ulp guard)', [10, 20, 30, 40, 50, 60, 70], false],
  ['coarse (2 digits), a spread', Array.from({ length: 3000 }, (_, i) => 50 + i * i * 0.3), true],
];

/** What the summary was before it scanned the counts itself: hdr-histogram-js's own getters. */
function summaryByGetters(h: ReturnType<typeof createHistogram>) {
  const ms = (micros: number): number => Math.round((micros / 1000) * 1000) / 1000;
  const at = (p: number): number => ms(h.getValueAtPercentile(p));
  return { min: ms(h.minNonZeroValue), mean: ms(h.mean), stdev: ms(h.stdDeviation), p50: at(50), p75: at(75), p90: at(90), p95: at(95), p99: at(99), p999: at(99.9), max: ms(h.maxValue) };
}

describe('summariseMs: one scan of the counts gives what the getters give', () => {
  it.each(SPREADS)('%s', (_name, micros, coarse) => {
    const h = createHistogram(coarse);
    for (const m of micros) recordMicros(h, m);
    expect(summariseMs(h)).toEqual(summaryByGetters(h));
  });

  it('an empty histogram is all zeros', () => {
    expect(summariseMs(createHistogram())).toEqual({ min: 0, mean: 0, stdev: 0, p50: 0, p75: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 });
  });
});

describe('percentilesMs: one scan gives what one getValueAtPercentile per level gives', () => {
  const levels = [0, 10, 50, 75, 90, 95, 99, 99.9, 99.99, 100];
  it.each([...SPREADS, ['sub-microsecond values (recorded as 1 µs)', [0.2, 0.7, 1, 1, 2], false] as [string, number[], boolean]])('%s', (_name, micros, coarse) => {
    const h = createHistogram(coarse);
    for (const m of micros) recordMicros(h, m);
    const byGetter = levels.map((p) => Math.round((h.getValueAtPercentile(p) / 1000) * 1000) / 1000);
    expect(percentilesMs(h, levels)).toEqual(byGetter);
    expect(percentilesMs(h, levels)).toEqual(levels.map((p) => percentileMs(h, p)));
    // the report's curve: its 24 levels in one scan, each as the getter gives it
    expect(percentileCurve(h).map((point) => point.valueMs)).toEqual(percentileCurve(h).map((point) => percentileMs(h, point.percentile)));
  });

  it('an empty histogram gives 0 at every level', () => {
    expect(percentilesMs(createHistogram(), [0, 50, 100])).toEqual([0, 0, 0]);
  });
});

/** Every count, min, max and total of a histogram, read through hdr's own getters. */
function contents(h: ReturnType<typeof createHistogram>) {
  const js = h as unknown as { countsArrayLength: number; getCountAtIndex(i: number): number };
  const counts: Array<[number, number]> = [];
  for (let i = 0; i < js.countsArrayLength; i++) if (js.getCountAtIndex(i) !== 0) counts.push([i, js.getCountAtIndex(i)]);
  return { total: h.totalCount, min: h.minNonZeroValue, max: h.maxValue, counts, summary: summariseMs(h) };
}

describe('addInto: the counts added directly give what hdr-histogram-js\'s add gives', () => {
  // [what, values already in the target, values added, coarse]
  const cases: Array<[string, number[], number[], boolean]> = [
    ['into an empty histogram', [], [5, 900, 1234, 77_000], false],
    ['into one that has grown beyond the source (lengths differ)', [3_600_000_000], [5, 900, 1234], false],
    ['into a smaller one (it grows first)', [12], [5, 2_000_000, 90_000_000], false],
    ['a long tail into a long tail', Array.from({ length: 500 }, (_, i) => 200 + Math.round(1e6 / (500 - i))), Array.from({ length: 700 }, (_, i) => 150 + i * i), false],
    ['coarse into coarse', Array.from({ length: 300 }, (_, i) => 50 + i * 7), Array.from({ length: 300 }, (_, i) => 60 + i * i * 0.3), true],
  ];
  it.each(cases)('%s', (_name, already, added, coarse) => {
    const fill = (values: number[]) => {
      const h = createHistogram(coarse);
      for (const v of values) recordMicros(h, v);
      return h;
    };
    const ours = fill(already);
    const theirs = fill(already);
    addInto(ours, fill(added));
    theirs.add(fill(added));
    expect(contents(ours)).toEqual(contents(theirs));
  });

  it('a decoded histogram adds as hdr adds it', () => {
    const source = createHistogram();
    for (let i = 1; i <= 2000; i++) recordMicros(source, i * 37);
    const a = createHistogram();
    const b = createHistogram();
    addInto(a, decodeHistogram(encodeHistogram(source)));
    b.add(decodeHistogram(encodeHistogram(source)));
    expect(contents(a)).toEqual(contents(b));
    expect(contents(a).counts).toEqual(contents(source).counts);
  });

  it('an empty source changes nothing', () => {
    const h = createHistogram();
    recordMicros(h, 42);
    const before = contents(h);
    addInto(h, createHistogram());
    expect(contents(h)).toEqual(before);
  });
});

describe('scanHistogram: cumulative buckets, sum and added percentiles from the counts', () => {
  it.each(SPREADS)('%s', (_name, micros, coarse) => {
    const h = createHistogram(coarse);
    const half = createHistogram(coarse);
    micros.forEach((m, i) => {
      recordMicros(h, m);
      if (i < micros.length / 2) recordMicros(half, m);
    });
    const bounds = [100, 1000, 10_000, 1_000_000];
    const scan = scanHistogram(h, bounds, half);
    // by the getters: a value counts below a bound when its bucket starts at or below it
    const js = h as unknown as { countsArrayLength: number; getCountAtIndex(i: number): number; valueFromIndex(i: number): number };
    const expected = bounds.map(() => 0);
    let sum = 0;
    for (let i = 0; i < js.countsArrayLength; i++) {
      const count = js.getCountAtIndex(i);
      if (count === 0) continue;
      sum += ((js.valueFromIndex(i) + js.valueFromIndex(i + 1)) / 2) * count;
      bounds.forEach((b, k) => {
        if (js.valueFromIndex(i) <= b) expected[k]! += count;
      });
    }
    expect(scan.buckets).toEqual(expected);
    expect(scan.sumSeconds).toBeCloseTo(sum / 1e6, 9);
    expect(scan.added.count).toBe(h.totalCount - half.totalCount);
  });
});

describe('the scans look only between the minimum and the maximum, and at all counts where those are wrong', () => {
  const levels = [0, 50, 90, 99, 100];
  const spread = Array.from({ length: 2000 }, (_, i) => 150 + i * 7);
  const byGetters = (h: ReturnType<typeof createHistogram>) => levels.map((p) => Math.round((h.getValueAtPercentile(p) / 1000) * 1000) / 1000);

  it.each([
    ['zeros beside the spread (another tool\'s histogram: index 0 counts them, the minimum does not)', (h: ReturnType<typeof createHistogram>) => h.recordValue(0)],
    ['a maximum tracked too low', (h: ReturnType<typeof createHistogram>) => { (h as unknown as { maxValue: number }).maxValue = 400; }],
    ['a minimum tracked too high', (h: ReturnType<typeof createHistogram>) => { (h as unknown as { minNonZeroValue: number }).minNonZeroValue = 10_000; }],
  ])('%s', (_name, spoil) => {
    const h = createHistogram();
    for (const m of spread) recordMicros(h, m);
    spoil(h);
    expect(percentilesMs(h, levels)).toEqual(byGetters(h));
    const summary = summariseMs(h);
    const getters = summaryByGetters(h);
    expect({ ...summary, min: 0, max: 0 }).toEqual({ ...getters, min: 0, max: 0 });
    // (a merge sizes its target by the maximum, so only a minimum or zeros can be off there)
    if (h.maxValue >= 150 + 1999 * 7) {
      const sum = createHistogram();
      addInto(sum, h);
      expect(sum.totalCount).toBe(h.totalCount);
      expect(percentilesMs(sum, levels)).toEqual(byGetters(h));
    }
    // the same counts, tracked rightly
    const clean = createHistogram();
    for (const m of spread) recordMicros(clean, m);
    if (h.getCountAtIndex(0) > 0) clean.recordValue(0);
    expect(scanHistogram(h, [1000, 10_000, 20_000])).toEqual(scanHistogram(clean, [1000, 10_000, 20_000]));
  });
});
