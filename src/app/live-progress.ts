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
    if (this.io.isTTY) {
      this.io.out(`\r\x1b[2K${this.fitted(snapshot)}`);
      this.lineOpen = true;
    } else if (snapshot.elapsedMs - this.lastPlainMs >= PLAIN_EVERY_MS - 500) {
      this.lastPlainMs = snapshot.elapsedMs;
      this.io.out(`${renderProgressLine(snapshot, { color: this.io.color })}\n`);
    }
  }

  /**
   * The line cut to the terminal's width: a line that wrapped would leave its first row behind
   * at every redraw (`\r` and erase-line reach only the last row).
   */
  private fitted(snapshot: ProgressSnapshot): string {
    const width = Math.max(20, (this.io.columns?.() ?? 80) - 1);
    const line = renderProgressLine(snapshot, { color: this.io.color });
    if (visibleLength(line) <= width) return line;
    const plain = renderProgressLine(snapshot, { color: false });
    return `${plain.slice(0, width - 1)}…`;
  }

  /** Clears the live line so what follows starts on a clean line. */
  end(): void {
    if (this.lineOpen) this.io.out('\r\x1b[2K');
    this.lineOpen = false;
  }
}

const visibleLength = (text: string): number => text.replace(/\x1b\[[0-9;]*m/g, '').length;
