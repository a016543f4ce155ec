// A small YAML writer for imported profiles: block maps and lists, short plain objects on one line
// (`{ duration: 2m, vus: 100 }`), and comments that point back to the source (`# baseline.js:5`).
// The `yaml` package can write comments too, but not this layout; and it is owned by config/.
// Strings that YAML would read as something else are written as JSON strings (valid YAML).

import { resolvePlainScalar } from '../config/yaml-source.js';

/** A value with comments: `comment` at the end of its first line, `before` on lines above it. */
export class Commented {
  constructor(
    readonly value: unknown,
    readonly comment?: string,
    readonly before: string[] = [],
  ) {}
}

/** A map written in block style even when it is small (a flow step, a request). */
export class BlockMap {
  constructor(readonly entries: Record<string, unknown>) {}
}

export function commented(value: unknown, comment?: string, before?: string[]): Commented {
  return new Commented(value, comment || undefined, before ?? []);
}

export function block(entries: Record<string, unknown>): BlockMap {
  return new BlockMap(entries);
}

/** the longest object or list written on one line */
const FLOW_WIDTH = 100;

interface Unwrapped {
  value: unknown;
  comment?: string;
  before: string[];
}

function unwrap(value: unknown): Unwrapped {
  if (value instanceof Commented) {
    const inner = unwrap(value.value);
    const comment = [value.comment, inner.comment].filter(Boolean).join('; ');
    return { value: inner.value, ...(comment ? { comment } : {}), before: [...value.before, ...inner.before] };
  }
  return { value, before: [] };
}

function entriesOf(value: unknown): [string, unknown][] | null {
  if (value instanceof BlockMap) return Object.entries(value.entries).filter(([, v]) => v !== undefined);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return Object.entries(value).filter(([, v]) => v !== undefined);
  return null;
}

/** A plain scalar where YAML reads it back as the same string; else a JSON string. */
export function scalar(value: unknown, inFlow = false): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
  if (typeof value === 'boolean') return String(value);
  const text = String(value);
  return isPlainSafe(text, inFlow) ? text : JSON.stringify(text);
}

function isPlainSafe(text: string, inFlow: boolean): boolean {
  if (text === '' || text !== text.trim()) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(text)) return false;
  if (/[\n\r\t]|: |:$| #/.test(text)) return false;
  if (inFlow && /[,[\]{}]/.test(text)) return false;
  // YAML 1.2 core schema: numbers, booleans and null are not strings
  return resolvePlainScalar(text) === text;
}

function isScalarValue(value: unknown): boolean {
  return value === null || value === undefined || ['string', 'number', 'boolean'].includes(typeof value);
}

/** `{ a: 1, b: [x, y] }` when the value has no comments, no block maps and fits on a line */
function flowText(value: unknown): string | null {
  if (value instanceof Commented || value instanceof BlockMap) return null;
  if (isScalarValue(value)) return scalar(value, true);
  if (Array.isArray(value)) {
    const parts = value.map(flowText);
    if (parts.some((part) => part === null)) return null;
    return `[${parts.join(', ')}]`;
  }
  const entries = entriesOf(value);
  if (!entries) return null;
  if (entries.length === 0) return '{}';
  const parts = entries.map(([key, v]) => {
    const text = flowText(v);
    return text === null ? null : `${scalar(key, true)}: ${text}`;
  });
  if (parts.some((part) => part === null)) return null;
  return `{ ${parts.join(', ')} }`;
}

function fits(text: string | null, indent: number): text is string {
  return text !== null && indent + text.length <= FLOW_WIDTH;
}

function withComment(line: string, comment: string | undefined): string {
  return comment ? `${line}  # ${comment}` : line;
}

function commentLines(before: string[], indent: number): string[] {
  const pad = ' '.repeat(indent);
  return before.flatMap((text) => text.split('\n')).map((text) => (text === '' ? '' : `${pad}# ${text}`));
}

/** the lines of a map's entries at `indent` */
function mapLines(entries: [string, unknown][], indent: number): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const [key, raw] of entries) {
    const { value, comment, before } = unwrap(raw);
    lines.push(...commentLines(before, indent));
    const head = `${pad}${scalar(key)}:`;
    const flow = flowText(value);
    const nested = entriesOf(value);
    const isContainer = Array.isArray(value) || nested !== null;
    if (!isContainer || (fits(flow, indent + key.length + 2) && !(value instanceof BlockMap))) {
      lines.push(withComment(`${head} ${flow ?? scalar(value)}`, comment));
    } else if (Array.isArray(value)) {
      if (value.length === 0) lines.push(withComment(`${head} []`, comment));
      else lines.push(withComment(head, comment), ...seqLines(value, indent + 2));
    } else if (nested!.length === 0) {
      lines.push(withComment(`${head} {}`, comment));
    } else {
      lines.push(withComment(head, comment), ...mapLines(nested!, indent + 2));
    }
  }
  return lines;
}

/** the lines of a list's items at `indent` ("- " at indent) */
function seqLines(items: unknown[], indent: number): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const raw of items) {
    const { value, comment, before } = unwrap(raw);
    lines.push(...commentLines(before, indent));
    const flow = flowText(value);
    const nested = entriesOf(value);
    if (Array.isArray(value) ? !fits(flow, indent + 2) && value.length > 0 : nested !== null && nested.length > 0 && (value instanceof BlockMap || !fits(flow, indent + 2))) {
      const inner = Array.isArray(value) ? seqLines(value, indent + 2) : mapLines(nested!, indent + 2);
      const first = inner[0] ?? '';
      // the first entry goes on the dash's line
      lines.push(withComment(`${pad}- ${first.slice(indent + 2)}`, comment), ...inner.slice(1));
    } else {
      lines.push(withComment(`${pad}- ${flow ?? scalar(value)}`, comment));
    }
  }
  return lines;
}

/** A whole document: a map at the top, with comment lines above it. */
export function emitYaml(document: Record<string, unknown> | BlockMap, header: string[] = []): string {
  const entries = entriesOf(document) ?? [];
  return `${[...commentLines(header, 0), ...mapLines(entries, 0)].join('\n')}\n`;
}
