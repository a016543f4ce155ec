// `{{ name }}` templates in flow steps, parsed once when the profile loads into literal text and
// references: a value captured by an earlier step (`{{ token }}`), a column of a data file's row
// (`{{ row.email }}`), or an environment variable (`{{ env.NAME }}`, resolved to text at load).
// The engine only ever joins the parts (engine/flow-template.ts); nothing is re-parsed per request.

import type { TemplateEncoding } from './types.js';

/** A reference as written between `{{` and `}}`: `token`, `row.email`, `env.API_KEY`. */
export interface TemplateRef {
  /** `row` in `row.email`; undefined for a bare name */
  scope?: string;
  name: string;
  /** the reference as written, for messages */
  text: string;
  /** a function call (`randomInt(1, 100)`): its arguments as written, quotes removed */
  args?: string[];
}

export type RawTemplatePart = { kind: 'text'; text: string } | { kind: 'ref'; ref: TemplateRef };

export interface ParsedTemplate {
  parts: RawTemplatePart[];
  /** `{{ ... }}` whose content is not a reference, as written */
  malformed: string[];
}

const identifier = '[A-Za-z_][A-Za-z0-9_-]*';
const referencePattern = new RegExp(`^(?:(${identifier})\\.)?(${identifier})$`);
const callPattern = new RegExp(`^(${identifier})\\s*\\((.*)\\)$`, 's');

/** quick test before parsing: most strings of a profile have no template at all */
export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

/**
 * Splits `text` into literal text and references. A `{{` without a closing `}}` is literal text;
 * a closed one must hold a reference, or it is reported as malformed.
 */
export function parseTemplate(text: string): ParsedTemplate {
  const parts: RawTemplatePart[] = [];
  const malformed: string[] = [];
  let literal = '';
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('{{', at);
    const close = open < 0 ? -1 : text.indexOf('}}', open + 2);
    if (open < 0 || close < 0) {
      literal += text.slice(at);
      break;
    }
    literal += text.slice(at, open);
    const written = text.slice(open, close + 2);
    const inner = text.slice(open + 2, close).trim();
    const match = referencePattern.exec(inner);
    const call = match ? null : callPattern.exec(inner);
    const args = call ? splitArgs(call[2] ?? '') : undefined;
    if (call && args) {
      if (literal !== '') parts.push({ kind: 'text', text: literal });
      literal = '';
      parts.push({ kind: 'ref', ref: { name: call[1] ?? '', text: inner, args } });
    } else if (match) {
      if (literal !== '') parts.push({ kind: 'text', text: literal });
      literal = '';
      const scope = match[1];
      parts.push({ kind: 'ref', ref: { ...(scope !== undefined ? { scope } : {}), name: match[2] ?? '', text: inner } });
    } else {
      malformed.push(written);
      literal += written;
    }
    at = close + 2;
  }
  if (literal !== '') parts.push({ kind: 'text', text: literal });
  return { parts, malformed };
}

/**
 * The arguments of a call: comma-separated numbers, words or quoted strings ('a, b' or "a, b";
 * a body's JSON escapes a double quote as \\"). undefined when a quote is not closed.
 */
function splitArgs(text: string): string[] | undefined {
  const source = text.replace(/\\"/g, '"');
  const args: string[] = [];
  if (source.trim() === '') return args;
  let at = 0;
  while (at <= source.length) {
    while (source[at] === ' ' || source[at] === '\t') at++;
    const quote = source[at];
    let value: string;
    if (quote === '"' || quote === "'") {
      const end = source.indexOf(quote, at + 1);
      if (end < 0) return undefined;
      value = source.slice(at + 1, end);
      at = end + 1;
      while (source[at] === ' ' || source[at] === '\t') at++;
      if (at < source.length && source[at] !== ',') return undefined;
    } else {
      const end = source.indexOf(',', at);
      value = source.slice(at, end < 0 ? source.length : end).trim();
      at = end < 0 ? source.length : end;
    }
    args.push(value);
    if (at >= source.length) break;
    at++; // the comma
  }
  return args;
}

/** the references of a text, in order (malformed ones left out) */
export function templateRefs(text: string): TemplateRef[] {
  if (!hasTemplate(text)) return [];
  return parseTemplate(text).parts.flatMap((part) => (part.kind === 'ref' ? [part.ref] : []));
}

export const templateSyntaxHint =
  'write {{ name }} for a captured value, {{ row.column }} for a data column, {{ env.NAME }}, {{ setup.NAME }}, or a function such as {{ uuid() }}';

/** a value as written into a JSON string, a URL path, or as is (the same at load and per request) */
export function encodeTemplateValue(value: string, encoding: TemplateEncoding): string {
  if (encoding === 'json') return JSON.stringify(value).slice(1, -1);
  if (encoding === 'path') return encodePathValue(value);
  return value;
}

/** percent-encodes what a URL path cannot hold (spaces, controls, non-ASCII), keeps the rest */
export function encodePathValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\x21-\x7e]/.test(value) ? value.replace(/[^\x21-\x7e]+/g, (run) => encodeURIComponent(run)) : value;
}
