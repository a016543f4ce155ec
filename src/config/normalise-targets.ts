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
}

export interface TargetsContext {
  source: YamlSource;
  /** where the rows are in the file: `['targets']` in both a profile and a target table */
  basePath: FieldPath;
  /** the profile's names; absent when a target table is validated on its own */
  known?: KnownNames;
}

const percentileKey = /^p(\d+(?:\.\d+)?)$/;
const checkHint = 'add a limit such as `p95: 200ms`, `errorRate: 1%`, `rps: 100`, `recovery: 5m` or `drift: 2%`';

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
    const take = (key: string, read: Read<number>, metric: TargetCheckSpec['metric']): void => {
      if (read.ok) checks.push({ metric, limit: read.value });
      else report([...path, key], read.message, read.hint);
    };
    // object keys keep the order written (none of these keys looks like an array index)
    for (const [key, value] of Object.entries(item)) {
      const percentile = percentileKey.exec(key);
      if (percentile) {
        const rank = Number(percentile[1]);
        if (rank <= 0 || rank >= 100) {
          report([...path, key], `percentile ${key} is out of range`, rank >= 100 ? 'use `max` for the slowest request' : 'a percentile is between p0 and p100, e.g. p50', 'key');
        } else {
          take(key, readDuration(value, 'ms'), key as LatencyMetric);
        }
      } else if (key === 'max' || key === 'mean') {
        take(key, readDuration(value, 'ms'), key);
      } else if (key === 'errorRate') {
        take(key, readErrorRate(value), 'errorRate');
      } else if (key === 'rps' && typeof value === 'number' && value > 0) {
        checks.push({ metric: 'rps', limit: value });
      } else if (key === 'recovery') {
        take(key, readDuration(value, 's'), 'recovery');
      } else if (key === 'drift' || key === 'memoryGrowth') {
        take(key, readPercentLimit(value), key);
      }
    }
    const hasCheckKeys = Object.keys(item).some((key) => percentileKey.test(key) || ['max', 'mean', 'errorRate', 'rps', 'recovery', 'drift', 'memoryGrowth'].includes(key));
    if (!hasCheckKeys) report(path, typeof item['name'] === 'string' ? `row "${name}" has no checks` : 'the row has no checks', checkHint);

    const requests = readPatterns(item['requests']);
    const phase = typeof item['phase'] === 'string' && item['phase'] !== '' ? item['phase'] : null;
    if (context.known) {
      checkReferences(requests, phase, path, Array.isArray(item['requests']), context.known, report);
    }
    rows.push({ name, requests, phase, checks, abortOnFail: item['abortOnFail'] === true });
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
