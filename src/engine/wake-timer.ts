// One Node timer that the open model re-arms before every start. At a steady rate every wait
// has the same length, so the same Timeout is moved forward with refresh(): no new Timeout, no
// async resource, no timer list created and torn down per request (a setTimeout/clearTimeout
// pair per request was ~3 µs of JavaScript and ~20 ms of optimising Node's timer internals at 500/s).

export class WakeTimer {
  private timeout: NodeJS.Timeout | undefined;
  /** the armed delay, in whole milliseconds as Node's timer lists keep it */
  private delayMs = -1;
  /** what the next firing runs; undefined when disarmed (a firing then does nothing) */
  private action: (() => void) | undefined;
  private readonly fire = (): void => {
    const action = this.action;
    this.action = undefined;
    action?.();
  };

  /** Runs `action` in `delayMs` (at least 1 ms, as with setTimeout), replacing anything armed. */
  set(action: () => void, delayMs: number): void {
    // Node truncates a delay to whole milliseconds and runs 0 as 1
    const ms = delayMs >= 1 ? Math.trunc(delayMs) : 1;
    this.action = action;
    if (this.timeout !== undefined && ms === this.delayMs) {
      this.timeout.refresh();
      return;
    }
    if (this.timeout !== undefined) clearTimeout(this.timeout);
    this.delayMs = ms;
    this.timeout = setTimeout(this.fire, ms);
  }

  /**
   * Disarms without clearing: the next set() usually follows within the same turn and moves the
   * same Timeout on. If none does, the timer fires once, does nothing, and is re-armed next time.
   */
  cancel(): void {
    this.action = undefined;
  }

  get armed(): boolean {
    return this.action !== undefined;
  }

  /** Clears the timer for good (the run is over): nothing keeps the event loop alive. */
  close(): void {
    this.action = undefined;
    if (this.timeout !== undefined) clearTimeout(this.timeout);
    this.timeout = undefined;
    this.delayMs = -1;
  }
}
