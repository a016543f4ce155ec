'use strict';
// What cli-table3 gets in the bundle for `require('string-width')` (scripts/bundle.mjs): string-width
// 4's own measure, without its cost of building the ANSI and the emoji regular expressions anew
// for every cell it measures (7 ms of every run's summary table). Printable ASCII, what nearly
// every cell is once its colours are stripped, is one column a character.
const isFullwidthCodePoint = require('is-fullwidth-code-point');
const ansi = require('ansi-regex')();
const emoji = require('emoji-regex')();

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function stringWidth(text) {
  if (typeof text !== 'string' || text.length === 0) return 0;
  if (PRINTABLE_ASCII.test(text)) return text.length;
  // global expressions: replace() starts each from the beginning
  const plain = text.replace(ansi, '');
  if (PRINTABLE_ASCII.test(plain)) return plain.length;
  const wide = plain.replace(emoji, '  ');
  let width = 0;
  for (let i = 0; i < wide.length; i++) {
    const code = wide.codePointAt(i);
    // control characters and combining marks take no column
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) continue;
    if (code >= 0x300 && code <= 0x36f) continue;
    // the second half of a surrogate pair
    if (code > 0xffff) i++;
    width += isFullwidthCodePoint(code) ? 2 : 1;
  }
  return width;
}

module.exports = stringWidth;
module.exports.default = stringWidth;
