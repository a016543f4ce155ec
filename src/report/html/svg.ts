// Small SVG building blocks for the report's charts: elements with escaped text and
// attributes, linear scales, nice round ticks, axes, legends, phase bands. No DOM, no JS.
import { escapeXml } from './escape-xml.js';
import { formatNumber } from './format.js';

const TRUSTED = Symbol('trusted-svg');

/**
 * SVG markup built only by this module's functions, where every text and attribute value
 * went through escapeXml. The handlebars adapter prints this, and only this, unescaped.
 */
export class TrustedSvg {
  readonly markup: string;
  constructor(token: typeof TRUSTED, markup: string) {
    if (token !== TRUSTED) throw new Error('TrustedSvg is built by svg.ts only');
    this.markup = markup;
  }
}

export type Attrs = Record<string, string | number | undefined>;

const num = (v: number): string => String(Math.round(v * 100) / 100);

function attrs(a: Attrs): string {
  let out = '';
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined) continue;
    out += ` ${k}="${escapeXml(typeof v === 'number' ? num(v) : v)}"`;
  }
  return out;
}

/** An element whose children are already-built markup (from el/text). */
export function el(name: string, a: Attrs, children: string[] | string = ''): string {
  const inner = Array.isArray(children) ? children.join('') : children;
  return inner === '' ? `<${name}${attrs(a)}/>` : `<${name}${attrs(a)}>${inner}</${name}>`;
}

/** A text element: the content is escaped here. */
export function text(x: number, y: number, content: string, a: Attrs = {}): string {
  return `<text${attrs({ x, y, ...a })}>${escapeXml(content)}</text>`;
}

/** A tooltip (shown on hover in browsers): escaped. */
export function title(content: string): string {
  return `<title>${escapeXml(content)}</title>`;
}

/** The root element (inline in HTML, so no xmlns); the only way to obtain a TrustedSvg. */
export function svgRoot(id: string, width: number, height: number, label: string, children: string[]): TrustedSvg {
  const markup = el(
    'svg',
    {
      id,
      class: 'chart',
      viewBox: `0 0 ${num(width)} ${num(height)}`,
      width,
      height,
      role: 'img',
      'aria-label': label,
      'font-size': FONT.tick,
    },
    [title(label), ...children],
  );
  return new TrustedSvg(TRUSTED, markup);
}

// ---------------------------------------------------------------- scales and ticks

export interface Scale {
  (value: number): number;
  readonly d0: number;
  readonly d1: number;
}

export function linearScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const span = d1 - d0 || 1;
  const f = (v: number): number => r0 + ((v - d0) / span) * (r1 - r0);
  return Object.assign(f, { d0, d1 });
}

export interface Ticks {
  min: number;
  max: number;
  step: number;
  values: number[];
}

/** 1, 2 or 5 times a power of ten, at least `rough`. */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const exp = Math.floor(Math.log10(rough));
  const base = 10 ** exp;
  const f = rough / base;
  const nf = f <= 1.000001 ? 1 : f <= 2.000001 ? 2 : f <= 5.000001 ? 5 : 10;
  return nf * base;
}

const decimalsOf = (step: number): number => Math.max(0, -Math.floor(Math.log10(step) + 1e-9));

function roundTo(v: number, decimals: number): number {
  return Number(v.toFixed(Math.min(12, decimals + 2)));
}

/**
 * Round ticks covering [min, max] with about `target` intervals; the axis is extended to
 * the enclosing ticks (so the top tick is at or above the data).
 */
export function niceTicks(min: number, max: number, target = 5, integer = false): Ticks {
  let lo = Number.isFinite(min) ? min : 0;
  let hi = Number.isFinite(max) ? max : 1;
  if (hi <= lo) hi = lo + (integer ? 1 : lo === 0 ? 1 : Math.abs(lo) * 0.1);
  let step = niceStep((hi - lo) / Math.max(1, target));
  if (integer) step = Math.max(1, step);
  const d = decimalsOf(step);
  lo = roundTo(Math.floor(lo / step + 1e-9) * step, d);
  hi = roundTo(Math.ceil(hi / step - 1e-9) * step, d);
  const values: number[] = [];
  for (let i = 0; ; i++) {
    const v = roundTo(lo + i * step, d);
    if (v > hi + step / 1000) break;
    values.push(v);
  }
  return { min: lo, max: hi, step, values };
}

