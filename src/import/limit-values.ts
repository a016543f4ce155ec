// Limits as plans write them, read into numbers, and written back as perfctl values:
// `< 100ms`, `100ms`, `1.2s`, `2000` (ms), `<0.1%`, `> 100`, `1,000`, `1000+`, `500-1000ms`.

export type LimitKind = 'latency' | 'rate' | 'throughput';

export interface ReadLimit {
  value: number;
  /** `500-1000ms`: the value is the upper bound of a range */
  range: boolean;
  /** `2000` for a latency: a bare number taken as milliseconds */
  bareNumber: boolean;
}

const unitMs: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** Markdown emphasis, code and emoji around a cell's text */
export function plainCell(text: string): string {
  return text
    .replace(/\*\*|__|`/g, '')
    .replace(/[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The number in a limit cell, in ms for a latency, as a ratio for a rate (`1%` -> 0.01), per
 * second for a throughput; null when the cell holds no limit (`???`, `-`, `N/A`, text).
 */
export function readLimit(cell: string, kind: LimitKind): ReadLimit | null {
  const text = plainCell(cell).toLowerCase().replace(/(\d),(\d{3})/g, '$1$2');
  const match = /^(?:<=?|>=?|≤|≥|~|under|below|above|at least|at most)?\s*(\d+(?:\.\d+)?)\s*([a-zµ%/]*)(?:\s*[-–]\s*(\d+(?:\.\d+)?)\s*([a-zµ%/]*))?\s*\+?\s*(?:[a-z/ ]*)$/.exec(text);
  if (!match) return null;
  const range = match[3] !== undefined;
  const amount = Number(range ? match[3] : match[1]);
  const unit = (range ? match[4] || match[2] : match[2]) ?? '';
  if (kind === 'latency') {
    if (unit === '') return { value: amount, range, bareNumber: true };
    const factor = unitMs[unit];
    return factor === undefined ? null : { value: roundMicro(amount * factor), range, bareNumber: false };
  }
  if (kind === 'rate') {
    if (unit === '%') return { value: roundMicro(amount / 100), range, bareNumber: false };
    return unit === '' && amount <= 1 ? { value: amount, range, bareNumber: true } : null;
  }
  if (unit === '' || unit === 'rps' || unit === '/s' || unit === 'req/s' || unit === 'requests/s') return { value: amount, range, bareNumber: false };
  return null;
}

function roundMicro(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** ms as a perfctl duration: `150ms`, `2000ms`, `15s`, `2m` (the way plans write latency limits) */
export function formatLatency(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 10_000 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** ms as a perfctl stage or think duration: `2m`, `90s`, `1h`, `1m30s`, `250ms` */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const units: [string, number][] = [['h', 3_600_000], ['m', 60_000], ['s', 1000]];
  for (const [unit, size] of units) if (ms % size === 0) return `${ms / size}${unit}`;
  if (ms < 1000) return `${ms}ms`;
  if (ms % 100 === 0 && ms < 60_000) return `${ms / 1000}s`;
  const whole = Math.floor(ms / 1000);
  const rest = ms - whole * 1000;
  return `${formatDuration(whole * 1000)}${rest > 0 ? `${Math.round(rest)}ms` : ''}`;
}

/** a ratio as a percentage: 0.01 -> `1%`, 0.001 -> `0.1%` */
export function formatPercent(ratio: number): string {
  return `${Math.round(ratio * 100 * 1e6) / 1e6}%`;
}
