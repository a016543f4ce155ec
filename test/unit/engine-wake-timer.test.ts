import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WakeTimer } from '../../src/engine/wake-timer.js';

describe('WakeTimer: the open model re-arms one timer before every start', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs the action once after the delay, like setTimeout (0 and fractions as Node truncates them)', () => {
    for (const [delayMs, firesAtMs] of [
      [0, 1],
      [0.4, 1],
      [1.9, 1],
      [5, 5],
      [7.8, 7],
    ] as const) {
      const timer = new WakeTimer();
      const action = vi.fn();
      timer.set(action, delayMs);
      vi.advanceTimersByTime(firesAtMs - 1);
      expect(action, `${delayMs} ms: not before ${firesAtMs} ms`).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(action, `${delayMs} ms: at ${firesAtMs} ms`).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(100);
      expect(action).toHaveBeenCalledTimes(1);
      expect(timer.armed).toBe(false);
    }
  });

  it('moves the same Timeout on when the delay repeats: one timer pending, the later action at the later time', () => {
    const timer = new WakeTimer();
    const first = vi.fn();
    const second = vi.fn();
    timer.set(first, 4);
    vi.advanceTimersByTime(3);
    timer.set(second, 4);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(3);
    expect(first).not.toHaveBeenCalled();
    expect(second).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(second).toHaveBeenCalledTimes(1);
    expect(first).not.toHaveBeenCalled();
  });

  it('replaces the Timeout when the delay changes, leaving one pending', () => {
    const timer = new WakeTimer();
    const long = vi.fn();
    const short = vi.fn();
    timer.set(long, 10);
    timer.set(short, 2);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(2);
    expect(short).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(20);
    expect(long).not.toHaveBeenCalled();
  });

  it('re-arms after it has fired (refresh of a spent Timeout)', () => {
    const timer = new WakeTimer();
    const action = vi.fn();
    timer.set(action, 3);
    vi.advanceTimersByTime(3);
    timer.set(action, 3);
    expect(timer.armed).toBe(true);
    vi.advanceTimersByTime(3);
    expect(action).toHaveBeenCalledTimes(2);
  });

  it('cancel disarms: the firing does nothing, and a later set runs its own action', () => {
    const timer = new WakeTimer();
    const cancelled = vi.fn();
    const later = vi.fn();
    timer.set(cancelled, 2);
    timer.cancel();
    expect(timer.armed).toBe(false);
    vi.advanceTimersByTime(5);
    expect(cancelled).not.toHaveBeenCalled();
    timer.set(later, 2);
    vi.advanceTimersByTime(2);
    expect(later).toHaveBeenCalledTimes(1);
    expect(cancelled).not.toHaveBeenCalled();
  });

  it('close leaves nothing pending, so nothing holds the event loop once the run is over', () => {
    const timer = new WakeTimer();
    const action = vi.fn();
    timer.set(action, 1000);
    timer.cancel();
    expect(vi.getTimerCount()).toBe(1);
    timer.close();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(2000);
    expect(action).not.toHaveBeenCalled();
  });
});
