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

describe('live progress line', () => {
  it.each([40, 60, 80, 120])('in a %i-column terminal: one row, never wider than the terminal', (columns) => {
    const { io, written } = terminal(columns);
    new LiveProgress(io, true).update(snapshot);
    const shown = strip(written[0]!.replace(/^\r/, ''));
    expect(shown).not.toContain('\n');
    expect(shown.length).toBeLessThan(columns);
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
