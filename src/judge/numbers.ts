// The one number formatter: every report (terminal, Markdown, JUnit, HTML) and every check
// message prints a latency, a rate or a throughput through these functions, so 23.456 ms is
// "23.5 ms" everywhere. A measured value is never shown rounded onto its limit: "0.0299%"
// against "0.03%", not "0.03% < 0.03%".

/** ms: a latency; ratio: shown as a percentage; rps: requests/s; MB: memory; level: a staircase level (requests/s or users) */
export type ValueUnit = 'ms' | 'ratio' | 'rps' | 'MB' | 'level';

const trimZeros = (text: string): string => (text.includes('.') ? text.replace(/\.?0+$/, '') : text);

/** Decimals for a latency: about four significant digits, never finer than 1 µs. */
function msDecimals(ms: number): number {
  const abs = Math.abs(ms);
  if (abs < 1) return 3;
  if (abs < 10) return 2;
  if (abs < 1000) return 1;
  return 0;
}

/** A latency in ms, without its unit: 0, 0.512, 4.27, 23.5, 234.1, 1234. */
export function formatMs(ms: number, extraDecimals = 0): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms === 0) return '0';
  return ms.toFixed(msDecimals(ms) + extraDecimals);
}

/** Requests per second, without a unit: 0, 4.50, 98.7, 1234. */
export function formatRps(rps: number, extraDecimals = 0): string {
  if (!Number.isFinite(rps)) return 'n/a';
  const abs = Math.abs(rps);
  if (abs === 0) return '0';
  return rps.toFixed((abs < 10 ? 2 : abs < 1000 ? 1 : 0) + extraDecimals);
}

/** A ratio as a percentage: 0%, 0.10%, 2.31%, 100.00%; under 0.01% two significant digits (0.0040%), never 0. */
export function formatPercent(ratio: number, extraDecimals = 0): string {
  if (!Number.isFinite(ratio)) return 'n/a';
  if (ratio === 0) return `${(0).toFixed(2 + extraDecimals)}%`;
  const percent = ratio * 100;
  if (Math.abs(percent) >= 0.01) return `${percent.toFixed(2 + extraDecimals)}%`;
  return `${percent.toPrecision(2 + extraDecimals)}%`;
}

/** A measured value with its unit: 23.5 ms, 0.10%, 498.2/s; n/a when nothing was measured. */
export function formatMeasured(unit: ValueUnit, value: number | null, extraDecimals = 0): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  switch (unit) {
    case 'ms':
      return `${formatMs(value, extraDecimals)} ms`;
    case 'ratio':
      return formatPercent(value, extraDecimals);
    case 'rps':
      return `${formatRps(value, extraDecimals)}/s`;
    case 'MB':
      return `${formatRps(value, extraDecimals)} MB`;
    case 'level':
      return trimZeros(value.toFixed(extraDecimals + 1));
  }
}

/** A limit as it was written, without needless zeros: 200 ms, 0.5 ms, 1%, 0.03%, 500/s. */
export function formatLimitValue(unit: ValueUnit, limit: number): string {
  switch (unit) {
    case 'ms':
      return `${trimZeros(limit.toFixed(3))} ms`;
    case 'ratio':
      return `${trimZeros((limit * 100).toFixed(6))}%`;
    case 'rps':
      return `${trimZeros(limit.toFixed(2))}/s`;
    case 'MB':
      return `${trimZeros(limit.toFixed(2))} MB`;
    case 'level':
      return trimZeros(limit.toFixed(2));
  }
}

/** The number a formatted value shows, in the value's own scale (a percentage back to a ratio). */
function shownNumber(unit: ValueUnit, text: string): number {
  const n = Number.parseFloat(text);
  return unit === 'ratio' ? n / 100 : n;
}

/**
 * A measured value next to its limit: as formatMeasured, with as many more decimals as it
 * takes (up to six) for a value that is not the limit not to show as the limit.
 */
export function formatAgainst(unit: ValueUnit, value: number | null, limit: number): string {
  if (value === null || !Number.isFinite(value) || value === limit) return formatMeasured(unit, value);
  for (let extra = 0; extra <= 6; extra++) {
    const text = formatMeasured(unit, value, extra);
    if (Math.abs(shownNumber(unit, text) - limit) > Math.abs(limit) * 1e-12) return text;
  }
  return formatMeasured(unit, value, 6);
}

/** A signed relative change: +12.3%, -4.0%. */
export function formatChange(change: number): string {
  if (!Number.isFinite(change)) return 'n/a';
  const pct = change * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

/** A count with thousands separators: 12,345. */
export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
