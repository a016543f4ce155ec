// --start-at and --shard (i/n and k8s) parsed into checked values: pure, in tables, no timers.
import { describe, expect, it } from 'vitest';
import { parseRunFlags, parseShard } from '../../src/app/run-options.js';
import { describeCountdown, parseStartAt } from '../../src/app/start-at.js';

const NOW = Date.parse('2026-12-01T10:00:00.000Z');

describe('--start-at', () => {
  it.each([
    ['+30s', '2026-12-01T10:00:30.000Z'],
    ['+1m30s', '2026-12-01T10:01:30.000Z'],
    ['+250ms', '2026-12-01T10:00:00.250Z'],
    ['2026-12-01T10:05:00Z', '2026-12-01T10:05:00.000Z'],
    ['2026-12-01T10:05:00.5Z', '2026-12-01T10:05:00.500Z'],
    ['2026-12-01T11:05:00+01:00', '2026-12-01T10:05:00.000Z'],
    ['2026-12-01T05:05-05:00', '2026-12-01T10:05:00.000Z'],
  ])('%s starts at %s', (text, iso) => {
    const start = parseStartAt(text, NOW);
    expect(new Date(start.epochMs).toISOString()).toBe(iso);
    expect(start.requested).toBe(text);
  });

  it.each([
    ['2026-12-01T09:59:59Z', /is in the past/],
    ['2026-12-01T10:00:00Z', /is in the past/],
    ['+0s', /is in the past/],
    ['2026-12-01T10:05:00', /with a zone/],
    ['10:05', /ISO-8601/],
    ['tomorrow', /ISO-8601/],
    ['+30', /no unit/],
    ['+abc', /--start-at/],
    ['2026-12-03T10:05:00Z', /more than 24h ahead/],
    ['2026-13-45T10:05:00Z', /not a valid time/],
  ])('%s is refused (%s)', (text, message) => {
    let error: unknown;
    try {
      parseStartAt(text, NOW);
    } catch (e) {
      error = e;
    }
    expect(error, text).toBeInstanceOf(Error);
    expect((error as Error & { exitCode: number }).exitCode).toBe(2);
    expect((error as Error).message).toMatch(message);
  });

  it.each([
    [3000, 'starts in 3.0s (at 2026-12-01T10:00:03.000Z)'],
    [450, 'starts in 0.5s (at 2026-12-01T10:00:00.450Z)'],
    [125_000, 'starts in 2m05s (at 2026-12-01T10:02:05.000Z)'],
    [-10, 'starts in 0.0s (at 2026-12-01T09:59:59.990Z)'],
  ])('the countdown %d ms ahead reads "%s"', (aheadMs, text) => {
    expect(describeCountdown(NOW + aheadMs, NOW)).toBe(text);
  });

  it('is parsed with the other run flags, against the clock given', () => {
    expect(parseRunFlags({ startAt: '+3s' }, {}, NOW).startAt).toEqual({ epochMs: NOW + 3000, requested: '+3s' });
    expect(parseRunFlags({}, {}, NOW).startAt).toBeUndefined();
  });
});

describe('--shard', () => {
  it.each([
    ['1/1', undefined, {}, { index: 0, count: 1 }],
    ['2/4', undefined, {}, { index: 1, count: 4 }],
    ['k8s', '3', { JOB_COMPLETION_INDEX: '0' }, { index: 0, count: 3 }],
    ['k8s', '3', { JOB_COMPLETION_INDEX: '2' }, { index: 2, count: 3 }],
    ['k8s', undefined, { JOB_COMPLETION_INDEX: '1', PERFCTL_SHARD_COUNT: '5' }, { index: 1, count: 5 }],
    // the flag wins over the environment
    ['k8s', '2', { JOB_COMPLETION_INDEX: '1', PERFCTL_SHARD_COUNT: '5' }, { index: 1, count: 2 }],
  ])('%s (count %s, env %j) is %j', (text, count, env, expected) => {
    expect(parseShard(text, count, env)).toEqual(expected);
  });

  it.each([
    ['0/2', undefined, {}, /1 ≤ i ≤ n/],
    ['3/2', undefined, {}, /1 ≤ i ≤ n/],
    ['k9s', undefined, {}, /or k8s/],
    ['2/4', '4', {}, /--shard-count goes with --shard k8s/],
    ['k8s', '3', {}, /JOB_COMPLETION_INDEX.*not set/],
    ['k8s', '3', { JOB_COMPLETION_INDEX: 'x' }, /got "x"/],
    ['k8s', undefined, { JOB_COMPLETION_INDEX: '0' }, /needs the number of shards/],
    ['k8s', '0', { JOB_COMPLETION_INDEX: '0' }, /--shard-count must be a whole number/],
    ['k8s', undefined, { JOB_COMPLETION_INDEX: '0', PERFCTL_SHARD_COUNT: '2.5' }, /PERFCTL_SHARD_COUNT must be a whole number/],
    ['k8s', '3', { JOB_COMPLETION_INDEX: '3' }, /not below the shard count 3/],
  ])('%s (count %s, env %j) is refused', (text, count, env, message) => {
    expect(() => parseShard(text, count, env)).toThrow(message);
  });

  it('is recorded as given even as 1/1, and reads the environment passed to parseRunFlags', () => {
    expect(parseRunFlags({}, {}, NOW).shard).toEqual({ index: 0, count: 1, given: false });
    expect(parseRunFlags({ shard: '1/1' }, {}, NOW).shard).toEqual({ index: 0, count: 1, given: true });
    expect(parseRunFlags({ shard: 'k8s', shardCount: '3' }, { JOB_COMPLETION_INDEX: '2' }, NOW).shard).toEqual({ index: 2, count: 3, given: true });
    expect(() => parseRunFlags({ shardCount: '3' }, {}, NOW)).toThrow(/--shard-count goes with --shard k8s/);
  });
});