/** Ticks at multiples of a nice step inside [0, max] (for a time axis that must end at max). */
export function innerTicks(max: number, target: number): Ticks {
  const step = niceStep(max / Math.max(1, target));
  const d = decimalsOf(step);
  const values: number[] = [];
  for (let i = 0; ; i++) {
    const v = roundTo(i * step, d);
    if (v > max + step / 1000) break;
    values.push(v);
  }
  return { min: 0, max, step, values };
}

/**
 * A tick label: "1,500", "0.25"; on an axis reaching 10,000 or more with steps of 1,000 or
 * more, every label in thousands ("5k", "10k") so that labels stay short and alike.
 */
export function tickLabel(value: number, step: number, axisMax = Math.abs(value)): string {
  if (step >= 1000 && axisMax >= 10_000) {
    return `${formatNumber(value / 1000, decimalsOf(step / 1000))}k`;
  }
  return formatNumber(value, decimalsOf(step));
}

/** Rough width of a label in px (no font metrics in a string builder; errs wide). */
export function textWidth(s: string, fontSize = 12): number {
  return s.length * fontSize * 0.6;
}

/** The text cut to fit `maxPx`, with an ellipsis; '' when not even two characters fit. */
export function fitText(s: string, maxPx: number, fontSize = 12): string {
  if (textWidth(s, fontSize) <= maxPx) return s;
  const chars = Math.floor(maxPx / (fontSize * 0.6)) - 1;
  return chars < 2 ? '' : `${s.slice(0, chars)}…`;
}

// ---------------------------------------------------------------- chart parts

/**
 * The charts' width in SVG units. Two sit side by side on a wide screen and on an A4 page
 * (about 92 mm each), so 640 units keep a 13-unit label at about 5 pt on paper.
 */
export const CHART_WIDTH = 640;

/** Font sizes in SVG units (the charts are CHART_WIDTH wide and scale to the page). */
export const FONT = { tick: 13, title: 13, legend: 13, stage: 12, note: 14 } as const;

export interface PlotArea {
  x: number;
  y: number;
  w: number;
  h: number;
}

export const COLORS = {
  axis: '#57606a',
  grid: '#e4e7eb',
  text: '#24292f',
  muted: '#57606a',
  /** stage shading, in turn: light blue, sand, green, lilac (visible on screen and on paper) */
  bands: ['#e6eef9', '#fbf1df', '#e5f3ea', '#efeaf8'],
  bandLine: '#8c99a6',
} as const;

/** Horizontal gridlines and the left (or right) value axis with its ticks and title. */
export function valueAxis(area: PlotArea, scale: Scale, ticks: Ticks, axisTitle: string, side: 'left' | 'right' = 'left', grid = true): string {
  const parts: string[] = [];
  const x = side === 'left' ? area.x : area.x + area.w;
  for (const v of ticks.values) {
    const y = scale(v);
    if (grid && side === 'left') parts.push(el('line', { x1: area.x, x2: area.x + area.w, y1: y, y2: y, stroke: COLORS.grid, 'stroke-width': 1 }));
    parts.push(el('line', { x1: x, x2: side === 'left' ? x - 4 : x + 4, y1: y, y2: y, stroke: COLORS.axis }));
    parts.push(
      text(side === 'left' ? x - 7 : x + 7, y + 4, tickLabel(v, ticks.step, ticks.max), {
        'text-anchor': side === 'left' ? 'end' : 'start',
        fill: COLORS.muted,
        'font-size': FONT.tick,
        class: 'tick',
      }),
    );
  }
  parts.push(el('line', { x1: x, x2: x, y1: area.y, y2: area.y + area.h, stroke: COLORS.axis }));
  const tx = side === 'left' ? x - 54 : x + 54;
  const ty = area.y + area.h / 2;
  parts.push(
    text(tx, ty, fitText(axisTitle, area.h, FONT.title), {
      transform: `rotate(${side === 'left' ? -90 : 90} ${num(tx)} ${num(ty)})`,
      'text-anchor': 'middle',
      fill: COLORS.text,
      'font-size': FONT.title,
      class: 'axis-title',
    }),
  );
  return parts.join('');
}

