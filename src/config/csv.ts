// CSV data files for flows (RFC 4180): a header row, comma-separated fields, fields in double
// quotes may hold commas, line breaks and "" for a quote. LF or CRLF; a BOM and a final line
// break are ignored, and so are blank lines.

export interface CsvTable {
  columns: string[];
  rows: string[][];
}

export interface CsvProblem {
  line: number;
  col: number;
  message: string;
  hint?: string;
}

/** The header and rows of `text`, or every problem found (with the line and column in the file). */
export function parseCsv(text: string): { table: CsvTable; problems: CsvProblem[] } {
  const problems: CsvProblem[] = [];
  const records = splitRecords(text.startsWith('\uFEFF') ? text.slice(1) : text, problems);
  const [header, ...body] = records;
  if (header === undefined) {
    return { table: { columns: [], rows: [] }, problems: [...problems, { line: 1, col: 1, message: 'the file is empty', hint: 'the first line names the columns, e.g. email,password' }] };
  }
  const columns = header.fields.map((field) => field.trim());
  const seen = new Map<string, number>();
  columns.forEach((column, index) => {
    if (column === '') problems.push({ line: header.line, col: 1, message: `column ${index + 1} of the header has no name` });
    else if (seen.has(column)) problems.push({ line: header.line, col: 1, message: `column "${column}" is named twice in the header` });
    else seen.set(column, index);
  });
  const rows: string[][] = [];
  for (const record of body) {
    if (record.fields.length !== columns.length) {
      problems.push({ line: record.line, col: 1, message: `the row has ${record.fields.length} field(s), the header ${columns.length}`, hint: 'quote a field that holds a comma: "a, b"' });
      continue;
    }
    rows.push(record.fields);
  }
  if (rows.length === 0 && problems.length === 0) {
    problems.push({ line: header.line, col: 1, message: 'the file has a header but no rows', hint: 'add one line per user (or item) below the header' });
  }
  return { table: { columns, rows }, problems };
}

interface CsvRecord {
  /** line where the record starts, 1-based */
  line: number;
  fields: string[];
}

function splitRecords(text: string, problems: CsvProblem[]): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let col = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  let quoteCol = 0;
  /** the field was quoted: text after its closing quote is a mistake */
  let closed = false;
  let blank = true;

  const endField = (): void => {
    fields.push(field);
    field = '';
    closed = false;
  };
  const endRecord = (): void => {
    endField();
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
    blank = true;
  };

  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
          col++;
        } else {
          quoted = false;
          closed = true;
        }
      } else {
        field += char;
        if (char === '\n') {
          line++;
          col = 0;
        }
      }
      col++;
      continue;
    }
    if (char === ',') {
      blank = false;
      endField();
    } else if (char === '\n' || (char === '\r' && text[i + 1] === '\n')) {
      if (char === '\r') i++;
      endRecord();
      line++;
      col = 0;
      recordLine = line;
    } else if (char === '"' && field === '' && !closed) {
      quoted = true;
      blank = false;
      quoteLine = line;
      quoteCol = col;
    } else if (closed) {
      if (char !== ' ' && char !== '\t') {
        problems.push({ line, col, message: `unexpected ${JSON.stringify(char)} after a quoted field`, hint: 'inside quotes write "" for a quote' });
        closed = false;
        field += char;
      }
    } else {
      field += char;
      if (char !== ' ' && char !== '\t' && char !== '\r') blank = false;
    }
    col++;
  }
  if (quoted) problems.push({ line: quoteLine, col: quoteCol, message: 'a quoted field is never closed', hint: 'end it with a "' });
  if (field !== '' || fields.length > 0 || !blank) endRecord();
  return records;
}
