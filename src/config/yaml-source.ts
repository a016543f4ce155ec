// The only module that touches the `yaml` package: parses a file keeping node positions, and
// answers "where in the file is `stages.1.duration`?" so every issue can carry line:col.

import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, stringify } from 'yaml';
import type { Document, Node, Scalar } from 'yaml';
import type { InputIssue } from '../errors.js';

export type PathSegment = string | number;
export type FieldPath = readonly PathSegment[];

export interface YamlSource {
  /** the file as shown in messages (relative to cwd, as the user typed it) */
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

export interface ParsedYaml {
  source: YamlSource;
  /** syntax errors; when there are any, the data is not worth validating */
  issues: InputIssue[];
}

/** The first syntax errors of a file are shown; the rest are counted. */
const MAX_SYNTAX_ERRORS_SHOWN = 5;

/**
 * Profiles and target tables are small by nature (data goes in CSV files): past this size a
 * file is refused at once, since the YAML parser's error recovery on a large broken file takes
 * seconds per megabyte and gigabytes of memory.
 */
export const MAX_YAML_BYTES = 256 * 1024;

export function parseYamlSource(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  if (text.length > MAX_YAML_BYTES) {
    const size = `${(Buffer.byteLength(text) / 1024).toFixed(0)} KB`;
    const issue: InputIssue = { file, line: 1, col: 1, path: '', message: `the file is ${size}; perfctl reads profiles and target tables up to 256 KB`, hint: 'put request data in a CSV file under `data:`' };
    return { source: { file, doc: parseDocument(''), lineCounter }, issues: [issue] };
  }
  // positions come from the line counter: prettyErrors would format a code frame for every one
  // of possibly thousands of follow-on errors, doubling the time of a broken file
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  // one slip (an unquoted `[` inside `{ }`) can derail the parser into hundreds of follow-on
  // errors: the first few say where to look
  const shown = doc.errors.slice(0, MAX_SYNTAX_ERRORS_SHOWN);
  const issues = shown.map((error): InputIssue => {
    const at = lineCounter.linePos(error.pos[0]);
    return { file, line: at.line, col: at.col, path: '', message: `YAML syntax error: ${error.message.split('\n')[0]}` };
  });
  const more = doc.errors.length - shown.length;
  if (more > 0) {
    const last = issues[issues.length - 1]!;
    issues.push({ ...last, message: `and ${more} more YAML syntax errors after these (often caused by the first one)` });
  }
  return { source: { file, doc, lineCounter }, issues };
}

/** `['stages', 1, 'duration']` -> `stages.1.duration` */
export function dottedPath(path: FieldPath): string {
  return path.join('.');
}

function resolveAlias(source: YamlSource, node: unknown): unknown {
  return isAlias(node) ? node.resolve(source.doc) : node;
}

/**
 * The node at `path`, or the deepest node on the way when the path goes further than the file
 * (a missing key is reported at its parent). With `key`, the key of the last map entry instead of
 * its value (for unknown keys).
 */
function locate(source: YamlSource, path: FieldPath, key: boolean): Node | null {
  let node = resolveAlias(source, source.doc.contents) as Node | null;
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return node;
      const value = resolveAlias(source, pair.value) as Node | null;
      if ((last && key) || value === null) return pair.key as Node;
      node = value;
    } else if (isSeq(node)) {
      const item = resolveAlias(source, node.items[Number(segment)]) as Node | undefined;
      if (item === undefined || item === null) return node;
      node = item;
    } else {
      return node;
    }
  }
  return node;
}

export function positionOf(source: YamlSource, path: FieldPath, key = false): { line: number; col: number } {
  const node = locate(source, path, key);
  const offset = node?.range?.[0];
  if (offset === undefined) return { line: 1, col: 1 };
  return source.lineCounter.linePos(offset);
}

/** An issue at the node of `path` (or, with `at: 'key'`, at the key naming it). */
export function issueAt(
  source: YamlSource,
  path: FieldPath,
  message: string,
  hint?: string,
  at: 'value' | 'key' = 'value',
): InputIssue {
  const { line, col } = positionOf(source, path, at === 'key');
  return { file: source.file, line, col, path: dottedPath(path), message, ...(hint ? { hint } : {}) };
}

/**
 * The same file seen from the node at `path` (a scenario of a profile): paths given to it are
 * relative to that node, positions stay the file's. The caller prefixes the issues' paths.
 */
export function scopedSource(source: YamlSource, path: FieldPath): YamlSource {
  const node = locate(source, path, false);
  const doc = Object.create(source.doc, { contents: { value: node, enumerable: true } }) as Document.Parsed;
  return { file: source.file, doc, lineCounter: source.lineCounter };
}

/** An issue about the file as a whole (empty, not a map). */
export function fileIssue(file: string, message: string, hint?: string): InputIssue {
  return { file, line: 1, col: 1, path: '', message, ...(hint ? { hint } : {}) };
}

/** Calls `visit` for every scalar value in the document (not keys), with its path. */
export function visitScalars(source: YamlSource, visit: (scalar: Scalar, path: FieldPath) => void): void {
  const walk = (node: unknown, path: PathSegment[]): void => {
    if (isScalar(node)) visit(node, path);
    else if (isMap(node)) {
      for (const pair of node.items) {
        if (isScalar(pair.key)) walk(pair.value, [...path, String(pair.key.value)]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => walk(item, [...path, index]));
    }
  };
  walk(source.doc.contents, []);
}

/** The document as plain data (aliases resolved). */
export function toData(source: YamlSource): unknown {
  return source.doc.toJS({ maxAliasCount: 1000 });
}

/** Parses one scalar text the way YAML would resolve a plain scalar (for `${VAR}` results). */
export function resolvePlainScalar(text: string): unknown {
  try {
    const doc = parseDocument(text);
    if (doc.errors.length > 0 || !isScalar(doc.contents)) return text;
    return doc.contents.value;
  } catch {
    return text;
  }
}

/** Plain data as YAML text (--print-profile, the ad-hoc profile); long lines are not folded. */
export function toYamlText(data: unknown): string {
  return stringify(data, { lineWidth: 0, flowCollectionPadding: true });
}