export interface XTick {
  value: number;
  label: string;
}

/** The bottom axis: baseline, ticks, labels (optional) and title (optional). */
export function bottomAxis(area: PlotArea, scale: Scale, ticks: XTick[], axisTitle: string | null, labels = true, grid = false): string {
  const parts: string[] = [];
  const y = area.y + area.h;
  parts.push(el('line', { x1: area.x, x2: area.x + area.w, y1: y, y2: y, stroke: COLORS.axis }));
  let lastRight = -Infinity;
  for (const t of ticks) {
    const x = scale(t.value);
    if (grid) parts.push(el('line', { x1: x, x2: x, y1: area.y, y2: y, stroke: COLORS.grid }));
    parts.push(el('line', { x1: x, x2: x, y1: y, y2: y + 4, stroke: COLORS.axis }));
    if (!labels) continue;
    const w = textWidth(t.label, FONT.tick);
    // never let two labels overlap: skip one that would touch the previous
    if (x - w / 2 < lastRight + 6) continue;
    lastRight = x + w / 2;
    parts.push(text(x, y + 18, t.label, { 'text-anchor': 'middle', fill: COLORS.muted, 'font-size': FONT.tick, class: 'tick' }));
  }
  if (axisTitle !== null) {
    parts.push(text(area.x + area.w / 2, y + 40, axisTitle, { 'text-anchor': 'middle', fill: COLORS.text, 'font-size': FONT.title, class: 'axis-title' }));
  }
  return parts.join('');
}

export interface LegendItem {
  label: string;
  color: string;
  kind: 'line' | 'dashed' | 'area' | 'band' | 'marker';
}

/** A small upward triangle at (x, y): a value drawn at the top edge because the axis was cut below it. */
export function clipMarker(x: number, y: number, color: string, tooltip?: string): string {
  const d = `M${num(x - 4)} ${num(y + 6)}L${num(x + 4)} ${num(y + 6)}L${num(x)} ${num(y - 1)}Z`;
  return el('path', { d, fill: color, class: 'clip-mark' }, tooltip === undefined ? '' : title(tooltip));
}

/**
 * Invisible columns over a time chart, one per plotted point, each with a <title>: the browser
 * shows the point's values on hover, with no script (the report's CSP allows none).
 */
export function hoverColumns(columns: Array<{ x0: number; x1: number; text: string }>, top: number, bottom: number): string {
  const parts = columns.map((c) =>
    el('rect', { x: c.x0, y: top, width: Math.max(0.5, c.x1 - c.x0), height: bottom - top, fill: '#000', 'fill-opacity': 0 }, title(c.text)),
  );
  return el('g', { class: 'hover' }, parts);
}

/** Invisible dots with a <title> over the points of a curve (hover shows the values). */
export function hoverDots(points: Array<{ x: number; y: number; text: string }>): string {
  return el(
    'g',
    { class: 'hover' },
    points.map((p) => el('circle', { cx: p.x, cy: p.y, r: 5, fill: '#000', 'fill-opacity': 0 }, title(p.text))),
  );
}

/** A one-row legend starting at (x, y); returns the markup. Items that do not fit are cut. */
export function legend(x: number, y: number, maxWidth: number, items: LegendItem[]): string {
  const parts: string[] = [];
  let cx = x;
  for (const item of items) {
    const room = x + maxWidth - cx - 26;
    const label = fitText(item.label, room, FONT.legend);
    if (label === '') break;
    const sy = y - 4;
    if (item.kind === 'marker') {
      parts.push(clipMarker(cx + 9, sy - 3, item.color));
    } else if (item.kind === 'area' || item.kind === 'band') {
      parts.push(
        el('rect', {
          x: cx,
          y: sy - 5,
          width: 18,
          height: 10,
          fill: item.color,
          'fill-opacity': item.kind === 'area' ? 0.35 : 1,
          stroke: item.kind === 'area' ? item.color : COLORS.bandLine,
          'stroke-width': 1,
        }),
      );
    } else {
      parts.push(
        el('line', {
          x1: cx,
          x2: cx + 18,
          y1: sy,
          y2: sy,
          stroke: item.color,
          'stroke-width': 2.5,
          'stroke-dasharray': item.kind === 'dashed' ? '5 3' : undefined,
        }),
      );
    }
    parts.push(text(cx + 24, y, label, { fill: COLORS.text, 'font-size': FONT.legend, class: 'legend' }));
    cx += 24 + textWidth(label, FONT.legend) + 22;
  }
  return el('g', { class: 'legend' }, parts);
}

