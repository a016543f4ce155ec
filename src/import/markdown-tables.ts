// The tables of a Markdown document: GitHub pipe tables (`| a | b |` over `|---|---|`) and the
// box-drawing tables that plans draw inside code blocks (`│ Endpoint │ P95 │`), with the line of
// every row, so each target row can point back to it.

export interface TableRow {
  /** 1-based line of the row */
  line: number;
  cells: string[];
}

export interface MarkdownTable {
  /** 1-based position among the document's tables */
  index: number;
  /** the line of the header row */
  line: number;
  /** the nearest heading above the table, or a box table's title line */
  title: string;
  header: string[];
  rows: TableRow[];
}

const pipeDelimiter = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const boxBar = '│';

/** `| a | b |` -> ['a', 'b'] (outer bars optional, `\|` kept as a bar inside a cell) */
function pipeCells(line: string): string[] {
  let text = line.trim();
  if (text.startsWith('|')) text = text.slice(1);
  if (text.endsWith('|') && !text.endsWith('\\|')) text = text.slice(0, -1);
  return text.split(/(?<!\\)\|/).map((cell) => cell.replace(/\\\|/g, '|').trim());
}

/** `│ a │ b │` -> ['a', 'b']; null for a line that is not inside a box */
function boxCells(line: string): string[] | null {
  const text = line.trim();
  if (!text.startsWith(boxBar)) return null;
  let inner = text.slice(1);
  if (inner.endsWith(boxBar)) inner = inner.slice(0, -1);
  return inner.split(boxBar).map((cell) => cell.trim());
}

const isRule = (cells: string[]): boolean => cells.every((cell) => /^[─━═\-\s]*$/.test(cell));

export function findTables(text: string): MarkdownTable[] {
  const lines = text.split(/\r?\n/);
  const tables: MarkdownTable[] = [];
  let heading = '';
  let boxTitle = '';
  let inFence = false;
  for (let at = 0; at < lines.length; at += 1) {
    const line = lines[at] ?? '';
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    // a `# comment` in a shell block is not a heading
    const headingMatch = inFence ? null : /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (headingMatch) heading = headingMatch[1] ?? '';

    // a pipe table: a row with a bar, then a delimiter row with as many columns
    const next = lines[at + 1] ?? '';
    if (line.includes('|') && pipeDelimiter.test(next) && !pipeDelimiter.test(line)) {
      const header = pipeCells(line);
      if (pipeCells(next).length === header.length) {
        const rows: TableRow[] = [];
        let row = at + 2;
        while (row < lines.length && (lines[row] ?? '').includes('|') && (lines[row] ?? '').trim() !== '') {
          rows.push({ line: row + 1, cells: pipeCells(lines[row] ?? '') });
          row += 1;
        }
        tables.push({ index: tables.length + 1, line: at + 1, title: heading, header, rows });
        at = row - 1;
        continue;
      }
    }

    // a box table: lines inside ┌ … └ whose cells split on │
    if (/^\s*┌/.test(line)) boxTitle = '';
    const cells = boxCells(line);
    if (cells === null) continue;
    if (cells.length === 1) {
      if (cells[0] !== '' && !isRule(cells) && boxTitle === '') boxTitle = cells[0] ?? '';
      continue;
    }
    if (isRule(cells)) continue;
    const header = cells;
    const rows: TableRow[] = [];
    let row = at + 1;
    for (; row < lines.length; row += 1) {
      const rowCells = boxCells(lines[row] ?? '');
      if (rowCells === null) break;
      if (isRule(rowCells) || rowCells.length === 1) {
        // a blank or ruled line inside the box; a single-cell line after rows ends the table
        if (rowCells.length === 1 && rowCells[0] !== '' && !isRule(rowCells) && rows.length > 0) break;
        continue;
      }
      rows.push({ line: row + 1, cells: rowCells });
    }
    tables.push({ index: tables.length + 1, line: at + 1, title: boxTitle || heading, header, rows });
    at = row - 1;
  }
  return tables;
}
