// The profile keys and target limits of the run analyses (src/analysis/): `monitor`,
// `stopOnBreak`, and the `recovery`, `drift` and `memoryGrowth` limits of a target row.

import { findStaircase, stageWindows } from './stage-shape.js';
import { readDuration } from './duration.js';
import type { Read } from './duration.js';
import { has, httpUrlProblem, isRecord } from './read-values.js';
import type { Report } from './read-values.js';
import type { MonitorSpec, StageSpec } from './types.js';

/** Default time between two samples of the service's CPU and memory. */
export const DEFAULT_MONITOR_INTERVAL_MS = 2000;
const MIN_MONITOR_INTERVAL_MS = 1000;

export interface AnalysisSettings {
  monitor?: MonitorSpec;
  stopOnBreak?: boolean;
}

const monitorHint = 'write `monitor: { pid: 1234 }` (a local process) or `monitor: { url: http://127.0.0.1:9100/metrics }` (Prometheus text)';

/** `monitor` and `stopOnBreak`, with every problem reported; `stages` are the profile's, already read. */
export function normaliseAnalysisSettings(data: Record<string, unknown>, stages: StageSpec[], report: Report): AnalysisSettings {
  const settings: AnalysisSettings = {};
  if (has(data, 'monitor')) {
    const monitor = readMonitor(data['monitor'], report);
    if (monitor) settings.monitor = monitor;
  }
  if (data['stopOnBreak'] === true) {
    settings.stopOnBreak = true;
    if (stages.length > 0 && findStaircase(stageWindows(stages)).length === 0) {
      report(['stopOnBreak'], 'needs a staircase: at least 3 steady stages, each at a higher level than the one before', 'e.g. stages of `{ duration: 2m, from: 100, rate: 100 }`, then 200, then 300');
    }
  }
  return settings;
}

function readMonitor(value: unknown, report: Report): MonitorSpec | undefined {
  if (!isRecord(value)) return undefined; // the schema reports the type
  const hasPid = has(value, 'pid');
  const hasUrl = has(value, 'url');
  if (hasPid === hasUrl) {
    report(['monitor'], hasPid ? 'has both `pid` and `url`: give one' : 'needs `pid` or `url`', monitorHint);
    return undefined;
  }
  let intervalMs = DEFAULT_MONITOR_INTERVAL_MS;
  if (has(value, 'interval')) {
    const read = readDuration(value['interval']);
    if (!read.ok) report(['monitor', 'interval'], read.message, read.hint);
    else if (read.value < MIN_MONITOR_INTERVAL_MS) report(['monitor', 'interval'], `must be at least 1s`, 'a few seconds between samples is plenty, e.g. "5s"');
    else intervalMs = read.value;
  }
  if (hasPid) {
    const raw = value['pid'];
    const pid = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
    if (typeof pid !== 'number' || !Number.isInteger(pid) || pid < 1) {
      report(['monitor', 'pid'], `"${String(raw)}" is not a process id`, 'a positive whole number, e.g. the output of `pgrep -f my-service`');
      return undefined;
    }
    return { kind: 'pid', pid, intervalMs };
  }
  const url = value['url'];
  if (typeof url !== 'string') return undefined;
  const problem = httpUrlProblem(url);
  if (problem) {
    report(['monitor', 'url'], problem.message, problem.hint);
    return undefined;
  }
  return { kind: 'url', url, intervalMs };
}

/** `2%` or a ratio such as 0.02 -> 0.02 (a drift or a growth; more than 100% must be written as a percentage) */
export function readPercentLimit(value: unknown): Read<number> {
  const hint = 'write a percentage such as "2%", or a ratio such as 0.02';
  if (typeof value === 'string') {
    const percent = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value);
    if (percent) return { ok: true, value: Number(percent[1]) / 100 };
    if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return readPercentLimit(Number(value));
    return { ok: false, message: `"${value}" is not a percentage`, hint };
  }
  if (typeof value === 'number') {
    if (value < 0) return { ok: false, message: `${value} is negative`, hint };
    if (value > 1) return { ok: false, message: `${value} is more than 1`, hint: `write "${value}%" for a percentage, or a ratio such as 0.02` };
    return { ok: true, value };
  }
  return { ok: false, message: 'must be a percentage', hint };
}