export interface Band {
  name: string;
  start: number;
  end: number;
  /** tooltip text */
  detail: string;
}

/**
 * Shaded vertical bands (the stages) from `top` to `bottom`, with their names written in
 * a strip just above `top`, cut to fit so that no two names overlap.
 */
export function bands(scale: Scale, top: number, bottom: number, items: Band[]): string {
  const parts: string[] = [];
  items.forEach((b, i) => {
    const x0 = scale(Math.max(scale.d0, b.start));
    const x1 = scale(Math.min(scale.d1, b.end));
    if (!(x1 - x0 > 0.5)) return;
    const shade = el('rect', { x: x0, y: top, width: x1 - x0, height: bottom - top, fill: COLORS.bands[i % COLORS.bands.length] }, title(b.detail));
    parts.push(el('g', { class: 'stage' }, [shade]));
    if (i > 0) parts.push(el('line', { x1: x0, x2: x0, y1: top - 16, y2: bottom, stroke: COLORS.bandLine, 'stroke-dasharray': '3 3' }));
    const label = fitText(b.name, x1 - x0 - 8, FONT.stage);
    if (label !== '') {
      parts.push(text((x0 + x1) / 2, top - 5, label, { 'text-anchor': 'middle', fill: COLORS.muted, 'font-size': FONT.stage, class: 'stage-label' }));
    }
  });
  return el('g', { class: 'stages' }, parts);
}

/** A polyline path through the points; null breaks the line. Lone points become dots. */
export function seriesPath(points: Array<[number, number] | null>, color: string, opts: { width?: number; dashed?: boolean; cls?: string } = {}): string {
  const segments: Array<Array<[number, number]>> = [];
  let current: Array<[number, number]> = [];
  for (const p of points) {
    if (p === null) {
      if (current.length > 0) segments.push(current);
      current = [];
    } else current.push(p);
  }
  if (current.length > 0) segments.push(current);
  const parts: string[] = [];
  let d = '';
  for (const seg of segments) {
    if (seg.length === 1) {
      const [x, y] = seg[0]!;
      parts.push(el('circle', { cx: x, cy: y, r: 3, fill: color }));
      continue;
    }
    d += seg.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${num(x)} ${num(y)}`).join('');
  }
  if (d !== '') {
    parts.unshift(
      el('path', {
        d,
        fill: 'none',
        stroke: color,
        'stroke-width': opts.width ?? 2,
        'stroke-linejoin': 'round',
        'stroke-linecap': 'round',
        'stroke-dasharray': opts.dashed === true ? '6 4' : undefined,
      }),
    );
  }
  return el('g', { class: opts.cls ?? 'series' }, parts);
}

/** A filled step area: each [x0, x1, y] is a flat step from x0 to x1 at y, down to `baseY`. */
export function stepArea(steps: Array<[number, number, number]>, baseY: number, color: string): string {
  if (steps.length === 0) return '';
  let d = '';
  let prevX1: number | null = null;
  for (const [x0, x1, y] of steps) {
    if (prevX1 === null || Math.abs(x0 - prevX1) > 0.01) {
      if (prevX1 !== null) d += `L${num(prevX1)} ${num(baseY)}Z`;
      d += `M${num(x0)} ${num(baseY)}`;
    }
    d += `L${num(x0)} ${num(y)}L${num(x1)} ${num(y)}`;
    prevX1 = x1;
  }
  if (prevX1 !== null) d += `L${num(prevX1)} ${num(baseY)}Z`;
  return el('path', { d, fill: color, 'fill-opacity': 0.35, stroke: color, 'stroke-width': 1.2 });
}

/** A centred note in an empty plot area. */
export function emptyNote(area: PlotArea, message: string): string {
  return text(area.x + area.w / 2, area.y + area.h / 2, message, { 'text-anchor': 'middle', fill: COLORS.muted, 'font-size': FONT.note, 'font-style': 'italic', class: 'empty-note' });
}
