import { describe, expect, it } from 'vitest';
// @ts-expect-error: the bench is plain JavaScript, without types
import { noisyHostNotes } from '../../bench/lib/noise.js';

const exportsRounds = (...noneRps: (number | null)[]) => ({ exports: { perRound: noneRps.map((x) => ({ noneRps: x })) } });
const firstSecondRounds = (...steady: (number | null)[]) => ({ firstSecond: { rounds: steady.map((x) => ({ steadyStartLagMs: x })) } });

describe('noisyHostNotes: a busy host, told from the bench repeating one measurement', () => {
  it.each([
    ['no repeats at all', {}, []],
    ['exports rounds within 1.2×', exportsRounds(50_000, 60_000, 55_000), []],
    ['exports rounds 2.73× apart', exportsRounds(28_067, 41_511, 76_643), ['exports']],
    ['one exports round only', exportsRounds(50_000), []],
    ['a failed exports round is left out', exportsRounds(50_000, null, 52_000), []],
    ['later seconds at 20,000/s within 2×', firstSecondRounds(1.7, 1.8, 3.2), []],
    ['later seconds 4.2× apart', firstSecondRounds(15.1, 3.6, 3.7), ['20,000/s']],
    ['both', { ...exportsRounds(20_000, 60_000), ...firstSecondRounds(1, 5) }, ['exports', '20,000/s']],
  ])('%s', (_what, results, expected) => {
    const notes: string[] = noisyHostNotes(results);
    expect(notes).toHaveLength(expected.length);
    expected.forEach((word, i) => {
      expect(notes[i]).toContain(word);
      expect(notes[i]).toMatch(/^the host was busy: .* differed \d+\.\d\d×/);
    });
  });
});
