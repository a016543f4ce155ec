import { describe, expect, it } from 'vitest';
import { createHistogram, recordMicros } from '../../src/metrics/histogram.js';
import { addTimelinePoints, type TimelinePoint } from '../../src/metrics/recorder.js';

const point = (over: Partial<TimelinePoint>): TimelinePoint => ({ t: 3, requests: 0, errors: 0, rps: 0, p50: 0, p95: 0, p99: 0, level: 0, ...over });

describe('addTimelinePoints: one second of several workers or scenarios', () => {
  it('adds counts and levels, keeps the worst lag, and takes percentiles from the added histogram', () => {
    const histogram = createHistogram();
    for (let i = 1; i <= 100; i++) recordMicros(histogram, i * 1000); // 1..100 ms
    const combined = addTimelinePoints(
      3,
      [
        point({ requests: 60, errors: 1, rps: 60, level: 33.33, planned: 60, loopLagMs: 4, startLagMs: 2, p99: 1 }),
        point({ requests: 40, errors: 2, rps: 40, level: 20.01, planned: 40, loopLagMs: 9, startLagMs: 1, p99: 1 }),
      ],
      histogram,
    );
    expect(combined).toMatchObject({ t: 3, requests: 100, errors: 3, rps: 100, level: 53.3, planned: 100, loopLagMs: 9, startLagMs: 2 });
    // never an average of the parts' p99 (1 ms): the added distribution's
    expect(combined.p50).toBeCloseTo(50, 0);
    expect(combined.p99).toBeCloseTo(99, 0);
  });

  it.each([
    ['no part has it', [point({}), point({})], undefined],
    ['one part of two has it', [point({ sockets: 5 }), point({})], 5],
    ['both have it', [point({ sockets: 5 }), point({ sockets: 7 })], 12],
  ])('sockets: %s', (_name, points, sockets) => {
    const combined = addTimelinePoints(1, points, createHistogram());
    expect(combined.sockets).toBe(sockets);
    expect('planned' in combined).toBe(false);
  });
});
