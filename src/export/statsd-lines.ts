// StatsD lines with DogStatsD tags (`name:value|type|#tag:value,...`) for one second: counters
// are that second's increments, gauges the current values, and each group's latency
// percentiles of the second as gauges in ms. Percentiles are not sent as `|ms` timings: a
// StatsD server would take them for single requests and compute percentiles of percentiles.
import type { LiveSnapshot } from './live-view.js';

/** Tag values may not hold the separators of the line format. */
export function tagValue(value: string): string {
  return value.replace(/[|,#\n\r]/g, '_');
}

export interface StatsdCounts {
  /** group -> status -> count, and group -> kind -> count, as last sent */
  requests: Map<string, number>;
  errors: Map<string, number>;
}

export function emptyCounts(): StatsdCounts {
  return { requests: new Map(), errors: new Map() };
}

/**
 * The lines of one snapshot; `sent` holds the counters as last sent and is updated, so each
 * counter line is the increment since then (a lost datagram loses its increments only).
 */
export function statsdLines(snapshot: LiveSnapshot, sent: StatsdCounts, prefix = 'perfctl.', commonTags: readonly string[] = []): string[] {
  const lines: string[] = [];
  const tags = (...more: string[]): string => {
    const all = [...commonTags, ...more];
    return all.length === 0 ? '' : `|#${all.join(',')}`;
  };
  const counter = (map: Map<string, number>, key: string, total: number, name: string, tagList: string[]): void => {
    const delta = total - (map.get(key) ?? 0);
    map.set(key, total);
    if (delta > 0) lines.push(`${prefix}${name}:${delta}|c${tags(...tagList)}`);
  };
  for (const g of snapshot.groups) {
    const group = `group:${tagValue(g.name)}`;
    let answered = 0;
    for (const [status, n] of Object.entries(g.statusCodes)) {
      answered += n;
      counter(sent.requests, `${g.name}\u0000${status}`, n, 'requests', [group, `status:${status}`]);
    }
    counter(sent.requests, `${g.name}\u00000`, g.requests - answered, 'requests', [group, 'status:0']);
    for (const [kind, n] of Object.entries(g.errorKinds)) counter(sent.errors, `${g.name}\u0000${kind}`, n, 'errors', [group, `kind:${tagValue(kind)}`]);
    if (g.second.requests > 0) {
      for (const p of ['p50', 'p95', 'p99'] as const) lines.push(`${prefix}latency.${p}_ms:${g.second[p]}|g${tags(group)}`);
    }
  }
  lines.push(`${prefix}in_flight:${snapshot.inFlight}|g${tags()}`);
  lines.push(`${prefix}planned_rate:${snapshot.point.planned ?? snapshot.point.level}|g${tags()}`);
  lines.push(`${prefix}achieved_rate:${snapshot.point.rps}|g${tags()}`);
  if (snapshot.service?.cpuPercent !== undefined) lines.push(`${prefix}service.cpu_percent:${round2(snapshot.service.cpuPercent)}|g${tags()}`);
  if (snapshot.service?.memoryMB !== undefined) lines.push(`${prefix}service.memory_bytes:${Math.round(snapshot.service.memoryMB * 1024 * 1024)}|g${tags()}`);
  return lines;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Lines packed into datagrams of at most `maxBytes` (1432: one Ethernet frame, as DogStatsD's clients do). */
export function packDatagrams(lines: readonly string[], maxBytes = 1432): string[] {
  const datagrams: string[] = [];
  let current = '';
  for (const line of lines) {
    const next = current === '' ? line : `${current}\n${line}`;
    if (Buffer.byteLength(next) > maxBytes && current !== '') {
      datagrams.push(current);
      current = line;
    } else current = next;
  }
  if (current !== '') datagrams.push(current);
  return datagrams;
}
