// Turns the profile's requests into what the transport sends, once, before the run.
import type { RequestSpec } from '../config/types.js';
import type { HttpMethod, PreparedRequest } from './transport.js';

export interface Target {
  /** scheme://host:port */
  origin: string;
  /** the base URL's path without a trailing slash ('' for none) */
  basePath: string;
}

export function parseTarget(baseUrl: string): Target {
  const url = new URL(baseUrl);
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
}

/** A plain request of the mix, ready to send (flows are prepared by flow-runner.ts). */
export type PreparedMixRequest = PreparedRequest & { kind: 'request'; weight: number };

export function prepareRequest(spec: RequestSpec, target: Target): PreparedMixRequest {
  return {
    kind: 'request',
    name: spec.name,
    method: spec.method.toUpperCase() as HttpMethod,
    path: joinPath(target, spec.path),
    headers: spec.headers,
    body: spec.body,
    expectStatus: spec.expectStatus === null ? null : new Set(spec.expectStatus),
    weight: spec.weight,
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
