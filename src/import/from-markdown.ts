// A plan's Markdown target table -> a perfctl target table (SPEC §3, §11). Two shapes are read:
// one row per operation with p50/p95/p99 (avg, max, error rate) columns, as most plans have; or,
// when a document has none, one row per metric ("Response Time (p95) | < 1000ms | ..."), which
// becomes one row of checks for the whole API.

import { commented } from './emit-yaml.js';
import { formatLatency, formatPercent, plainCell, readLimit } from './limit-values.js';
import type { LimitKind } from './limit-values.js';
import { findTables } from './markdown-tables.js';
import type { MarkdownTable, TableRow } from './markdown-tables.js';
import { matchRequests } from './match-requests.js';
import { ImportInputError } from './types.js';
import type { Conversion, ImportOptions, SourceRemark } from './types.js';

type Metric = `p${number}` | 'mean' | 'max' | 'errorRate' | 'rps';

interface MetricColumn {
  metric: Metric;
  /** `Peak RPS` beside `Target RPS`: the target is the limit */
  peak: boolean;
}

const kindOf = (metric: Metric): LimitKind => (metric === 'errorRate' ? 'rate' : metric === 'rps' ? 'throughput' : 'latency');

/** what a column header (or a metric-row label) measures */
export function metricOf(header: string): MetricColumn | null {
  const text = plainCell(header).toLowerCase();
  // "CPU usage (avg)", "DB connections (avg)": averages of something that is not a latency
  if (/\b(cpu|memory|ram|disk|network|connections?|goroutines?|cache|users|vus|size|storage)\b/.test(text)) return null;
  const peak = /\bpeak\b/.test(text);
  const percentile = /\bp\s*\(?\s*(\d{1,2}(?:\.\d+)?)\s*\)?(?![\w.])/.exec(text) ?? /\b(\d{1,2}(?:\.\d+)?)(?:th|st|nd|rd)? percentile/.exec(text);
  if (percentile) return { metric: `p${Number(percentile[1])}`, peak };
  if (/\b(avg|average|mean)\b/.test(text)) return { metric: 'mean', peak };
  if (/\bmedian\b/.test(text)) return { metric: 'p50', peak };
  if (/\bmax(imum)?\b/.test(text)) return { metric: 'max', peak };
  if (/\berrors?\b|error rate|failure/.test(text)) return { metric: 'errorRate', peak };
  if (/\brps\b|requests?\s*(\/|per)\s*s(ec(ond)?)?\b|req\/s|throughput/.test(text)) return { metric: 'rps', peak };
  return null;
}

const severityColumn = (header: string): 'target' | 'warning' | 'critical' | null => {
  const text = plainCell(header).toLowerCase();
  if (/\b(target|good|goal|limit|threshold|slo)\b/.test(text) && !/critical/.test(text)) return 'target';
  if (/\bwarn(ing)?\b/.test(text)) return 'warning';
  if (/\b(critical|fail|bad)\b/.test(text)) return 'critical';
  return null;
};

/** the table's operation column and metric columns; null when it is not an operation table */
function operationLayout(table: MarkdownTable, throughputOnly = false): { operation: number; metrics: Map<number, MetricColumn> } | null {
  const metrics = new Map<number, MetricColumn>();
  table.header.forEach((header, index) => {
    const column = metricOf(header);
    if (column) metrics.set(index, column);
  });
  const operation = table.header.findIndex((_header, index) => !metrics.has(index));
  const latencyOrErrors = [...metrics.values()].some((column) => column.metric !== 'rps');
  return operation >= 0 && (latencyOrErrors || (throughputOnly && metrics.size > 0)) && table.rows.length > 0 ? { operation, metrics } : null;
}

function metricRowsLayout(table: MarkdownTable): boolean {
  return table.header.length >= 2 && table.rows.some((row) => metricOf(row.cells[0] ?? '') !== null) && table.header.slice(1).some((header) => severityColumn(header) !== null);
}

