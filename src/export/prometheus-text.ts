// The Prometheus text exposition format (version 0.0.4) of a live snapshot. Written by hand:
// it is a few lines of `name{labels} value`, and perfctl already holds every number aggregated
// (HDR histograms, counts by group), so a client library's registry and its per-observation
// instruments would only copy them again each scrape.
import { LATENCY_BUCKETS_SECONDS, type LiveSnapshot } from './live-view.js';

export interface RunInfo {
  profile: string;
  label?: string;
  /** "i/n" when sharded */
  shard?: string;
}

/** Label values: backslash, double quote and line feed escaped, as the format requires. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(pairs: Record<string, string>): string {
  const parts = Object.entries(pairs).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

/** Go's strconv formatting that Prometheus reads: integers plain, +Inf/-Inf/NaN spelled out. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

export function renderPrometheus(snapshot: LiveSnapshot | undefined, info: RunInfo): string {
  const out: string[] = [];
  const family = (name: string, type: 'counter' | 'gauge' | 'histogram', help: string): void => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  };
  const sample = (name: string, pairs: Record<string, string>, value: number): void => {
    out.push(`${name}${labels(pairs)} ${formatValue(value)}`);
  };

  family('perfctl_run_info', 'gauge', 'The run being exported (always 1).');
  sample('perfctl_run_info', { profile: info.profile, label: info.label ?? '', shard: info.shard ?? '' }, 1);
  family('perfctl_running', 'gauge', '1 while the load runs, 0 once it has ended.');
  sample('perfctl_running', {}, snapshot && !snapshot.final ? 1 : 0);
  if (!snapshot) return `${out.join('\n')}\n`;

  family('perfctl_elapsed_seconds', 'gauge', 'Time since the start of the load.');
  sample('perfctl_elapsed_seconds', {}, snapshot.elapsedMs / 1000);

  family('perfctl_requests_total', 'counter', 'Requests that were due, by request group and HTTP status ("0": no response).');
  for (const group of snapshot.groups) {
    let answered = 0;
    for (const [status, n] of Object.entries(group.statusCodes)) {
      answered += n;
      sample('perfctl_requests_total', { group: group.name, status }, n);
    }
    if (group.requests > answered) sample('perfctl_requests_total', { group: group.name, status: '0' }, group.requests - answered);
  }

  family('perfctl_errors_total', 'counter', 'Failed requests by request group and kind (status, timeout, ECONNREFUSED, dropped, ...).');
  for (const group of snapshot.groups) {
    for (const [kind, n] of Object.entries(group.errorKinds)) sample('perfctl_errors_total', { group: group.name, kind }, n);
  }

  family('perfctl_in_flight', 'gauge', 'Requests (or flow iterations) in flight at the end of the last second.');
  sample('perfctl_in_flight', {}, snapshot.inFlight);
  family('perfctl_planned_rate', 'gauge', 'Requests per second the schedule planned in the last second (open model; the user count in the closed model).');
  sample('perfctl_planned_rate', {}, snapshot.point.planned ?? snapshot.point.level);
  family('perfctl_planned_level', 'gauge', "The plan's level at the end of the last second: requests/s (open model) or users (closed).");
  sample('perfctl_planned_level', {}, snapshot.point.level);
  family('perfctl_achieved_rate', 'gauge', 'Requests completed in the last second.');
  sample('perfctl_achieved_rate', {}, snapshot.point.rps);

  family('perfctl_latency_seconds', 'histogram', 'Latency from the moment a request was due to its last byte, by request group.');
  for (const group of snapshot.groups) {
    LATENCY_BUCKETS_SECONDS.forEach((le, i) => sample('perfctl_latency_seconds_bucket', { group: group.name, le: String(le) }, group.latency.buckets[i] ?? 0));
    sample('perfctl_latency_seconds_bucket', { group: group.name, le: '+Inf' }, group.latency.count);
    sample('perfctl_latency_seconds_sum', { group: group.name }, group.latency.sumSeconds);
    sample('perfctl_latency_seconds_count', { group: group.name }, group.latency.count);
  }

  const service = snapshot.service;
  if (service?.cpuPercent !== undefined) {
    family('perfctl_service_cpu_percent', 'gauge', "The service's CPU use at the monitor's last sample, % of one core.");
    sample('perfctl_service_cpu_percent', {}, service.cpuPercent);
  }
  if (service?.memoryMB !== undefined) {
    family('perfctl_service_memory_bytes', 'gauge', "The service's resident memory at the monitor's last sample.");
    sample('perfctl_service_memory_bytes', {}, Math.round(service.memoryMB * 1024 * 1024));
  }
  return `${out.join('\n')}\n`;
}
