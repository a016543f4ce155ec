import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// The bundle gives cli-table3 scripts/bundle/string-width.cjs for `string-width`: it must measure
// every string as string-width itself does, only faster on the common (ASCII) ones.
const require = createRequire(import.meta.url);
const fast = require('../../scripts/bundle/string-width.cjs') as (text: unknown) => number;
const real = require('string-width') as (text: unknown) => number;

const printableAscii = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');

const cases: Array<[string, unknown, number]> = [
  ['empty', '', 0],
  ['not a string', 42, 0],
  ['plain ASCII', 'p95 latency', 11],
  ['every printable ASCII character', printableAscii, 95],
  ['colours around ASCII', '\u001b[31mFAIL\u001b[39m', 4],
  ['bold and dim', '\u001b[1m\u001b[2m12.5 ms\u001b[22m\u001b[22m', 7],
  ['a colour only', '\u001b[32m\u001b[39m', 0],
  ['CJK is two columns', '日本語', 6],
  ['CJK in colour', '\u001b[36m日本\u001b[39m', 4],
  ['an emoji', '👍 ok', 5],
  ['a keycap sequence', '1\uFE0F\u20E3', 2],
  ['an accented letter', 'café', 4],
  ['a combining accent', 'cafe\u0301', 4],
  ['a tab (a control character)', 'a\tb', 2],
  ['a line break', 'a\nb', 2],
  ['a non-breaking space', 'a\u00a0b', 3],
  ['a flag (two regional indicators)', '\u{1F1EB}\u{1F1F7}', 2],
  ['an emoji with a skin tone', '👍🏽', 2],
  ['a family (joined emoji)', '👨‍👩‍👧', 2],
  ['two emoji in a row, then ASCII', '🚀🚀 go', 7],
  ['an en dash', '1–2 ms', 6],
];

describe('the bundle\'s string-width for cli-table3', () => {
  it.each(cases)('%s', (_name, text, width) => {
    expect(fast(text)).toBe(width);
    expect(fast(text)).toBe(real(text));
  });

  it('agrees with string-width on every single character of the first two planes', () => {
    const differing: number[] = [];
    for (let code = 0; code < 0x20000; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const text = `a${String.fromCodePoint(code)}b`;
      if (fast(text) !== real(text)) differing.push(code);
    }
    expect(differing).toEqual([]);
  });
});
