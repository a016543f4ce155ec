// Marks of the `analysis` block on the time charts: where the spike ended and where the
// service was back within tolerance (vertical lines), and the stress step that broke first
// (outlined, hatched). Built from svg.ts parts, so every text is escaped.
import type { Result } from '../../result/types.js';
import { formatDuration } from '../format.js';
import { el, FONT, text, title, type Scale } from './svg.js';

export const MARK_COLORS = { spikeEnd: '#8250df', recovered: '#1a7f37', notRecovered: '#cf222e', broken: '#cf222e' } as const;

function marker(x: number, top: number, bottom: number, color: string, label: string, detail: string, anchor: 'start' | 'end', cls: string): string {
  return el('g', { class: `mark ${cls}` }, [
    el('line', { x1: x, x2: x, y1: top, y2: bottom, stroke: color, 'stroke-width': 2, 'stroke-dasharray': '6 3' }, title(detail)),
    text(anchor === 'start' ? x + 4 : x - 4, top + 14, label, { 'text-anchor': anchor, fill: color, 'font-size': FONT.stage, 'font-weight': 700, class: 'mark-label' }),
  ]);
}

/** The spike's end, the recovery point and the breaking step, between `top` and `bottom` of a time chart (x in seconds). */
export function analysisMarks(result: Result, x: Scale, top: number, bottom: number): string {
  const a = result.analysis;
  if (!a) return '';
  const parts: string[] = [];
  const bp = a.breakingPoint;
  if (bp?.firstBroken) {
    const phase = result.phases.find((p) => p.name === bp.firstBroken!.phase);
    if (phase) {
      const x0 = x(Math.max(x.d0, phase.startMs / 1000));
      const x1 = x(Math.min(x.d1, Math.min(phase.endMs, result.durationMs) / 1000));
      if (x1 - x0 > 0.5) {
        const why = bp.firstBroken.failed.map((f) => `${f.row} ${f.message}`).join('; ');
        parts.push(
          el('g', { class: 'mark breaking-step' }, [
            el('rect', { x: x0, y: top, width: x1 - x0, height: bottom - top, fill: MARK_COLORS.broken, 'fill-opacity': 0.08, stroke: MARK_COLORS.broken, 'stroke-width': 2 }, title(`breaking point: ${phase.name} — ${why}`)),
            text((x0 + x1) / 2, bottom - 6, 'breaking point', { 'text-anchor': 'middle', fill: MARK_COLORS.broken, 'font-size': FONT.stage, 'font-weight': 700, class: 'mark-label' }),
          ]),
        );
      }
    }
  }
  const r = a.recovery;
  if (r && r.note === undefined) {
    const endS = r.spikeEndMs / 1000;
    if (endS > x.d0 && endS < x.d1) {
      parts.push(marker(x(endS), top, bottom, MARK_COLORS.spikeEnd, 'spike ended', `${r.spikePhase} ended at ${formatDuration(r.spikeEndMs)}`, 'end', 'spike-end'));
    }
    if (r.recovered && r.recoveredAtMs !== null && r.recoveryMs !== null) {
      const atS = r.recoveredAtMs / 1000;
      if (atS >= x.d0 && atS <= x.d1) {
        parts.push(
          marker(x(atS), top, bottom, MARK_COLORS.recovered, `recovered (+${formatDuration(r.recoveryMs)})`, `back within tolerance ${formatDuration(r.recoveryMs)} after the spike`, 'start', 'recovered'),
        );
      }
    } else if (!r.recovered && endS < x.d1) {
      parts.push(text(x(endS) + 4, top + 30, 'not recovered', { fill: MARK_COLORS.notRecovered, 'font-size': FONT.stage, 'font-weight': 700, class: 'mark-label' }));
    }
  }
  return parts.length === 0 ? '' : el('g', { class: 'analysis-marks' }, parts);
}
