// Target table rows -> TargetRow with its checks in the order written. With the profile's request
// and stage names known, also checks that each row refers to something that exists.

import type { InputIssue } from '../errors.js';
import { didYouMeanHint } from './did-you-mean.js';
import { readDuration } from './duration.js';
import type { Read } from './duration.js';
import { isGlob, matchesGlob } from './glob.js';
import { isRecord } from './read-values.js';
import { readPercentLimit } from './normalise-analysis.js';
import type { LatencyMetric, TargetCheckSpec, TargetRow } from './types.js';
import { issueAt } from './yaml-source.js';
import type { FieldPath, YamlSource } from './yaml-source.js';

export interface KnownNames {
  requestNames: readonly string[];
  stageNames: readonly string[];
  /** a profile with `scenarios`: each one's names (a row's `scenario` and `phase` refer to them) */
  scenarios?: ReadonlyArray<{ name: string; requestNames: readonly string[]; stageNames: readonly string[] }>;
  /** the service is monitored (`monitor:`, or --demo): resource rows need it */
  monitored?: boolean;
  /** the stages make a staircase: `breakingPoint` needs one */
  staircase?: boolean;
}

export interface TargetsContext {
  source: YamlSource;
  /** where the rows are in the file: `['targets']` in both a profile and a target table */
  basePath: FieldPath;
  /** the profile's names; absent when a target table is validated on its own */
  known?: KnownNames;
  /** the table's own `confidence:` (a row may set its own) */
  confidence?: unknown;
}

/** `confidence: off` (or false): judged on the values alone; `on` (or true, the default): with the 95% bounds. */
export function readConfidence(value: unknown): Read<boolean> {
  if (value === undefined || value === true || value === 'on') return { ok: true, value: true };
  if (value === false || value === 'off') return { ok: true, value: false };
  return { ok: false, message: `confidence ${JSON.stringify(value)} is neither on nor off`, hint: 'write `confidence: off` to judge on the values alone, as k6 does' };
}

const percentileKey = /^p(\d+(?:\.\d+)?)$/;
const checkHint = 'add a limit such as `p95: 200ms`, `errorRate: 1%`, `rps: 100`, `recovery: 5m` or `drift: 2%`';
const CHECK_KEYS = ['max', 'mean', 'errorRate', 'rps', 'recovery', 'drift', 'memoryGrowth', 'cpu', 'memory', 'breakingPoint'];
const RESOURCE_KEYS = ['memoryGrowth', 'cpu', 'memory'];
const monitorHint = 'add `monitor: { pid: 1234 }` (or `monitor: { url: ... }`) to the profile, or run it with --demo (the demo process is monitored)';

