// The request mix: method, path, headers (lower-cased), body (`json` serialised once), expected
// statuses, weight, unique names; values of secret headers are collected for redaction.

import { didYouMeanHint } from './did-you-mean.js';
import { isStreamItem, readStream, requestRefResolver, streamKeysOn } from './normalise-streams.js';
import { readExpect, readRequestHttpField } from './normalise-http.js';
import { has, httpUrlProblem, isRecord } from './read-values.js';
import type { Report } from './read-values.js';
import type { RequestSpec } from './types.js';
import type { FieldPath } from './yaml-source.js';

export const httpMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'] as const;

/** request headers whose values are secrets */
export const secretHeaders = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key']);

/** A plain request with `{{ ... }}` in it: run as a one-step flow, so its templates are compiled like a step's. */
export interface TemplatedRequest {
  index: number;
  name: string;
  item: Record<string, unknown>;
}

export function normaliseRequests(raw: unknown, report: Report): { requests: RequestSpec[]; secrets: string[]; templated: TemplatedRequest[] } {
  const items = Array.isArray(raw) ? raw : [];
  const requests: RequestSpec[] = [];
  const templated: TemplatedRequest[] = [];
  const secrets: string[] = [];
  const names = new Map<string, number>();

  items.forEach((item: unknown, index) => {
    if (!isRecord(item)) return;
    const path = ['requests', index];
    const stream = isStreamItem(item) ? readStream(item, path, { report, resolve: requestRefResolver(report) }) : undefined;
    if (!isStreamItem(item)) checkHttpItem(item, path, report);
    const method = stream ? 'GET' : readMethod(item['method'], [...path, 'method'], report);
    const requestPath = stream ? stream.url.source : typeof item['path'] === 'string' ? item['path'] : '';
    if (requestPath !== '' && !stream) checkRequestPath(requestPath, [...path, 'path'], report);
    const headers = readHeaders(item['headers'], [...path, 'headers'], report, secrets);

    let body: string | undefined;
    if (has(item, 'json') && has(item, 'body')) {
      report([...path, 'body'], 'has both `json` and `body`', 'use `json` for a body sent as JSON, or `body` for one sent as written');
    } else if (item['json'] !== undefined) {
      body = JSON.stringify(item['json']);
      headers['content-type'] ??= 'application/json';
    } else if (typeof item['body'] === 'string') {
      body = item['body'];
    }

    const explicitName = typeof item['name'] === 'string' && item['name'] !== '' ? item['name'] : undefined;
    const name = explicitName ?? (stream ? `${stream.kind.toUpperCase()} ${requestPath}` : `${method} ${requestPath}`);
    const first = names.get(name);
    if (first !== undefined) {
      report(
        explicitName ? [...path, 'name'] : path,
        `request name "${name}" is already used by requests.${first}`,
        explicitName ? 'give each request its own name' : 'give one of them a `name`',
      );
    } else {
      names.set(name, index);
    }

    if (!stream && JSON.stringify(item).includes('{{')) {
      templated.push({ index, name, item });
      return;
    }
    const expect = readExpect(item['expect'], [...path, 'expect'], report);
    const http = readRequestHttpField(item['http']);
    requests.push({
      name,
      method,
      path: requestPath,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(expect !== undefined ? { expect } : {}),
      ...(http !== undefined ? { http } : {}),
      expectStatus: readExpectStatus(item['expect']),
      weight: typeof item['weight'] === 'number' && item['weight'] > 0 ? item['weight'] : 1,
      ...(stream ? { stream } : {}),
    });
  });
  return { requests, secrets, templated };
}

/** an HTTP request needs `path` and has none of the keys of a `ws:`/`sse:` one */
export function checkHttpItem(item: Record<string, unknown>, path: FieldPath, report: Report): void {
  if (!('path' in item)) report(path, '`path` is missing', 'an HTTP request has `path`; a WebSocket one `ws`, an event stream `sse`');
  for (const key of streamKeysOn(item)) report([...path, key], `\`${key}\` belongs to a \`ws:\` or \`sse:\` step`, 'add `ws: /path` (WebSocket) or `sse: /path` (server-sent events)');
}

export function readMethod(value: unknown, path: FieldPath, report: Report): string {
  if (typeof value !== 'string') return 'GET';
  const method = value.toUpperCase();
  if (!(httpMethods as readonly string[]).includes(method)) {
    report(path, `"${value}" is not an HTTP method`, didYouMeanHint(method, httpMethods, '"'));
    return 'GET';
  }
  return method;
}

export function checkRequestPath(text: string, path: FieldPath, report: Report): void {
  // a CR or LF would end the request line and start another (a smuggled request)
  if (/[\r\n\0]/.test(text)) return report(path, 'a path must be on one line', 'remove the line break (CR/LF) from the path');
  if (/\s/.test(text.replace(/\{\{.*?\}\}/g, ''))) return report(path, `"${text}" has a space`, 'write it as %20');
  if (text.startsWith('/')) return;
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) {
    const problem = httpUrlProblem(text);
    if (problem) report(path, problem.message, 'a request path starts with / or is an http(s) URL');
    return;
  }
  report(path, `"${text}" must start with / or be an http(s) URL`, `write "/${text}"`);
}

export const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** header names lower-cased; values of secret headers go to `secrets` */
function readHeaders(value: unknown, path: FieldPath, report: Report, secrets: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!isRecord(value)) return headers;
  for (const [key, raw] of Object.entries(value)) {
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') continue;
    const name = key.toLowerCase();
    const text = String(raw);
    if (!headerName.test(key)) {
      report([...path, key], `"${key}" is not a valid header name`);
      continue;
    }
    if (/[\r\n]/.test(text)) report([...path, key], 'a header value must be on one line');
    if (headers[name] !== undefined) {
      report([...path, key], `header "${name}" is given twice`, 'header names are not case-sensitive');
    }
    headers[name] = text;
    // a template is shown as written; a captured or setup value never reaches a report anyway
    if (secretHeaders.has(name) && text !== '' && !text.includes('{{')) {
      secrets.push(text);
      const credentials = name.endsWith('authorization') ? /^\S+\s+(\S.*)$/.exec(text)?.[1] : undefined;
      if (credentials) secrets.push(credentials); // `Bearer abc`: also `abc` on its own
    }
  }
  return headers;
}

export function readExpectStatus(value: unknown): number[] | null {
  if (!isRecord(value)) return null;
  const status = value['status'];
  if (typeof status === 'number') return [status];
  if (Array.isArray(status)) return status.filter((code): code is number => typeof code === 'number');
  return null;
}
