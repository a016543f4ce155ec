// `--start-at <ISO-8601 | +30s>`: the load starts at one wall-clock instant, so shards on
// several machines (or pods) run their slices of the plan together.
import { readDuration } from '../config/duration.js';
import { usageError } from '../errors.js';
import type { Io } from '../io.js';

/** Further ahead than this is a typo, not a plan (a pod would sit idle for a day). */
export const MAX_START_AHEAD_MS = 24 * 3600_000;
/** The engine is started this long before the instant, so connections are open at t = 0. */
export const ENGINE_LEAD_MS = 500;
/** With worker threads, longer: each loads its own modules before it can start (~0.2 s, more on a busy machine). */
export const WORKERS_LEAD_MS = 2500;

export interface StartAt {
  /** the instant, ms since the epoch */
  epochMs: number;
  /** as the user wrote it, recorded in the result */
  requested: string;
}

/**
 * `+30s` (from now) or an ISO-8601 time with a zone (`2026-12-01T10:30:00Z`, `…+01:00`); a
 * time without a zone would mean a different instant on machines in different time zones.
 */
export function parseStartAt(text: string, nowEpochMs: number): StartAt {
  const trimmed = text.trim();
  let epochMs: number;
  if (trimmed.startsWith('+')) {
    const read = readDuration(trimmed.slice(1));
    if (!read.ok) throw usageError(`--start-at: ${read.message}`, read.hint ?? 'e.g. --start-at +30s');
    epochMs = nowEpochMs + read.value;
  } else {
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i.test(trimmed)) {
      throw usageError(
        `--start-at must be an ISO-8601 time with a zone or +<duration>, got "${text}"`,
        'e.g. --start-at 2026-12-01T10:30:00Z or --start-at +30s',
      );
    }
    epochMs = Date.parse(trimmed);
    if (!Number.isFinite(epochMs)) throw usageError(`--start-at "${text}" is not a valid time`);
  }
  if (epochMs <= nowEpochMs) {
    throw usageError(
      `--start-at ${new Date(epochMs).toISOString()} is in the past (now ${new Date(nowEpochMs).toISOString()}); nothing was sent`,
      'a shard started after the others would not run with them: start all shards again with a later time',
    );
  }
  if (epochMs - nowEpochMs > MAX_START_AHEAD_MS) {
    throw usageError(`--start-at ${new Date(epochMs).toISOString()} is more than 24h ahead`, 'check the date and the zone');
  }
  return { epochMs, requested: trimmed };
}

/** `starts in 2.4s (at 10:30:03.000Z)` — the banner line and the live countdown. */
export function describeCountdown(startEpochMs: number, nowEpochMs: number): string {
  const leftMs = Math.max(0, startEpochMs - nowEpochMs);
  const left = leftMs >= 60_000 ? `${Math.floor(leftMs / 60_000)}m${String(Math.floor((leftMs % 60_000) / 1000)).padStart(2, '0')}s` : `${(leftMs / 1000).toFixed(1)}s`;
  return `starts in ${left} (at ${new Date(startEpochMs).toISOString()})`;
}

/**
 * Waits until `leadMs` before the instant, counting down on the live line (a TTY: every
 * 250 ms; a log: every 10 s). Resolves false if interrupted while waiting.
 */
export async function waitForStart(startEpochMs: number, io: Io, showProgress: boolean, leadMs = ENGINE_LEAD_MS): Promise<boolean> {
  let interrupted = false;
  let wake: (() => void) | undefined;
  const removeHandler = io.onInterrupt(() => {
    interrupted = true;
    wake?.();
  });
  let lastPlain = Number.POSITIVE_INFINITY;
  try {
    for (;;) {
      const leftMs = startEpochMs - leadMs - Date.now();
      if (interrupted || leftMs <= 0) break;
      if (showProgress && io.isTTY) io.out(`\r\x1b[2K${describeCountdown(startEpochMs, Date.now())}`);
      else if (showProgress && lastPlain - leftMs >= 10_000) {
        lastPlain = leftMs;
        io.out(`${describeCountdown(startEpochMs, Date.now())}\n`);
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, Math.min(leftMs, io.isTTY ? 250 : 1000));
      });
    }
  } finally {
    removeHandler();
    if (showProgress && io.isTTY) io.out('\r\x1b[2K');
  }
  return !interrupted;
}