export function normaliseTargetRows(raw: unknown, context: TargetsContext): { rows: TargetRow[]; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  const report = (path: FieldPath, message: string, hint?: string, at: 'key' | 'value' = 'value'): void => {
    issues.push(issueAt(context.source, path, message, hint, at));
  };
  const rows: TargetRow[] = [];
  const names = new Map<string, number>();

  (Array.isArray(raw) ? raw : []).forEach((item: unknown, index) => {
    if (!isRecord(item)) return;
    const path = [...context.basePath, index];
    const name = typeof item['name'] === 'string' ? item['name'] : `row ${index + 1}`;
    if (typeof item['name'] === 'string') {
      const first = names.get(name);
      if (first !== undefined) report([...path, 'name'], `row name "${name}" is already used by ${[...context.basePath, first].join('.')}`, 'reports list rows by name: give each its own');
      else names.set(name, index);
    }

    const checks: TargetCheckSpec[] = [];
    const takeOne = (at: FieldPath, read: Read<number>, metric: TargetCheckSpec['metric'], severity?: 'warn' | 'fail'): void => {
      if (read.ok) checks.push({ metric, limit: read.value, ...(severity ? { severity } : {}) });
      else report(at, read.message, read.hint);
    };
    // a limit, or `{ warn: X, fail: Y }` (either or both): one check per severity
    const takeLimit = (key: string, value: unknown, readValue: (v: unknown) => Read<number>, metric: TargetCheckSpec['metric']): void => {
      if (!isRecord(value)) return takeOne([...path, key], readValue(value), metric);
      const levels = Object.keys(value);
      const unknown = levels.find((level) => level !== 'warn' && level !== 'fail');
      // an unknown key is the schema's to report (with a did-you-mean)
      if (unknown !== undefined) return;
      if (levels.length === 0) return report([...path, key], 'no limit given', 'write a limit, or `{ warn: 1000ms, fail: 2000ms }`');
      if (value['warn'] !== undefined) takeOne([...path, key, 'warn'], readValue(value['warn']), metric, 'warn');
      if (value['fail'] !== undefined) takeOne([...path, key, 'fail'], readValue(value['fail']), metric, 'fail');
    };
    // object keys keep the order written (none of these keys looks like an array index)
    for (const [key, value] of Object.entries(item)) {
      const percentile = percentileKey.exec(key);
      if (percentile) {
        const rank = Number(percentile[1]);
        if (rank <= 0 || rank >= 100) {
          report([...path, key], `percentile ${key} is out of range`, rank >= 100 ? 'use `max` for the slowest request' : 'a percentile is between p0 and p100, e.g. p50', 'key');
        } else {
          takeLimit(key, value, (v) => readDuration(v, 'ms'), key as LatencyMetric);
        }
      } else if (key === 'max' || key === 'mean') {
        takeLimit(key, value, (v) => readDuration(v, 'ms'), key);
      } else if (key === 'errorRate') {
        takeLimit(key, value, readErrorRate, 'errorRate');
      } else if (key === 'rps') {
        takeLimit(key, value, readRps, 'rps');
      } else if (key === 'recovery') {
        takeLimit(key, value, (v) => readDuration(v, 's'), 'recovery');
      } else if (key === 'drift' || key === 'memoryGrowth') {
        takeLimit(key, value, readPercentLimit, key);
      } else if (key === 'cpu') {
        takeLimit(key, value, readCpuLimit, 'cpu');
      } else if (key === 'memory') {
        takeLimit(key, value, readMemoryLimit, 'memory');
      } else if (key === 'breakingPoint') {
        const read = readBreakingPoint(value);
        if (read.ok) checks.push({ metric: 'breakingPoint', limit: read.value });
        else report([...path, key], read.message, read.hint);
      }
      if (context.known?.monitored === false && RESOURCE_KEYS.includes(key)) {
        report([...path, key], `${key} is read from the service monitor, and this profile has no \`monitor\``, monitorHint, 'key');
      }
      if (context.known?.staircase === false && key === 'breakingPoint') {
        report([...path, key], 'breakingPoint needs a staircase: at least 3 steady stages, each at a higher level than the one before', 'e.g. `staircase: { rate: 100, to: 500, step: 100, hold: 2m }`', 'key');
      }
    }
    const hasCheckKeys = Object.keys(item).some((key) => percentileKey.test(key) || CHECK_KEYS.includes(key));
    if (!hasCheckKeys) report(path, typeof item['name'] === 'string' ? `row "${name}" has no checks` : 'the row has no checks', checkHint);

    const requests = readPatterns(item['requests']);
    const phase = typeof item['phase'] === 'string' && item['phase'] !== '' ? item['phase'] : null;
    let scenario = typeof item['scenario'] === 'string' && item['scenario'] !== '' ? item['scenario'] : undefined;
    if (context.known) {
      const scoped = scenarioScope(scenario, phase, path, context.known, report);
      scenario = scoped.scenario;
      if (scoped.known) checkReferences(requests, phase, path, Array.isArray(item['requests']), scoped.known, report);
    }
    const confidence = readConfidence(item['confidence'] ?? context.confidence);
    if (!confidence.ok) report(item['confidence'] !== undefined ? [...path, 'confidence'] : ['confidence'], confidence.message, confidence.hint);
    rows.push({ name, requests, phase, ...(scenario !== undefined ? { scenario } : {}), checks, abortOnFail: item['abortOnFail'] === true, ...(confidence.ok && !confidence.value ? { confidence: false as const } : {}) });
  });
  return { rows, issues };
}

function readPatterns(value: unknown): string[] | null {
  if (typeof value === 'string' && value !== '') return [value];
  if (Array.isArray(value)) {
    const patterns = value.filter((pattern): pattern is string => typeof pattern === 'string' && pattern !== '');
    return patterns.length > 0 ? patterns : null;
  }
  return null;
}

/**
 * The names a row is checked against: its scenario's (a `phase` alone names the one scenario
 * that has that stage), the whole profile's, or none when the row's scenario does not exist.
 */
function scenarioScope(
  scenario: string | undefined,
  phase: string | null,
  path: FieldPath,
  known: KnownNames,
  report: (path: FieldPath, message: string, hint?: string) => void,
): { scenario: string | undefined; known: KnownNames | undefined } {
  const scenarios = known.scenarios;
  if (scenarios === undefined) {
    if (scenario !== undefined) report([...path, 'scenario'], `the profile has no scenarios: there is no "${scenario}"`, 'drop `scenario`, or give the profile `scenarios:`');
    return { scenario: undefined, known: scenario === undefined ? known : undefined };
  }
  if (scenario !== undefined) {
    const found = scenarios.find((s) => s.name === scenario);
    if (!found) {
      report([...path, 'scenario'], `no scenario is named "${scenario}"`, didYouMeanHint(scenario, scenarios.map((s) => s.name), '"'));
      return { scenario, known: undefined };
    }
    return { scenario, known: found };
  }
  if (phase === null) return { scenario: undefined, known };
  const having = scenarios.filter((s) => s.stageNames.includes(phase));
  if (having.length === 1) return { scenario: having[0]!.name, known: having[0]! };
  if (having.length > 1) {
    report([...path, 'phase'], `stage "${phase}" is in scenarios ${having.map((s) => s.name).join(', ')}`, 'say which with `scenario:`');
    return { scenario: undefined, known: undefined };
  }
  report([...path, 'phase'], `no scenario has a stage named "${phase}"`, didYouMeanHint(phase, [...new Set(scenarios.flatMap((s) => s.stageNames))], '"'));
  return { scenario: undefined, known: undefined };
}

