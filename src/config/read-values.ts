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
  const shown = maskUserInfo(text);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    return { message: `"${shown}" is not a URL`, hint: `write "http://${shown}"` };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { message: `"${shown}" is not a valid URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { message: `"${shown}" is not an http or https URL` };
  }
  // credentials in a URL would be written into every report and log line: refused, never sent
  if (url.username !== '' || url.password !== '') {
    return {
      message: 'has a user name or password in it; perfctl does not take credentials in a URL (they would reach every report)',
      hint: 'send them in a header from the environment, e.g. `headers: { authorization: "Basic ${BASIC_AUTH}" }`',
    };
  }
  return undefined;
}

/** `user:secret@` (or `user@`) in a URL-like text, shown as `***@`. */
export function maskUserInfo(text: string): string {
  return text.replace(/(^|\/\/)[^/@\s]*@/, '$1***@');
}
