// `--target 'p95<200ms'`: one extra target row from the command line, in k6's threshold
// syntax (pure). An optional `group:` prefix scopes it to a request, step or flow:
//
//   p95<200ms   p(95)<200   p99.9<1s   max<2s   mean<50ms (avg too)   errorRate<1%   rps>=500
//   login:p99<500ms   cpu<60%   memory<1.5GB (the service monitor's; need `monitor` or --demo)
//
// A latency without a unit is in ms, as in k6. Latencies and error rates must stay below
// (`<`, or `<=`); throughput must be reached (`>=`, or `>`).
import { usageError } from '../errors.js';
import { readDuration } from './duration.js';
import { readCpuLimit, readErrorRate, readMemoryLimit } from './normalise-targets.js';
import type { TargetMetric, TargetRow } from './types.js';

const EXPRESSION = /^\s*(?:([^:<>=\s][^:<>=]*?)\s*:)?\s*([A-Za-z_]+(?:\(\d+(?:\.\d+)?\))?|p\d+(?:\.\d+)?)\s*(<=|<|>=|>)\s*(\S.*?)\s*$/;
const hint = "write e.g. --target 'p95<200ms', 'errorRate<1%', 'rps>=500' or 'login:p99<500ms'";

function metricOf(name: string): TargetMetric | null {
  const k6 = /^p\((\d+(?:\.\d+)?)\)$/.exec(name);
  if (k6) return `p${k6[1]}`;
  if (/^p\d+(\.\d+)?$/.test(name)) return name as TargetMetric;
  if (name === 'avg' || name === 'mean') return 'mean';
  if (name === 'max') return 'max';
  if (name === 'errorRate' || name === 'rate') return 'errorRate';
  if (name === 'rps') return 'rps';
  if (name === 'cpu' || name === 'memory') return name;
  return null;
}

export function parseTargetExpression(text: string): TargetRow {
  const match = EXPRESSION.exec(text);
  if (!match) throw usageError(`--target "${text}": not a target expression`, hint);
  const [, group, rawMetric = '', op = '', rawValue = ''] = match;
  const metric = metricOf(rawMetric);
  if (!metric) throw usageError(`--target "${text}": unknown metric "${rawMetric}"`, 'use p50, p95, p99, p99.9, max, mean, errorRate, rps, cpu or memory');
  const percentile = /^p(\d+(?:\.\d+)?)$/.exec(metric);
  if (percentile && (Number(percentile[1]) <= 0 || Number(percentile[1]) >= 100)) throw usageError(`--target "${text}": percentile ${metric} is out of range`, 'use max for the slowest request');
  const atLeast = op === '>=' || op === '>';
  if (metric === 'rps' ? !atLeast : atLeast) {
    throw usageError(`--target "${text}": ${metric} ${metric === 'rps' ? 'must be reached: write rps>=N' : `must stay below: write ${metric}<limit`}`, hint);
  }
  let limit: number;
  if (metric === 'rps') {
    limit = Number(rawValue);
    if (!Number.isFinite(limit) || limit <= 0) throw usageError(`--target "${text}": "${rawValue}" is not a number of requests per second`, hint);
  } else {
    const read =
      metric === 'errorRate' ? readErrorRate(rawValue) : metric === 'cpu' ? readCpuLimit(rawValue) : metric === 'memory' ? readMemoryLimit(rawValue) : readDuration(/^\d+(\.\d+)?$/.test(rawValue) ? `${rawValue}ms` : rawValue, 'ms');
    if (!read.ok) throw usageError(`--target "${text}": ${read.message}`, read.hint ?? hint);
    limit = read.value;
  }
  return {
    name: text.trim(),
    requests: group !== undefined ? [group.trim()] : null,
    phase: null,
    checks: [{ metric, limit }],
    abortOnFail: false,
  };
}
