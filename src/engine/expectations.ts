// Expectations on a response beyond its status (SPEC §2): the body contains a text, matches a
// regular expression, has JSON values at paths; headers match. The first one missed names the
// error (kind `expect:<expectation>`), so the results say which one failed and how often.
import { evaluateJsonPath } from '../config/json-path.js';
import type { ExpectSpec } from '../config/types.js';
import type { CollectedResponse } from './transport.js';

export interface PreparedExpect {
  contains?: string;
  matches?: RegExp;
  json?: Array<{ label: string; path: ReadonlyArray<string | number>; equals?: string | number | boolean | null; regex?: RegExp }>;
  headers?: Array<{ name: string; regex: RegExp }>;
  /** the body must be read (and decoded) */
  readsBody: boolean;
}

export function prepareExpect(spec: ExpectSpec | undefined): PreparedExpect | undefined {
  if (spec === undefined) return undefined;
  const body = spec.body;
  const prepared: PreparedExpect = { readsBody: body !== undefined };
  if (body?.contains !== undefined) prepared.contains = body.contains;
  if (body?.matches !== undefined) prepared.matches = new RegExp(body.matches);
  if (body?.json !== undefined) {
    prepared.json = body.json.map((entry) => ({
      label: entry.expression,
      path: entry.path,
      ...(entry.matches !== undefined ? { regex: new RegExp(entry.matches) } : { equals: entry.equals ?? null }),
    }));
  }
  if (spec.headers !== undefined) prepared.headers = spec.headers.map((h) => ({ name: h.name, regex: new RegExp(h.matches, 'i') }));
  return prepared;
}

/** The error kind of the first expectation the response misses, or null when it meets them all. */
export function missedExpectation(expect: PreparedExpect, response: CollectedResponse): string | null {
  for (const header of expect.headers ?? []) {
    const values = response.headers[header.name];
    if (values === undefined || !values.some((value) => header.regex.test(value))) return `expect:headers.${header.name}`;
  }
  if (expect.contains !== undefined && !response.body.includes(expect.contains)) return 'expect:body.contains';
  if (expect.matches !== undefined && !expect.matches.test(response.body)) return 'expect:body.matches';
  if (expect.json !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(response.body);
    } catch {
      return 'expect:body.json';
    }
    for (const entry of expect.json) {
      const value = evaluateJsonPath(json, entry.path);
      if (entry.regex !== undefined) {
        if (value === undefined || value === null || typeof value === 'object' || !entry.regex.test(String(value))) return `expect:body.json ${entry.label}`;
      } else if (!sameValue(value, entry.equals)) return `expect:body.json ${entry.label}`;
    }
  }
  return null;
}

/** a YAML scalar against a JSON value: equal as written (`200` matches 200 and "200") */
function sameValue(actual: unknown, expected: string | number | boolean | null | undefined): boolean {
  if (actual === expected) return true;
  if (actual === undefined || expected === undefined) return false;
  if (actual === null || expected === null) return actual === expected;
  if (typeof actual === 'object') return false;
  return String(actual) === String(expected);
}
