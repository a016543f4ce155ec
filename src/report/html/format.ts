// Number, date and duration formatting for the HTML report. Deterministic (no locale):
// the same result always renders to the same bytes. Latencies, rates and throughputs go through
// the one number formatter (src/judge/numbers.ts), as in every other report.
import * as numbers from '../../judge/numbers.js';

/** A dash for a missing value. */
export const MISSING = '—';

function group(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Fixed decimals with thousands separators: 12345.678, 1 -> "12,345.7". */
export function formatNumber(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return MISSING;
  const fixed = Math.abs(value).toFixed(decimals);
  const [intPart = '0', frac] = fixed.split('.');
  const sign = value < 0 && Number(fixed) !== 0 ? '-' : '';
  return sign + group(intPart) + (frac === undefined ? '' : `.${frac}`);
}

export function formatCount(n: number): string {
  return formatNumber(Math.round(n), 0);
}

/** A latency in ms without its unit (for table cells whose header carries it): the one formatter's. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return MISSING;
  return numbers.formatMs(ms);
}

export function formatMsWithUnit(ms: number | null | undefined): string {
  const s = formatMs(ms);
  return s === MISSING ? s : `${s} ms`;
}

export function formatRps(rps: number | null | undefined): string {
  if (rps === null || rps === undefined || !Number.isFinite(rps)) return MISSING;
  return numbers.formatRps(rps);
}

/** A ratio (0.0123) as a percentage ("1.23%"), as everywhere; `decimals` for a tolerance written as "10%". */
export function formatPercent(ratio: number | null | undefined, decimals?: number): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return MISSING;
  if (decimals !== undefined) return `${formatNumber(ratio * 100, decimals)}%`;
  return numbers.formatPercent(ratio);
}

/** A signed relative change (0.123 -> "+12.3 %"). */
export function formatChangePercent(change: number): string {
  if (!Number.isFinite(change)) return MISSING;
  const s = formatNumber(change * 100, 1);
  return change > 0 && s !== '0.0' ? `+${s} %` : `${s === '-0.0' ? '0.0' : s} %`;
}

/** A signed change in percentage points, from a ratio difference (0.005 -> "+0.50 pp"). */
export function formatChangePoints(change: number): string {
  if (!Number.isFinite(change)) return MISSING;
  const s = formatNumber(change * 100, 2);
  return change > 0 && s !== '0.00' ? `+${s} pp` : `${s === '-0.00' ? '0.00' : s} pp`;
}

/** 3723000 -> "1h 02m 03s"; 45000 -> "45s"; 1500 -> "1.5s"; 250 -> "250ms". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return MISSING;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 10_000 && ms % 1000 !== 0) return `${(ms / 1000).toFixed(1)}s`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (h > 0) return `${h}h ${pad(m)}m ${pad(s)}s`;
  if (m > 0) return `${m}m ${pad(s)}s`;
  return `${s}s`;
}

/** An ISO-8601 instant as "2026-01-01 12:00:00 UTC"; anything unparsable is shown as given. */
export function formatDate(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Elapsed time as a clock: 0 -> "0:00", 65000 -> "1:05", 3723000 -> "1:02:03". */
export function formatClock(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return MISSING;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}
