// Durations with units: `250ms`, `30s`, `2m`, `1h`, `1.5s`, `1m30s`. A bare number is an error
// whose hint says which unit to add.

import { usageError } from '../errors.js';
import type { ThinkTime } from './types.js';

/** The outcome of reading one value: the value, or a message (and a hint) saying what is wrong. */
export type Read<T> = { ok: true; value: T } | { ok: false; message: string; hint?: string };

export type DurationUnit = 'ms' | 's' | 'm' | 'h';

const unitMs: Record<DurationUnit, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
/** largest first: the order units must be written in (`1h30m`, not `30m1h`) */
const unitOrder: DurationUnit[] = ['h', 'm', 's', 'ms'];

/** common ways of writing a unit that perfctl does not accept, and the unit meant */
const unitAliases: Record<string, DurationUnit> = {
  msec: 'ms', msecs: 'ms', millis: 'ms', millisecond: 'ms', milliseconds: 'ms',
  sec: 's', secs: 's', second: 's', seconds: 's',
  min: 'm', mins: 'm', minute: 'm', minutes: 'm',
  hr: 'h', hrs: 'h', hour: 'h', hours: 'h',
};

const examples = 'write a number and a unit: 250ms, 30s, 2m, 1h, 1m30s';

/** rounds to the microsecond, so `1.1s` is 1100 and not 1100.0000000000002 */
function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/**
 * Reads a duration from a YAML value. `suggestUnit` is the unit proposed in the hint for a bare
 * number (`s` for stage lengths and timeouts, `ms` for latency targets).
 */
export function readDuration(value: unknown, suggestUnit: DurationUnit = 's'): Read<number> {
  if (typeof value === 'number') {
    return { ok: false, message: `duration "${value}" has no unit`, hint: `write "${value}${suggestUnit}"` };
  }
  if (typeof value !== 'string') {
    return { ok: false, message: 'must be a duration such as "30s"', hint: examples };
  }
  const text = value.replace(/\s+/g, '');
  if (text === '') return { ok: false, message: 'duration is empty', hint: examples };
  if (text.startsWith('-')) return { ok: false, message: `duration "${value}" is negative` };
  if (/^\d+(\.\d+)?$/.test(text)) {
    return { ok: false, message: `duration "${value}" has no unit`, hint: `write "${text}${suggestUnit}"` };
  }
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)([a-zµ]+)/gi)];
  const consumed = parts.map((part) => part[0]).join('');
  if (parts.length === 0 || consumed !== text) {
    return { ok: false, message: `"${value}" is not a duration`, hint: examples };
  }
  let totalMs = 0;
  let lastRank = -1;
  for (const part of parts) {
    const amount = Number(part[1]);
    const written = part[2] ?? '';
    const unit = written.toLowerCase() as DurationUnit;
    const rank = unitOrder.indexOf(unit);
    if (rank < 0 || written !== unit) {
      const meant = unitAliases[written.toLowerCase()] ?? (rank >= 0 ? unit : undefined);
      return {
        ok: false,
        message: `duration "${value}" has an unknown unit "${written}"`,
        hint: meant ? `write "${text.replace(written, meant)}"` : 'units are ms, s, m and h',
      };
    }
    if (rank <= lastRank) {
      return { ok: false, message: `duration "${value}" has its units out of order`, hint: 'write the largest unit first, e.g. "1m30s"' };
    }
    lastRank = rank;
    totalMs += amount * unitMs[unit];
  }
  return { ok: true, value: roundMs(totalMs) };
}

/** Parses a duration such as `30s` or `1m30s` into ms; throws a usage error (exit 2) with a hint. */
export function parseDuration(text: string): number {
  const read = readDuration(text);
  if (!read.ok) throw usageError(read.message, read.hint);
  return read.value;
}

/** 90000 -> `1m30s`, 1500 -> `1.5s`, 250 -> `250ms`, 0 -> `0s`; parseDuration reads it back. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1000) return `${roundMs(ms)}ms`;
  const hours = Math.floor(ms / unitMs.h);
  const minutes = Math.floor((ms % unitMs.h) / unitMs.m);
  const seconds = roundMs((ms % unitMs.m) / 1000);
  return `${hours ? `${hours}h` : ''}${minutes ? `${minutes}m` : ''}${seconds ? `${seconds}s` : ''}`;
}

/** `1s` (a fixed pause) or `500ms-1500ms` (uniform between the two); 0 means no pause. */
export function readThinkTime(value: unknown): Read<ThinkTime> {
  if (typeof value === 'string' && value.includes('-') && !value.trim().startsWith('-')) {
    const [minText = '', maxText = '', ...rest] = value.split('-');
    if (rest.length > 0) return { ok: false, message: `"${value}" is not a think time`, hint: 'write "1s" or a range "500ms-1500ms"' };
    const min = readDuration(minText);
    if (!min.ok) return min;
    const max = readDuration(maxText);
    if (!max.ok) return max;
    if (min.value > max.value) {
      return { ok: false, message: `think time range "${value}" runs backwards`, hint: `write "${maxText.trim()}-${minText.trim()}"` };
    }
    return { ok: true, value: { minMs: min.value, maxMs: max.value } };
  }
  const fixed = readDuration(value);
  if (!fixed.ok) return fixed;
  return { ok: true, value: { minMs: fixed.value, maxMs: fixed.value } };
}
