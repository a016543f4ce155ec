// The rules of a profile beyond its schema, and the defaults: plain data in, the engine's Profile
// fields out, with every problem found. Defensive: a value of the wrong type is skipped here (the
// schema reports it), so one bad field hides nothing else.

import type { InputIssue } from '../errors.js';
import { readDuration, readThinkTime } from './duration.js';
import { normaliseAnalysisSettings } from './normalise-analysis.js';
import { normaliseHttp } from './normalise-http.js';
import { normaliseRequests, type TemplatedRequest } from './normalise-requests.js';
import { normaliseStages } from './normalise-stages.js';
import { has, httpUrlProblem, take } from './read-values.js';
import type { Report } from './read-values.js';
import type { HttpSpec, HttpVersion, LoadModel, MonitorSpec, RequestSpec, StageSpec, ThinkTime } from './types.js';
import { issueAt } from './yaml-source.js';
import type { YamlSource } from './yaml-source.js';

export const defaultTimeoutMs = 10_000;
export const defaultMaxInFlight = 10_000;

export interface NormalisedProfile {
  name: string;
  description: string;
  baseUrl: string;
  model: LoadModel;
  stages: StageSpec[];
  requests: RequestSpec[];
  /** plain requests with templates, compiled with the flows */
  templatedRequests: TemplatedRequest[];
  timeoutMs: number;
  thinkTime: ThinkTime;
  maxInFlight: number;
  /** `http:`; absent = the defaults */
  http?: HttpSpec;
  /** values of secret headers */
  secrets: string[];
  /** run analyses: the service's resources, and stopping a staircase at its breaking point */
  monitor?: MonitorSpec;
  stopOnBreak?: boolean;
  httpVersion?: HttpVersion;
}

export interface ProfileContext {
  source: YamlSource;
  /** used when the profile has no `name` (the file's base name) */
  defaultName: string;
  /** --base-url: replaces the profile's `baseUrl`, which is then not required */
  baseUrl?: string;
}

/** `http.version` (the schema checks the value): 1.1, 2 or auto */
function readHttpVersion(data: Record<string, unknown>): { httpVersion?: HttpVersion } {
  const http = data['http'];
  const version = typeof http === 'object' && http !== null ? (http as Record<string, unknown>)['version'] : undefined;
  const text = typeof version === 'number' ? (version === 2 ? '2' : version === 1.1 ? '1.1' : '') : String(version ?? '');
  return text === '1.1' || text === '2' || text === 'auto' ? { httpVersion: text } : {};
}

export function normaliseProfile(data: Record<string, unknown>, context: ProfileContext): { profile: NormalisedProfile; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  const report: Report = (path, message, hint) => issues.push(issueAt(context.source, path, message, hint));

  const { model, stages } = normaliseStages(data['stages'], report);
  if (data['stages'] === undefined && data['scenarios'] === undefined) {
    report([], '`stages` is missing', 'add `stages` (the load shape), or `scenarios` for several load shapes at once');
  }
  if (data['scenarios'] !== undefined && data['stopOnBreak'] === true) {
    report(['stopOnBreak'], 'needs a staircase in the top-level `stages`', 'a profile with `scenarios` cannot stop at a breaking point yet; run the staircase as a profile of its own');
  }
  const { requests, secrets, templated } = normaliseRequests(data['requests'], report);

  const timeoutMs = has(data, 'timeout') ? take(readDuration(data['timeout']), defaultTimeoutMs, ['timeout'], report) : defaultTimeoutMs;
  if (timeoutMs === 0) report(['timeout'], 'must be more than 0s', 'a request needs some time to answer, e.g. "10s"');
  const thinkTime = has(data, 'thinkTime') ? take(readThinkTime(data['thinkTime']), { minMs: 0, maxMs: 0 }, ['thinkTime'], report) : { minMs: 0, maxMs: 0 };
  const maxInFlight = typeof data['maxInFlight'] === 'number' ? data['maxInFlight'] : defaultMaxInFlight;
  const http = normaliseHttp(data['http'], report);

  const profile: NormalisedProfile = {
    name: typeof data['name'] === 'string' ? data['name'] : context.defaultName,
    description: typeof data['description'] === 'string' ? data['description'] : '',
    baseUrl: normaliseBaseUrl(data, context.baseUrl, report),
    model,
    stages,
    requests,
    templatedRequests: templated,
    timeoutMs,
    thinkTime,
    maxInFlight,
    ...(http !== undefined ? { http } : {}),
    secrets,
    ...normaliseAnalysisSettings(data, stages, report),
    ...readHttpVersion(data),
  };
  return { profile, issues };
}

/**
 * An http(s) URL without trailing slashes (paths are appended to it), or '' after a report.
 * An override (--base-url) is checked by the caller, as a flag.
 */
function normaliseBaseUrl(data: Record<string, unknown>, override: string | undefined, report: Report): string {
  if (override !== undefined) return override.replace(/\/+$/, '');
  const hint = 'set `baseUrl` in the profile, or pass --base-url';
  const value = data['baseUrl'];
  if (!('baseUrl' in data)) {
    report([], '`baseUrl` is missing', hint);
    return '';
  }
  if (value === null || value === '') {
    report(['baseUrl'], 'is empty', hint);
    return '';
  }
  if (typeof value !== 'string') return ''; // the schema reports the type
  const problem = httpUrlProblem(value);
  if (problem) {
    report(['baseUrl'], problem.message, problem.hint);
    return '';
  }
  return value.replace(/\/+$/, '');
}
