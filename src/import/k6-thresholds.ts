// k6 thresholds in perfctl's terms: `http_req_duration{name:login}: ['p(95)<200']` -> a target row
// for the request named login with p95: 200ms (k6's grammar: metrics/thresholds_parser.go).

export type TargetMetric = `p${string}` | 'mean' | 'max' | 'errorRate' | 'rps';

export interface ThresholdKey {
  metric: string;
  tags: Record<string, string>;
}

/** `http_req_duration{name:login,method:GET}` -> the metric and its tags */
export function parseThresholdKey(key: string): ThresholdKey {
  const match = /^\s*([\w.-]+)\s*(?:\{(.*)\})?\s*$/.exec(key);
  if (!match) return { metric: key, tags: {} };
  const tags: Record<string, string> = {};
  for (const part of (match[2] ?? '').split(',')) {
    const at = part.indexOf(':');
    if (at > 0) tags[part.slice(0, at).trim()] = part.slice(at + 1).trim().replace(/^['"]|['"]$/g, '');
  }
  return { metric: match[1] ?? key, tags };
}

export type ThresholdRead = { ok: true; metric: TargetMetric; limit: number; note?: string } | { ok: false; advice: string };

const aggregation = /^\s*(p\(\s*(\d+(?:\.\d+)?)\s*\)|avg|med|max|min|rate|count|value)\s*(<=|<|>=|>|==|===|!=)\s*(-?\d+(?:\.\d+)?)\s*$/;

/** one threshold expression of a metric: `p(95)<200`, `rate<0.01`, `rate>0.99` */
export function readThreshold(metric: string, expression: string): ThresholdRead {
  const match = aggregation.exec(expression);
  if (!match) return { ok: false, advice: `"${expression}" is not a k6 threshold expression perfctl reads (p(N)<ms, avg<ms, med<ms, max<ms, rate<x)` };
  const [, what = '', percentile, operator = '', valueText = '0'] = match;
  const value = Number(valueText);
  const below = operator === '<' || operator === '<=';
  const above = operator === '>' || operator === '>=';
  const inclusive = operator === '<=' || operator === '>=' ? ' (perfctl limits are strict: "<")' : '';

  if (metric === 'http_req_duration' || metric === 'http_req_waiting') {
    if (!below) return { ok: false, advice: `a latency must stay below its limit in perfctl: "${expression}" is not converted` };
    const note = `${metric === 'http_req_waiting' ? 'perfctl measures to the last byte (http_req_duration), not to the first' : ''}${inclusive}`.trim() || undefined;
    if (percentile !== undefined) return { ok: true, metric: `p${Number(percentile)}`, limit: value, ...(note ? { note } : {}) };
    if (what === 'avg') return { ok: true, metric: 'mean', limit: value, ...(note ? { note } : {}) };
    if (what === 'med') return { ok: true, metric: 'p50', limit: value, ...(note ? { note } : {}) };
    if (what === 'max') return { ok: true, metric: 'max', limit: value, ...(note ? { note } : {}) };
    return { ok: false, advice: `perfctl has no ${what} latency target` };
  }
  if (metric === 'http_req_failed') {
    if (what !== 'rate' || !below) return { ok: false, advice: 'perfctl reads http_req_failed as rate<x (the error rate)' };
    return { ok: true, metric: 'errorRate', limit: value, ...(inclusive ? { note: inclusive.trim() } : {}) };
  }
  if (metric === 'checks') {
    if (what !== 'rate' || !above) return { ok: false, advice: 'perfctl reads checks as rate>x' };
    return { ok: true, metric: 'errorRate', limit: Math.round((1 - value) * 1e9) / 1e9, note: 'a failed check is a failed request (expect) in perfctl: the share of passed checks becomes an error rate of the requests with expectations' };
  }
  if (metric === 'http_reqs') {
    if (what !== 'rate' || !above) return { ok: false, advice: 'perfctl reads http_reqs as rate>x (requests per second)' };
    return { ok: true, metric: 'rps', limit: value };
  }
  return { ok: false, advice: `perfctl has no ${metric} metric (it judges http_req_duration, http_req_failed, http_reqs and checks)` };
}
