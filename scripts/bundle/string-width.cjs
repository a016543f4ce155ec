'use strict';
// What cli-table3 gets in the bundle for `require('string-width')` (scripts/bundle.mjs): the same
// widths, without string-width 4's cost of building the ANSI and the emoji regular expressions
// anew for every cell it measures (7 ms of every run's summary table). Printable ASCII, what
// nearly every cell is once its colours are stripped, is one column a character; anything
// else goes to string-width itself.
const realStringWidth = require('string-width/index.js');
const ansi = require('ansi-regex')();

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function stringWidth(text) {
  if (typeof text !== 'string' || text.length === 0) return 0;
  if (PRINTABLE_ASCII.test(text)) return text.length;
  const plain = text.replace(ansi, '');
  if (PRINTABLE_ASCII.test(plain)) return plain.length;
  return realStringWidth(plain);
}

module.exports = stringWidth;
module.exports.default = stringWidth;