export function importMarkdown(text: string, options: ImportOptions & { table?: number }): Conversion {
  const tables = findTables(text);
  if (tables.length === 0) {
    throw new ImportInputError('no table found', undefined, 'perfctl reads a Markdown table such as "| Operation | p50 | p95 | p99 |"; write the targets as a perfctl target table (perfctl init has an example)');
  }
  let table: MarkdownTable | undefined;
  if (options.table !== undefined) {
    table = tables[options.table - 1];
    if (!table) throw new ImportInputError(`--table ${options.table}: the file has ${tables.length} table${tables.length === 1 ? '' : 's'}`);
  } else {
    table = tables.find((candidate) => operationLayout(candidate) !== null) ?? tables.find(metricRowsLayout);
  }
  if (!table) {
    const first = tables[0]!;
    throw new ImportInputError(`none of the ${tables.length} tables has an operation column with p50/p95/p99, avg, max or error rate columns`, { line: first.line, col: 1 }, 'a target table looks like "| Operation | p50 | p95 | p99 |"; pick another table with --table N');
  }
  // a table picked by number may be a throughput table (Component | Target RPS | Peak RPS)
  const layout = operationLayout(table, options.table !== undefined);
  const conversion = layout ? operationRows(table, layout, options) : metricRows(table, options);
  const others = tables.filter((other) => other !== table && (operationLayout(other) !== null || metricRowsLayout(other)));
  if (others.length > 0) {
    conversion.notes.push({
      line: others[0]!.line,
      col: 1,
      construct: `${others.length} more target-like table${others.length === 1 ? '' : 's'} (${others.map((other) => `#${other.index} at line ${other.line}`).join(', ')})`,
      advice: `converted #${table.index}; import another with --table N`,
    });
  }
  return conversion;
}

interface RowsBuilder {
  rows: Record<string, unknown>[];
  leftOut: SourceRemark[];
  notes: SourceRemark[];
}

function uniqueName(name: string, used: Set<string>): string {
  let candidate = name;
  for (let n = 2; used.has(candidate); n += 1) candidate = `${name} (${n})`;
  used.add(candidate);
  return candidate;
}

function limitValue(metric: Metric, value: number): string | number {
  const kind = kindOf(metric);
  return kind === 'latency' ? formatLatency(value) : kind === 'rate' ? formatPercent(value) : value;
}

function operationRows(table: MarkdownTable, layout: { operation: number; metrics: Map<number, MetricColumn> }, options: ImportOptions): Conversion {
  const built: RowsBuilder = { rows: [], leftOut: [], notes: [] };
  const used = new Set<string>();
  const at = (row: TableRow, column: number): { line: number; col: number } => ({ line: row.line, col: column + 1 });
  // the limit columns: one per metric; a "Peak RPS" beside a "Target RPS" is not a second limit
  const columns = [...layout.metrics.entries()].filter(([, column], _i, all) => !(column.peak && all.some(([, other]) => other.metric === column.metric && !other.peak)));
  const seen = new Set<Metric>();
  const limitColumns = columns.filter(([, column]) => (seen.has(column.metric) ? false : (seen.add(column.metric), true)));
  table.header.forEach((header, index) => {
    if (index === layout.operation || limitColumns.some(([column]) => column === index)) return;
    built.leftOut.push({
      line: table.line,
      col: 1,
      construct: `column "${plainCell(header)}"`,
      advice: /user|vus|concurren/i.test(header) ? 'not a target: users are the load, set them in the profile\'s stages (vus: N)' : 'not a target perfctl checks (it reads pN, avg, max, error rate and rps columns)',
    });
  });

  for (const row of table.rows) {
    const operation = plainCell(row.cells[layout.operation] ?? '');
    if (operation === '') continue;
    const name = uniqueName(operation, used);
    const entries: Record<string, unknown> = { name };
    const matched = options.profileRequests ? matchRequests(operation, options.profileRequests) : null;
    if (matched && matched.names.length > 0) entries['requests'] = matched.names;
    for (const [column, { metric }] of limitColumns) {
      const cell = row.cells[column] ?? '';
      const read = readLimit(cell, kindOf(metric));
      if (!read) {
        if (plainCell(cell) !== '') built.leftOut.push({ ...at(row, column), construct: `${operation}: ${metric} "${plainCell(cell)}"`, advice: 'not a number with a unit; write the limit by hand (e.g. p95: 200ms)' });
        continue;
      }
      if (read.range) built.notes.push({ ...at(row, column), construct: `${operation}: ${metric} "${plainCell(cell)}"`, advice: 'a range: its upper end is the limit' });
      entries[metric] = limitValue(metric, read.value);
    }
    if (Object.keys(entries).every((key) => key === 'name' || key === 'requests')) {
      built.leftOut.push({ line: row.line, col: 1, construct: `row "${operation}"`, advice: 'has no limit to check' });
      continue;
    }
    const comment = `line ${row.line}${matched?.by === 'words' ? ', requests matched by words: check them' : ''}`;
    if (matched && matched.names.length === 0) {
      built.leftOut.push({ line: row.line, col: 1, construct: `row "${operation}"`, advice: 'matches no request of the profile: add `requests: [name, ...]`, else the row covers every request' });
    }
    built.rows.push(commented(entries, comment) as unknown as Record<string, unknown>);
  }
  return finish(table, built, options, 'operation');
}

