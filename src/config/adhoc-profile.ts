// `perfctl run <URL>`: the hey / autocannon / ab one-liner as a profile. The flags become the
// YAML of a one-request profile, which is then loaded like any file: the same checks, the same
// run, and `--print-profile` shows the file that repeats it.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { usageError } from '../errors.js';
import { formatDuration } from './duration.js';
import { httpUrlProblem } from './read-values.js';
import { toYamlText } from './yaml-source.js';

export interface AdhocRequest {
  method?: string;
  /** `name: value`, as typed after -H */
  headers: string[];
  /** -b: the body as text, or `@file` */
  body?: string;
  contentType?: string;
  timeoutMs?: number;
  /** -c / -R / -d as given (the defaults are 10 users for 10 s) */
  vus?: number;
  rate?: number;
  durationMs?: number;
}

export const adhocDefaults = { vus: 10, durationMs: 10_000 } as const;

export function isUrlRef(ref: string): boolean {
  return /^https?:\/\//i.test(ref);
}

/** `${` in a value is written `$${` so the profile loader keeps it as typed */
const literal = (text: string): string => text.split('${').join('$${');

/** The YAML text of the ad-hoc profile; `cwd` is where `-b @file` is read from. */
export async function adhocProfileYaml(urlText: string, request: AdhocRequest, cwd: string): Promise<string> {
  const problem = httpUrlProblem(urlText);
  if (problem) throw usageError(`${urlText}: ${problem.message}`, problem.hint);
  const url = new URL(urlText);
  const path = `${url.pathname}${url.search}`;
  const method = (request.method ?? (request.body !== undefined ? 'POST' : 'GET')).toUpperCase();
  const headers: Record<string, string> = {};
  for (const header of request.headers) {
    const colon = header.indexOf(':');
    const name = colon > 0 ? header.slice(0, colon).trim() : '';
    if (name === '' || /\s/.test(name)) throw usageError(`-H "${header}" is not a header`, 'write -H "name: value"');
    headers[name.toLowerCase()] = literal(header.slice(colon + 1).trim());
  }
  if (request.contentType !== undefined) headers['content-type'] = request.contentType;
  let body: string | undefined;
  if (request.body !== undefined) {
    body = request.body.startsWith('@') ? await readBodyFile(request.body.slice(1), cwd) : request.body;
    if (headers['content-type'] === undefined && /^\s*[[{]/.test(body)) headers['content-type'] = 'application/json';
  }
  const level = request.rate !== undefined ? { rate: request.rate } : { vus: request.vus ?? adhocDefaults.vus };
  const profile = {
    name: `${url.hostname}${url.port ? `-${url.port}` : ''}${url.pathname === '/' ? '' : url.pathname.replace(/\//g, '-')}`.replace(/[^\w.-]+/g, '_'),
    description: `ad-hoc test of ${method} ${urlText.replace(/[?#].*$/, '')}`,
    baseUrl: literal(url.origin),
    stages: [{ name: 'main', duration: formatDuration(request.durationMs ?? adhocDefaults.durationMs), ...level }],
    requests: [
      {
        name: `${method} ${url.pathname}`,
        ...(method !== 'GET' ? { method } : {}),
        path: literal(path),
        ...(Object.keys(headers).length > 0 ? { headers } : {}),
        ...(body !== undefined ? { body: literal(body) } : {}),
      },
    ],
    ...(request.timeoutMs !== undefined ? { timeout: formatDuration(request.timeoutMs) } : {}),
  };
  return toYamlText(profile);
}

async function readBodyFile(file: string, cwd: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw usageError(`-b @${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}
