import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, readDuration, readThinkTime } from '../../src/config/duration.js';
import { PerfctlError } from '../../src/errors.js';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    ['1m30s', 90_000],
    ['1h30m', 5_400_000],
    ['1m 30s', 90_000],
    ['0s', 0],
    ['1.1s', 1100],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['30', 'duration "30" has no unit', 'write "30s"'],
    ['30sec', 'unknown unit "sec"', 'write "30s"'],
    ['5 minutes', 'unknown unit "minutes"', 'write "5m"'],
    ['30S', 'unknown unit "S"', 'write "30s"'],
    ['30s1m', 'out of order', 'largest unit first'],
    ['-5s', 'is negative', undefined],
    ['fast', '"fast" is not a duration', '250ms'],
    ['', 'duration is empty', '30s'],
  ])('%j is refused: %s', (text, message, hint) => {
    const read = readDuration(text);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.message).toContain(message);
    if (hint) expect(read.hint).toContain(hint);
  });

  it('a numeric YAML value says which unit to add, in the unit the field suggests', () => {
    expect(readDuration(30)).toEqual({ ok: false, message: 'duration "30" has no unit', hint: 'write "30s"' });
    expect(readDuration(200, 'ms')).toEqual({ ok: false, message: 'duration "200" has no unit', hint: 'write "200ms"' });
  });

  it('throws a usage error (exit 2) with the hint, for flags such as --duration', () => {
    try {
      parseDuration('60');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PerfctlError);
      expect((error as PerfctlError).exitCode).toBe(2);
      expect((error as PerfctlError).message).toBe('duration "60" has no unit');
      expect((error as PerfctlError).hint).toBe('write "60s"');
    }
  });
});

describe('formatDuration', () => {
  it.each([
    [90_000, '1m30s'],
    [0, '0s'],
    [250, '250ms'],
    [1500, '1.5s'],
    [3_600_000, '1h'],
    [3_630_000, '1h30s'],
    [7_800_000, '2h10m'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });
});

describe('readThinkTime', () => {
  it.each([
    ['1s', { minMs: 1000, maxMs: 1000 }],
    ['500ms-1500ms', { minMs: 500, maxMs: 1500 }],
    ['500ms - 1.5s', { minMs: 500, maxMs: 1500 }],
    ['0s', { minMs: 0, maxMs: 0 }],
  ])('%s', (text, range) => {
    expect(readThinkTime(text)).toEqual({ ok: true, value: range });
  });

  it('refuses a range that runs backwards, and bare numbers', () => {
    expect(readThinkTime('2s-1s')).toMatchObject({ ok: false, hint: 'write "1s-2s"' });
    expect(readThinkTime('500-1500')).toMatchObject({ ok: false, message: 'duration "500" has no unit' });
  });
});
