// The live line on a terminal is cut to its width, so a redraw never leaves a wrapped row behind.
import { describe, expect, it } from 'vitest';
import { LiveProgress } from '../../src/app/live-progress.js';
import type { Io } from '../../src/io.js';

const snapshot = { elapsedMs: 12_000, totalMs: 900_000, stage: 'a-rather-long-stage-name', level: 2000, model: 'open' as const, rps: 1987.4, p95Ms: 123.456, errors: 12, requests: 24_000 };
const strip = (text: string): string => text.replace(/\x1b\[[0-9;]*[mK]/g, '');

function terminal(columns: number | undefined, color = true): { io: Io; written: string[] } {
  const written: string[] = [];
  const io: Io = { out: (t) => void written.push(t), err: () => undefined, env: {}, cwd: '/', isTTY: true, color, columns: () => columns, onInterrupt: () => () => undefined };
  return { io, written };
}

/** The rows a terminal of `width` columns shows after these bytes: \r, erase-line (ESC[2K), wrapping at the edge. */
function screen(bytes: string, width: number): string[] {
  const rows: string[][] = [[]];
  let row = 0;
  let col = 0;
  for (let i = 0; i < bytes.length; i++) {
    const ch = bytes[i]!;
    if (ch === '\x1b') {
      const m = /^\x1b\[([0-9;]*)([A-Za-z])/.exec(bytes.slice(i))!;
      if (m[2] === 'K') rows[row] = m[1] === '2' ? [] : rows[row]!.slice(0, col);
      i += m[0].length - 1;
    } else if (ch === '\r') col = 0;
    else if (ch === '\n') {
      row++;
      col = 0;
      rows[row] ??= [];
    } else {
      if (col === width) {
        row++;
        col = 0;
        rows[row] ??= [];
      }
      rows[row]![col++] = ch;
    }
  }
  return rows.map((r) => Array.from(r, (c) => c ?? ' ').join('').trimEnd()).filter((r) => r !== '');
}

describe('live progress line', () => {
  it.each([40, 60, 80, 120])('in a %i-column terminal: one row, never wider than the terminal', (columns) => {
    const { io, written } = terminal(columns);
    new LiveProgress(io, true).update(snapshot);
    const shown = strip(written[0]!.replace(/^\r/, ''));
    expect(shown).not.toContain('\n');
    expect(shown.length).toBeLessThan(columns);
  });

  it('in a 60-column terminal, redraws leave one line and nothing stale (a tiny terminal replays the bytes)', () => {
    const { io, written } = terminal(60);
    const live = new LiveProgress(io, true);
    live.update(snapshot);
    live.update({ ...snapshot, stage: 'x', errors: 0, elapsedMs: 13_000 }); // a shorter line after a longer one
    live.update({ ...snapshot, elapsedMs: 14_000 });
    expect(screen(written.join(''), 60)).toEqual([strip(written[2]!).replace(/^\r/, '')]);
    live.end();
    expect(screen(written.join(''), 60)).toEqual([]);
  });

  it('a wide terminal gets the whole line, in colour', () => {
    const { io, written } = terminal(300);
    new LiveProgress(io, true).update(snapshot);
    expect(written[0]).toContain('\x1b[');
    expect(strip(written[0]!)).not.toContain('…');
  });

  it('without a known width, 80 columns', () => {
    const { io, written } = terminal(undefined, false);
    new LiveProgress(io, true).update(snapshot);
    expect(strip(written[0]!.replace(/^\r/, '')).length).toBeLessThan(80);
  });
});
