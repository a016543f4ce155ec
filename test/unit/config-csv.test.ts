// CSV data files: a header row, quoted fields (commas, line breaks, "" for a quote), LF or CRLF,
// and the problems of a broken file at their line and column.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/config/csv.js';

describe('parseCsv', () => {
  it('reads a header and rows', () => {
    expect(parseCsv('email,password\na@x.io,pw1\nb@x.io,pw2\n')).toEqual({
      table: { columns: ['email', 'password'], rows: [['a@x.io', 'pw1'], ['b@x.io', 'pw2']] },
      problems: [],
    });
  });

  it('reads quoted fields: commas, "" for a quote, line breaks, empty ones', () => {
    const text = 'name,quote,note\n"Lovelace, Ada","she said ""hi""","two\nlines"\n"",x,""\n';
    expect(parseCsv(text).table.rows).toEqual([
      ['Lovelace, Ada', 'she said "hi"', 'two\nlines'],
      ['', 'x', ''],
    ]);
  });

  it('takes CRLF, a BOM, no final line break, and skips blank lines; header names are trimmed', () => {
    const { table, problems } = parseCsv('\uFEFF email , id \r\na,1\r\n\r\nb,2');
    expect(problems).toEqual([]);
    expect(table).toEqual({ columns: ['email', 'id'], rows: [['a', '1'], ['b', '2']] });
  });

  it('keeps a quote inside an unquoted field as text', () => {
    expect(parseCsv('a,b\nsay "x",2\n').table.rows).toEqual([['say "x"', '2']]);
  });

  it.each([
    ['', [{ line: 1, col: 1, message: 'the file is empty' }]],
    ['email\n', [{ line: 1, col: 1, message: 'the file has a header but no rows' }]],
    ['a,b\n1,2\n3\n', [{ line: 3, col: 1, message: 'the row has 1 field(s), the header 2' }]],
    ['a,a\n1,2\n', [{ line: 1, col: 1, message: 'column "a" is named twice in the header' }]],
    ['a,,c\n1,2,3\n', [{ line: 1, col: 1, message: 'column 2 of the header has no name' }]],
    ['a,b\n"1,2\n', [{ line: 2, col: 1, message: 'a quoted field is never closed' }, { line: 2, col: 1, message: 'the row has 1 field(s), the header 2' }]],
    ['a,b\n"1"x,2\n', [{ line: 2, col: 4, message: 'unexpected "x" after a quoted field' }]],
  ])('%j: reports where the file is wrong', (text, expected) => {
    expect(parseCsv(text).problems.map(({ line, col, message }) => ({ line, col, message }))).toEqual(expected);
  });
});
