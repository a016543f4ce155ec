// `http:` (redirects, compression, cookies, TLS, proxy) at the top of a profile and per request or
// step, and `expect:` beyond the status (body and headers). The schema checks the types; this
// checks what it cannot: regular expressions that compile, JSON paths, URLs, files that exist.
import { resolve } from 'node:path';
import { fileExists } from './files.js';
import { parseJsonPath } from './json-path.js';
import { isRecord } from './read-values.js';
import type { Report } from './read-values.js';
import type { ExpectSpec, HttpSpec, HttpVersion, RequestHttpSpec } from './types.js';
import type { FieldPath } from './yaml-source.js';

export const defaultRedirects = 10;

/** `http:` of a profile; undefined when absent (the defaults apply) */
export function normaliseHttp(raw: unknown, report: Report): HttpSpec | undefined {
  if (!isRecord(raw)) return undefined;
  const own = readRequestHttp(raw);
  const spec: HttpSpec = {
    redirects: own.redirects ?? defaultRedirects,
    compression: own.compression ?? true,
    cookies: own.cookies ?? true,
  };
  const tls = raw['tls'];
  if (isRecord(tls)) {
    spec.tls = {};
    if (typeof tls['insecure'] === 'boolean') spec.tls.insecure = tls['insecure'];
    for (const key of ['ca', 'cert', 'key', 'servername'] as const) if (typeof tls[key] === 'string') spec.tls[key] = tls[key];
    if ((spec.tls.cert === undefined) !== (spec.tls.key === undefined)) {
      report(['http', 'tls', spec.tls.cert === undefined ? 'key' : 'cert'], 'a client certificate needs both `cert` and `key`');
    }
  }
  const proxy = raw['proxy'];
  if (typeof proxy === 'string') {
    if (proxy !== '' && !/^https?:\/\/[^/\s]+\/?$/i.test(proxy)) report(['http', 'proxy'], `"${proxy}" is not a proxy URL`, 'write http://host:port');
    spec.proxy = proxy;
  }
  return spec;
}

/** the keys a request or step may set for itself */
export function readRequestHttp(raw: unknown): RequestHttpSpec {
  const spec: RequestHttpSpec = {};
  if (!isRecord(raw)) return spec;
  const version = readHttpVersion(raw['version']);
  if (version !== undefined) spec.version = version;
  if (typeof raw['redirects'] === 'number') spec.redirects = raw['redirects'];
  if (typeof raw['compression'] === 'boolean') spec.compression = raw['compression'];
  if (typeof raw['cookies'] === 'boolean') spec.cookies = raw['cookies'];
  return spec;
}

/** `version: 2` reads as a number in YAML: 1.1, 2 or auto (the schema reports anything else) */
export function readHttpVersion(version: unknown): HttpVersion | undefined {
  const text = typeof version === 'number' ? (version === 2 ? '2' : version === 1.1 ? '1.1' : '') : String(version ?? '');
  return text === '1.1' || text === '2' || text === 'auto' ? text : undefined;
}

/** `http:` of a request or step, or undefined when it sets nothing */
export function readRequestHttpField(raw: unknown): RequestHttpSpec | undefined {
  const spec = readRequestHttp(raw);
  return Object.keys(spec).length > 0 ? spec : undefined;
}

/** `expect.body` and `expect.headers`; undefined when there are none */
export function readExpect(raw: unknown, path: FieldPath, report: Report): ExpectSpec | undefined {
  if (!isRecord(raw)) return undefined;
  const spec: ExpectSpec = {};
  const body = raw['body'];
  if (isRecord(body)) {
    spec.body = {};
    if (typeof body['contains'] === 'string') spec.body.contains = body['contains'];
    if (typeof body['matches'] === 'string' && checkRegex(body['matches'], [...path, 'body', 'matches'], report)) spec.body.matches = body['matches'];
    if (isRecord(body['json'])) {
      spec.body.json = [];
      for (const [expression, expected] of Object.entries(body['json'])) {
        const fieldPath = [...path, 'body', 'json', expression];
        const parsed = parseJsonPath(expression);
        if (!parsed.ok) {
          report(fieldPath, parsed.message, parsed.hint);
          continue;
        }
        if (isRecord(expected)) {
          if (typeof expected['matches'] === 'string' && checkRegex(expected['matches'], [...fieldPath, 'matches'], report)) {
            spec.body.json.push({ expression, path: parsed.value, matches: expected['matches'] });
          }
        } else if (expected === null || typeof expected === 'string' || typeof expected === 'number' || typeof expected === 'boolean') {
          spec.body.json.push({ expression, path: parsed.value, equals: expected });
        }
      }
    }
  }
  const headers = raw['headers'];
  if (isRecord(headers)) {
    spec.headers = [];
    for (const [name, pattern] of Object.entries(headers)) {
      if (typeof pattern === 'string' && checkRegex(pattern, [...path, 'headers', name], report)) spec.headers.push({ name: name.toLowerCase(), matches: pattern });
    }
  }
  return spec.body !== undefined || spec.headers !== undefined ? spec : undefined;
}

function checkRegex(pattern: string, path: FieldPath, report: Report): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch (error) {
    report(path, `"${pattern}" is not a regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`);
    return false;
  }
}

/**
 * The TLS files of `http.tls`, made absolute (relative to the profile); a missing one is
 * reported at its field. Returns the issues' paths and messages for the caller to place.
 */
export async function resolveTlsFiles(spec: HttpSpec | undefined, profilePath: string, report: Report): Promise<void> {
  if (spec?.tls === undefined) return;
  const dir = resolve(profilePath, '..');
  for (const key of ['ca', 'cert', 'key'] as const) {
    const file = spec.tls[key];
    if (file === undefined) continue;
    const abs = resolve(dir, file);
    if (!(await fileExists(abs))) report(['http', 'tls', key], `file "${file}" not found`, `looked for ${abs}; the path is relative to the profile`);
    spec.tls[key] = abs;
  }
}
