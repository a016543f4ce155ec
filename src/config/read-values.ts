// Small helpers shared by the normalisers: reading plain data defensively, reporting at a path.

import type { Read } from './duration.js';
import type { FieldPath } from './yaml-source.js';

export type Report = (path: FieldPath, message: string, hint?: string) => void;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function has(record: Record<string, unknown>, key: string): boolean {
  return record[key] !== undefined && record[key] !== null;
}

/** a value read, or the fallback after reporting why it could not be */
export function take<T>(read: Read<T>, fallback: T, path: FieldPath, report: Report): T {
  if (read.ok) return read.value;
  report(path, read.message, read.hint);
  return fallback;
}

/** why `text` is not an absolute http(s) URL, or undefined when it is one */
export function httpUrlProblem(text: string): { message: string; hint?: string } | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    return { message: `"${text}" is not a URL`, hint: `write "http://${text}"` };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { message: `"${text}" is not a valid URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { message: `"${text}" is not an http or https URL` };
  }
  return undefined;
}
