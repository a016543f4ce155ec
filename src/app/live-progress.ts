// The live line while a run goes: rewritten once a second on a TTY, a plain line every
// 10 s otherwise (CI logs), nothing with --quiet or --no-progress.
import { renderProgressLine, type ProgressSnapshot } from '../report/terminal.js';
import type { Io } from '../io.js';

const PLAIN_EVERY_MS = 10_000;

export class LiveProgress {
  private lastPlainMs = 0;
  private lineOpen = false;

  constructor(
    private readonly io: Io,
    private readonly enabled: boolean,
  ) {}

  update(snapshot: ProgressSnapshot): void {
    if (!this.enabled) return;
    const line = renderProgressLine(snapshot, { color: this.io.color });
    if (this.io.isTTY) {
      this.io.out(`\r\x1b[2K${line}`);
      this.lineOpen = true;
    } else if (snapshot.elapsedMs - this.lastPlainMs >= PLAIN_EVERY_MS - 500) {
      this.lastPlainMs = snapshot.elapsedMs;
      this.io.out(`${line}\n`);
    }
  }

  /** Clears the live line so what follows starts on a clean line. */
  end(): void {
    if (this.lineOpen) this.io.out('\r\x1b[2K');
    this.lineOpen = false;
  }
}
