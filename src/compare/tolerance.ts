// The tolerance of a comparison (SPEC §7): how much worse a metric may get before it can be a
// regression, and `--tolerance` parsed into it.
import { usageError } from '../errors.js';

export interface Tolerance {
  /** relative increase of a latency percentile, 0.10 = 10% */
  latency: number;
  /** relative decrease of rps, 0.10 = 10% */
  throughput: number;
  /** absolute increase of the error rate, 0.01 = 1 percentage point */
  errorRate: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { latency: 0.1, throughput: 0.1, errorRate: 0.01 };

export function resolveTolerance(partial: Partial<Tolerance> = {}): Tolerance {
  return {
    latency: partial.latency ?? DEFAULT_TOLERANCE.latency,
    throughput: partial.throughput ?? DEFAULT_TOLERANCE.throughput,
    errorRate: partial.errorRate ?? DEFAULT_TOLERANCE.errorRate,
  };
}

const TOLERANCE_KEYS: Record<string, keyof Tolerance> = {
  latency: 'latency',
  throughput: 'throughput',
  rps: 'throughput',
  errorrate: 'errorRate',
  errors: 'errorRate',
};

function parsePercentText(text: string, what: string): number {
  const match = /^(\d+(?:\.\d+)?|\.\d+)\s*(%|pp)?$/.exec(text.trim());
  if (!match) throw usageError(`tolerance ${what}"${text}" is not a percentage`, 'write e.g. "10%"');
  if (match[2] === undefined) throw usageError(`tolerance ${what}"${text}" has no unit`, `write "${text.trim()}%"`);
  return Number(match[1]) / 100;
}

/**
 * `--tolerance 10%` (latency and throughput), or
 * `latency=5%,throughput=10%,errorRate=0.5%` (errorRate in percentage points; `pp` also accepted).
 */
export function parseTolerance(text: string): Partial<Tolerance> {
  const trimmed = text.trim();
  if (trimmed === '') throw usageError('--tolerance is empty', 'write e.g. "10%" or "latency=5%,errorRate=0.5%"');
  if (!trimmed.includes('=')) {
    const value = parsePercentText(trimmed, '');
    return { latency: value, throughput: value };
  }
  const tolerance: Partial<Tolerance> = {};
  for (const part of trimmed.split(',')) {
    const [rawKey, rawValue, ...rest] = part.split('=');
    const key = TOLERANCE_KEYS[(rawKey ?? '').trim().toLowerCase().replace(/[-_]/g, '')];
    if (key === undefined || rawValue === undefined || rest.length > 0) {
      throw usageError(`tolerance "${part.trim()}" is not one of latency=, throughput=, errorRate=`, 'write e.g. "latency=5%,throughput=10%,errorRate=0.5%"');
    }
    tolerance[key] = parsePercentText(rawValue, `${key} `);
  }
  return tolerance;
}