function metricRows(table: MarkdownTable, options: ImportOptions): Conversion {
  const built: RowsBuilder = { rows: [], leftOut: [], notes: [] };
  const target = table.header.findIndex((header, index) => index > 0 && severityColumn(header) === 'target');
  const warning = table.header.findIndex((header, index) => index > 0 && severityColumn(header) === 'warning');
  const critical = table.header.findIndex((header, index) => index > 0 && severityColumn(header) === 'critical');
  // the limit that fails the check: the critical level when the plan has one (SPEC §3, seed 004)
  const failColumn = critical >= 0 ? critical : target;
  // one row of checks over every request: the plan's metrics are about the whole service
  const entries: Record<string, unknown> = { name: 'Whole API' };
  const lines: number[] = [];
  for (const row of table.rows) {
    const label = plainCell(row.cells[0] ?? '');
    const column = metricOf(label);
    if (!column) {
      const resource = /cpu|memory|ram/i.test(label);
      built.leftOut.push({
        line: row.line,
        col: 1,
        construct: `"${label}"`,
        advice: resource ? 'a service resource: add a `monitor:` (pid or Prometheus URL) to the profile and a `cpu:` / `memory:` target once perfctl reads them' : 'not a metric perfctl measures',
      });
      continue;
    }
    if (entries[column.metric] !== undefined) continue;
    const read = readLimit(row.cells[failColumn] ?? '', kindOf(column.metric));
    if (!read) {
      built.leftOut.push({ line: row.line, col: failColumn + 1, construct: `"${label}": "${plainCell(row.cells[failColumn] ?? '')}"`, advice: 'not a number with a unit; write the limit by hand' });
      continue;
    }
    lines.push(row.line);
    // a good / warning / critical plan: warn beyond the good level, fail beyond the critical one
    const warnColumn = critical >= 0 ? (target >= 0 ? target : warning) : -1;
    const warnRead = warnColumn >= 0 ? readLimit(row.cells[warnColumn] ?? '', kindOf(column.metric)) : null;
    const fail = limitValue(column.metric, read.value);
    entries[column.metric] = warnRead && warnRead.value !== read.value ? { warn: limitValue(column.metric, warnRead.value), fail } : fail;
  }
  if (lines.length > 0) built.rows.push(commented(entries, `lines ${lines[0]}-${lines[lines.length - 1]}`) as unknown as Record<string, unknown>);
  else throw new ImportInputError(`the table at line ${table.line} has no limit perfctl can check`, { line: table.line, col: 1 });
  return finish(table, built, options, 'metric');
}

function finish(table: MarkdownTable, built: RowsBuilder, options: ImportOptions, shape: 'operation' | 'metric'): Conversion {
  const header = [
    `Imported by perfctl from ${options.file}:${table.line}${table.title ? ` ("${table.title}")` : ''}.`,
    shape === 'operation' && !options.profileRequests
      ? 'Each row covers every request until you name its requests (`requests: [login, "auth-*"]`);\nimport with --profile p.yaml to match them by name and path.'
      : '',
  ].filter(Boolean);
  return {
    output: 'targets',
    document: { targets: built.rows },
    header,
    leftOut: built.leftOut,
    notes: built.notes,
    placeholders: [],
    summary: `${built.rows.length} target row${built.rows.length === 1 ? '' : 's'} from the table at line ${table.line}`,
  };
}
