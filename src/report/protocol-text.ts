// What the reports say about protocols beyond HTTP/1.1, read from the groups' counters: the HTTP
// version each group used, WebSocket messages sent and received (and close codes), SSE events.
import type { StatsBlock } from '../result/types.js';

export interface ProtocolRow {
  group: string;
  /** `h2`, `http/1.1`, `ws`, `sse`, or several joined with "+" */
  protocol: string;
  /** WebSocket messages sent and received, SSE events; null where not counted */
  sent: number | null;
  received: number | null;
  /** close codes and counts, e.g. "1011×3" */
  closes: string;
}

/** the HTTP versions a group's requests used, by share: `h2`, `http/1.1`, `h2+http/1.1` */
export function groupProtocol(counters: Record<string, number>): string | null {
  const versions = Object.entries(counters)
    .filter(([key]) => key.startsWith('protocol.'))
    .sort((a, b) => b[1] - a[1])
    .map(([key]) => key.slice('protocol.'.length));
  return versions.length > 0 ? versions.join('+') : null;
}

/** one row per group with protocol counters, in the groups' order */
export function protocolRows(groups: Record<string, StatsBlock>): ProtocolRow[] {
  const rows: ProtocolRow[] = [];
  for (const [group, stats] of Object.entries(groups)) {
    const counters = stats.counters;
    if (!counters) continue;
    const closes = Object.entries(counters)
      .filter(([key]) => key.startsWith('ws.close.'))
      .map(([key, n]) => `${key.slice('ws.close.'.length)}×${n}`)
      .join(', ');
    if ('ws.sent' in counters || 'ws.received' in counters) {
      rows.push({ group, protocol: 'ws', sent: counters['ws.sent'] ?? 0, received: counters['ws.received'] ?? 0, closes });
    } else if ('sse.events' in counters) {
      rows.push({ group, protocol: 'sse', sent: null, received: counters['sse.events'] ?? 0, closes });
    } else {
      const protocol = groupProtocol(counters);
      if (protocol) rows.push({ group, protocol, sent: null, received: null, closes });
    }
  }
  return rows;
}
