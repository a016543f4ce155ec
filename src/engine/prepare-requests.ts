// Turns the profile's requests into what the transport sends, once, before the run.
import type { ExpectSpec, HttpSpec, RequestHttpSpec, RequestSpec } from '../config/types.js';
import { prepareExpect } from './expectations.js';
import type { HttpMethod, PreparedRequest } from './transport.js';

export interface Target {
  /** scheme://host:port */
  origin: string;
  /** the base URL's path without a trailing slash ('' for none) */
  basePath: string;
  /** the profile's `http:` (absent: the defaults) */
  http?: HttpSpec;
}

export function parseTarget(baseUrl: string, http?: HttpSpec): Target {
  const url = new URL(baseUrl);
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, ''), ...(http !== undefined ? { http } : {}) };
}

export const ACCEPT_ENCODING = 'gzip, deflate, br';

/** What a request's HTTP behaviour adds to it: redirects, cookies, expectations, accept-encoding. */
export function httpFields(
  target: Target,
  own: RequestHttpSpec | undefined,
  expect: ExpectSpec | undefined,
  headers: Record<string, string>,
  collect: boolean,
): Pick<PreparedRequest, 'redirects' | 'cookies' | 'expect' | 'collect' | 'headers' | 'httpVersion'> {
  const redirects = own?.redirects ?? target.http?.redirects ?? 10;
  const cookies = own?.cookies ?? target.http?.cookies ?? true;
  const compression = own?.compression ?? target.http?.compression ?? true;
  const prepared = prepareExpect(expect);
  const fields: ReturnType<typeof httpFields> = { headers };
  if (compression && !Object.keys(headers).some((name) => name.toLowerCase() === 'accept-encoding')) fields.headers = { ...headers, 'accept-encoding': ACCEPT_ENCODING };
  if (redirects > 0) fields.redirects = redirects;
  if (cookies) fields.cookies = true;
  if (own?.version !== undefined) fields.httpVersion = own.version;
  if (prepared !== undefined) fields.expect = prepared;
  if (collect || prepared !== undefined) fields.collect = true;
  return fields;
}

/** `path` is an absolute URL (its own host), not a path joined to the base URL */
export const isAbsoluteUrl = (path: string): boolean => /^https?:\/\//i.test(path);

/** an absolute URL's origin when it is not the base URL's (its own connection pool) */
export function originOf(target: Target, path: string): string | undefined {
  if (!isAbsoluteUrl(path)) return undefined;
  const origin = new URL(path).origin;
  return origin === target.origin ? undefined : origin;
}

/** A plain request of the mix, ready to send (flows are prepared by flow-runner.ts). */
export type PreparedMixRequest = PreparedRequest & { kind: 'request'; weight: number };

export function prepareRequest(spec: RequestSpec, target: Target): PreparedMixRequest {
  const origin = originOf(target, spec.path);
  return {
    kind: 'request',
    name: spec.name,
    method: spec.method.toUpperCase() as HttpMethod,
    path: joinPath(target, spec.path),
    body: spec.body,
    expectStatus: spec.expectStatus === null ? null : new Set(spec.expectStatus),
    weight: spec.weight,
    ...(origin !== undefined ? { origin } : {}),
    ...httpFields(target, spec.http, spec.expect, spec.headers, false),
  };
}

/** the path to send: the base URL's path prefix and `path`, or the path and query of an absolute URL */
export function joinPath(target: Target, path: string): string {
  if (/^https?:\/\//i.test(path)) {
    const url = new URL(path);
    return url.pathname + url.search;
  }
  return target.basePath + (path.startsWith('/') ? path : `/${path}`);
}
