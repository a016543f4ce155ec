// Captures: values a flow step takes from its response for the steps after it. A JSON path into
// the body, a response header, or the first group of a regular expression over the body. A
// capture that finds nothing (or only an empty value) fails the step with error kind `capture`.
import { evaluateJsonPath } from '../config/json-path.js';
import type { CaptureSpec } from '../config/types.js';
import type { CollectedResponse } from './transport.js';

export type PreparedCapture =
  | { slot: number; from: 'json'; path: ReadonlyArray<string | number> }
  | { slot: number; from: 'header'; header: string }
  | { slot: number; from: 'regex'; regex: RegExp };

/** Compiles the captures of one step; `slotOf` gives each captured name its place in an iteration's values. */
export function prepareCaptures(specs: readonly CaptureSpec[], slotOf: (name: string) => number): PreparedCapture[] {
  return specs.map((spec): PreparedCapture => {
    const slot = slotOf(spec.name);
    switch (spec.from) {
      case 'json':
        return { slot, from: 'json', path: spec.path };
      case 'header':
        return { slot, from: 'header', header: spec.header };
      case 'regex':
        return { slot, from: 'regex', regex: new RegExp(spec.pattern) };
      default: {
        const never: never = spec;
        throw new Error(`unknown capture ${String(never)}`);
      }
    }
  });
}

/**
 * Stores each captured value into `values`; false as soon as one finds nothing. The body is
 * parsed as JSON at most once, and only when a JSON capture needs it.
 */
export function applyCaptures(captures: readonly PreparedCapture[], response: CollectedResponse, values: Array<string | undefined>): boolean {
  let json: unknown;
  let parsed = false;
  for (const capture of captures) {
    let value: string | undefined;
    if (capture.from === 'json') {
      if (!parsed) {
        parsed = true;
        json = parseJson(response.body);
      }
      value = jsonValueText(evaluateJsonPath(json, capture.path));
    } else if (capture.from === 'header') {
      value = headerValue(response.headers[capture.header], capture.header);
    } else {
      const match = capture.regex.exec(response.body);
      value = match === null ? undefined : (match.length > 1 ? match[1] : match[0]);
    }
    if (value === undefined || value === '') return false;
    values[capture.slot] = value;
  }
  return true;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** strings as they are, numbers and booleans as written, objects and lists as JSON; null is nothing */
function jsonValueText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * `set-cookie` gives the `name=value` pairs of its cookies, ready for a `cookie` header; any other
 * header its values joined by ", ".
 */
function headerValue(values: readonly string[] | undefined, name: string): string | undefined {
  if (values === undefined || values.length === 0) return undefined;
  if (name !== 'set-cookie') return values.join(', ');
  return values.map((cookie) => (cookie.split(';', 1)[0] ?? '').trim()).filter((pair) => pair !== '').join('; ');
}