function checkReferences(
  requests: string[] | null,
  phase: string | null,
  path: FieldPath,
  requestsIsList: boolean,
  known: KnownNames,
  report: (path: FieldPath, message: string, hint?: string) => void,
): void {
  (requests ?? []).forEach((pattern, index) => {
    if (known.requestNames.some((name) => matchesGlob(name, pattern))) return;
    const at = requestsIsList ? [...path, 'requests', index] : [...path, 'requests'];
    const message = isGlob(pattern) ? `no request name matches "${pattern}"` : `no request is named "${pattern}"`;
    report(at, message, didYouMeanHint(pattern, known.requestNames, '"'));
  });
  if (phase !== null && !known.stageNames.includes(phase)) {
    report([...path, 'phase'], `no stage is named "${phase}"`, didYouMeanHint(phase, known.stageNames, '"'));
  }
}

/** `60%` (of one core; `150%` is one and a half cores) or a share such as 0.6 -> 0.6 */
export function readCpuLimit(value: unknown): Read<number> {
  if (typeof value === 'number' && value > 0 && value <= 1) return { ok: true, value };
  const percent = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value) : null;
  if (percent && Number(percent[1]) > 0) return { ok: true, value: Number(percent[1]) / 100 };
  return { ok: false, message: `${JSON.stringify(value)} is not a CPU share`, hint: 'write a percentage of one core, e.g. `cpu: 60%` (`150%` is one and a half cores)' };
}

const MEMORY_UNITS: Record<string, number> = { b: 1 / (1024 * 1024), kb: 1 / 1024, kib: 1 / 1024, mb: 1, mib: 1, gb: 1024, gib: 1024 };

/** `1.5GB`, `512MB` -> MB (binary units, as the monitor reads resident memory: 1 GB = 1024 MB) */
export function readMemoryLimit(value: unknown): Read<number> {
  const match = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*$/.exec(value) : null;
  const factor = match ? MEMORY_UNITS[match[2]!.toLowerCase()] : undefined;
  if (match && factor !== undefined && Number(match[1]) > 0) return { ok: true, value: Number(match[1]) * factor };
  const hint = 'write a size with its unit, e.g. `memory: 512MB` or `memory: 1.5GB`';
  const bare = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? value.trim() : undefined;
  if (bare !== undefined) return { ok: false, message: `memory ${bare} has no unit`, hint: `write "${bare}MB" or "${bare}GB"` };
  return { ok: false, message: `${JSON.stringify(value)} is not a memory size`, hint };
}

/** `{ atLeast: 400 }` -> 400 (a staircase level: requests/s or users) */
function readBreakingPoint(value: unknown): Read<number> {
  const hint = 'write `breakingPoint: { atLeast: 400 }`: no step below 400 may break';
  if (!isRecord(value) || !('atLeast' in value)) return { ok: false, message: 'must be `{ atLeast: N }`', hint };
  const level = value['atLeast'];
  if (typeof level === 'number' && level > 0) return { ok: true, value: level };
  return { ok: false, message: `atLeast ${JSON.stringify(level)} is not a level above 0`, hint };
}

/** requests per second: a positive number */
function readRps(value: unknown): Read<number> {
  if (typeof value === 'number' && value > 0) return { ok: true, value };
  return { ok: false, message: 'must be a number of requests per second above 0', hint: 'write e.g. `rps: 500`' };
}

/** `1%` or a ratio 0..1 -> a ratio */
export function readErrorRate(value: unknown): Read<number> {
  const hint = 'write a percentage such as "1%", or a ratio between 0 and 1 such as 0.01';
  if (typeof value === 'string') {
    const percent = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value);
    if (percent) {
      const amount = Number(percent[1]);
      if (amount > 100) return { ok: false, message: `error rate "${value}" is more than 100%` };
      return { ok: true, value: amount / 100 };
    }
    if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return readErrorRate(Number(value));
    return { ok: false, message: `"${value}" is not an error rate`, hint };
  }
  if (typeof value === 'number') {
    if (value < 0) return { ok: false, message: `error rate ${value} is negative`, hint };
    if (value > 1) return { ok: false, message: `error rate ${value} is more than 1`, hint: `write "${value}%" for a percentage, or a ratio between 0 and 1` };
    return { ok: true, value };
  }
  return { ok: false, message: 'must be an error rate', hint };
}
