// perfctl loads only the parts of hdr-histogram-js it uses (src/metrics/histogram.ts); its
// encoded histograms must stay what the package's own API writes and reads, so result.json files
// from earlier versions (and other HdrHistogram tools) decode to the same counts.
import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { createHistogram, decodeHistogram, encodeHistogram, recordMicros, summariseMs } from '../../src/metrics/histogram.js';

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

  it('a decoded histogram still grows (a merge of a larger value never throws)', () => {
    const small = createHistogram();
    recordMicros(small, 10);
    const decoded = decodeHistogram(encodeHistogram(small));
    recordMicros(decoded, 7_200_000_000);
    expect(decoded.totalCount).toBe(2);
    expect(decoded.maxValue).toBeGreaterThan(7_000_000_000);
  });
});
