import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeXml } from '../../src/report/html/escape-xml.js';
import { formatChangePercent, formatCount, formatDuration, formatMs, formatPercent } from '../../src/report/html/format.js';
import { TEMPLATES_DIR } from '../../src/report/html/handlebars-templates.js';
import { renderHtml } from '../../src/report/html/render-html.js';
import { niceTicks, tickLabel } from '../../src/report/html/svg.js';
import { latencyAxisTop } from '../../src/report/html/charts.js';
import type { Result } from '../../src/result/types.js';
import { HOSTILE_DESCRIPTION, HOSTILE_REQUEST, hostileResult, spikeRun } from '../helpers/html-report-fixture.js';
import { makeResult, spread } from '../helpers/result-fixture.js';

/** handlebars escapes `=` too; the SVG's escapeXml leaves it (harmless in text) */
const HB_ESCAPED_REQUEST = '&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;';

function count(haystack: string, needle: string | RegExp): number {
  return haystack.split(needle).length - 1;
}

function svgBlocks(html: string): string[] {
  return html.match(/<svg\b[\s\S]*?<\/svg>/g) ?? [];
}

describe('renderHtml: one run', () => {
  const result = spikeRun();
  const html = renderHtml([result]);

  it('is one complete HTML document, templates resolved from the package root', () => {
    expect(existsSync(join(TEMPLATES_DIR, 'report.hbs'))).toBe(true);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('</html>');
    expect(html).toContain('<style>');
    expect(html).toContain('@media print');
  });

  it('shows the verdict in big, with its reason, the profile, date, duration and base URL', () => {
    expect(result.verdict).toBe('fail');
    expect(html).toMatch(/<div class="verdict fail"[\s\S]*?FAIL<\/div>/);
    expect(html).toContain(escapeXml(result.reason!));
    expect(html).toContain('<h1 class="run-title">spike</h1>');
    expect(html).toContain('2026-03-02 09:30:00 UTC');
    expect(html).toContain('2m 00s');
    expect(html).toContain('http://127.0.0.1:8080');
  });

  it('shows the totals as they are in the result', () => {
    const t = result.totals;
    expect(html).toContain(`<span class="figure-value">${formatCount(t.requests)}</span>`);
    expect(html).toContain(`<span class="figure-value">${formatMs(t.latencyMs.p95)}</span>`);
    expect(html).toContain(`<span class="figure-value">${formatMs(t.latencyMs.p99)}</span>`);
    expect(html).toContain(`<span class="figure-value">${formatPercent(t.errorRate)}</span>`);
  });

  it('lists every target check with its limit, actual value and result', () => {
    // the passed checks fold away under the failures (a second table in a <details>)
    const table = html.match(/<table class="checks[^"]*">[\s\S]*?<\/table>/g)!.join('');
    expect(count(table, '<tr class=')).toBe(result.targets.length);
    expect(html).toContain('<summary>The 4 passed checks</summary>');
    expect(count(table, '<span class="badge fail">fail</span>')).toBe(2);
    expect(count(table, '<span class="badge uncertain">uncertain</span>')).toBe(1);
    expect(table).toContain(`${formatMs(result.totals.latencyMs.p99)} ms`);
    expect(table).toContain('&lt; 300 ms');
    expect(table).toContain('≥ 300/s');
    expect(table).toContain('&lt; 1%');
  });

  it('draws three charts with labelled axes and units, the stages shaded and named', () => {
    const svgs = svgBlocks(html);
    expect(svgs.length).toBeGreaterThanOrEqual(3);
    const [throughput, latency, distribution] = svgs as [string, string, string];
    expect(throughput).toContain('>requests/s</text>');
    expect(throughput).toContain('errors/s');
    expect(throughput).toContain('elapsed time (s)');
    expect(throughput).toContain('planned rate (req/s)');
    expect(throughput).toMatch(/class="series level"><path[^>]*stroke-dasharray/);
    expect(latency).toContain('latency (ms)');
    for (const name of ['p50', 'p95', 'p99']) expect(latency).toContain(`class="series ${name}"`);
    for (const svg of [throughput, latency]) {
      expect(count(svg, '<g class="stage">')).toBe(3);
      for (const phase of ['baseline', 'spike', 'recovery']) expect(svg).toContain(`class="stage-label">${phase}</text>`);
    }
    expect(distribution).toContain('percentile (log scale)');
    for (const tick of ['0%', '90%', '99%', '99.9%']) expect(distribution).toContain(`>${tick}</text>`);
  });

  it('has round tick labels', () => {
    const ticks = [...svgBlocks(html)[0]!.matchAll(/class="tick">([^<]+)</g)].map((m) => m[1]);
    expect(ticks).toEqual(expect.arrayContaining(['0', '500', '1,000', '20', '40', '120']));
  });

  it('overlays the baseline curve when the comparison carries its histogram', () => {
    const distribution = svgBlocks(html)[2]!;
    expect(distribution).toContain('class="series baseline"');
    expect(distribution).toContain('baseline 2026-02-24');
    const without = structuredClone(result);
    delete (without.comparison as { baselineHistogram?: string }).baselineHistogram;
    const plain = renderHtml([without]);
    expect(svgBlocks(plain)[2]).not.toContain('class="series baseline"');
    expect(plain).toContain('The baseline carries no histogram');
  });

  it('has the per-request table with service time, the per-phase table and the comparison', () => {
    const requests = html.match(/<table class="stats requests">[\s\S]*?<\/table>/)![0];
    expect(requests).toContain('service p99 (ms)');
    for (const name of ['list-challenges', 'login', 'all requests']) expect(requests).toContain(`>${name}</td>`);
    expect(requests).toContain(`>${formatCount(result.groups['login']!.requests)}</td>`);
    const phases = html.match(/<table class="stats phases">[\s\S]*?<\/table>/)![0];
    expect(phases).toContain('0:40 – 1:20');
    expect(phases).toContain('1,000 req/s');
    // the regressions open, then every entry by scope in collapsed sections
    const open = html.match(/<table class="comparison regressions">[\s\S]*?<\/table>/)![0];
    const regressions = result.comparison!.regressions;
    expect(regressions).toBeGreaterThan(0);
    expect(count(open, '<tr class="regression">')).toBe(regressions);
    const sections = html.match(/<details class="scope">[\s\S]*?<\/details>/g)!;
    expect(sections.join('')).toContain(formatChangePercent(result.comparison!.entries[0]!.change));
    expect(count(sections.join(''), '<tr class="regression">')).toBe(regressions);
    expect(html).toContain(`${regressions} regressions against ${result.comparison!.baselineFile}.`);
  });

  it('shows the environment, the resolved profile and its hash', () => {
    expect(html).toContain('ci-runner-07');
    expect(html).toContain('3f9a2c1d7e');
    expect(html).toContain(result.profile.hash!);
    // compact: one line per small object, not pages of JSON
    const profile = html.match(/<pre class="profile">([\s\S]*?)<\/pre>/)![1]!;
    expect(profile).toMatch(/^name: spike\n/);
    expect(profile).toContain('\n  - {name: baseline, durationMs: 40000, fromLevel: 100, toLevel: 100}\n');
    expect(profile.split('\n').length).toBeLessThan(20);
    // collapsed on screen, an appendix after everything else
    expect(html).toMatch(/<details class="appendix"[^>]*>\s*<summary>/);
  });

  it('reads in the order a release manager needs: verdict, checks (failures first), regressions, charts, tables, appendix', () => {
    const at = (needle: string | RegExp): number => {
      const i = typeof needle === 'string' ? html.indexOf(needle) : html.search(needle);
      expect(i, String(needle)).toBeGreaterThan(-1);
      return i;
    };
    const order = [
      at('class="verdict fail"'),
      at('<table class="checks">'),
      at('<table class="comparison regressions">'),
      at('<svg'),
      at('<table class="stats requests">'),
      at('<table class="stats phases">'),
      at('<details class="appendix"'),
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const states = [...html.match(/<table class="checks[^"]*">[\s\S]*?<\/table>/g)!.join('').matchAll(/<tr class="(\w+)"/g)].map((m) => m[1]);
    expect(states).toEqual(['fail', 'fail', 'uncertain', 'pass', 'pass', 'pass', 'pass']);
  });

  it('never shows an entry the comparison could not judge as ok', () => {
    const r = structuredClone(result);
    r.comparison!.entries = [
      { scope: 'total', metric: 'p95', baseline: 10, current: 18.3, change: 0.83, regression: false, state: 'not-judged', note: 'not judged: too few samples per time block' },
      { scope: 'total', metric: 'p99', baseline: 10, current: 10.2, change: 0.02, regression: false, state: 'ok' },
    ];
    r.comparison!.regressions = 0;
    const out = renderHtml([r]);
    const row = out.match(/<tr>\s*<td class="name">total<\/td><td>p95<\/td>[\s\S]*?<\/tr>/)![0];
    expect(row).toContain('<span class="badge neutral">not judged</span>');
    expect(row).not.toMatch(/badge pass|>ok</);
    expect(out).toContain('<span class="badge pass">ok</span>');
  });

  it('leaves out what the result does not have', () => {
    const bare = makeResult({ model: 'closed', cells: [{ group: 'a', phase: 'main', latenciesMs: spread(50, 1, 9) }] });
    const out = renderHtml([bare]);
    expect(out).not.toContain('<table class="comparison">');
    expect(out).not.toContain('service p99');
    expect(out).not.toContain('<pre class="profile">');
    expect(out).toContain('No targets were set for this run: it was not judged.');
    expect(out).toContain('planned users (VUs)');
    bare.verdict = 'none';
    const none = renderHtml([bare]);
    expect(none).toContain('<div class="verdict none"');
    expect(none).toContain('No targets: nothing was judged.');
    expect(none).not.toMatch(/>PASS</);
  });
});

describe('renderHtml: edge cases render without error', () => {
  it('an empty run: no requests, no timeline', () => {
    const empty = makeResult({ cells: [] });
    empty.timeline = [];
    empty.status = 'interrupted';
    empty.verdict = 'inconclusive';
    const out = renderHtml([empty]);
    expect(svgBlocks(out)).toHaveLength(3);
    expect(out).toContain('no timeline recorded');
    expect(out).toContain('no latency recorded');
    expect(out).toContain('run interrupted');
    expect(out).toContain('INCONCLUSIVE');
    expect(out).not.toContain('NaN');
    expect(out).not.toContain('Infinity');
  });

  it('a single timeline point is drawn as a dot', () => {
    const one = makeResult({ durationMs: 1000, cells: [{ group: 'a', phase: 'main', latenciesMs: [3, 4, 5] }] });
    expect(one.timeline).toHaveLength(1);
    const out = renderHtml([one]);
    expect(svgBlocks(out)[1]).toMatch(/class="series p50"><circle/);
    expect(out).not.toContain('NaN');
  });

  it('an unreadable histogram does not break the report', () => {
    const r = makeResult({ cells: [{ group: 'a', phase: 'main', latenciesMs: [3, 4, 5] }] });
    r.histograms.total = 'not base64 at all';
    expect(renderHtml([r])).toContain('no latency recorded');
  });

  it('a long soak is binned, not drawn point by point', () => {
    const soak = makeResult({ durationMs: 4 * 3600_000, cells: [{ group: 'a', phase: 'main', latenciesMs: spread(1000, 1, 9) }] });
    const out = renderHtml([soak]);
    expect(out).toContain('elapsed time (h) (each point: 16 s)');
    expect(out.length).toBeLessThan(600_000);
  });

  it('rejects an empty list', () => {
    expect(() => renderHtml([])).toThrow(/at least one result/);
  });
});

describe('renderHtml: several runs make one sign-off document', () => {
  const pass = spikeRun({ profileName: 'normal', spikeMedianMs: 14, seed: 3, withComparison: false });
  pass.targets = pass.targets.filter((t) => t.insufficient !== true);
  const fail = spikeRun();

  it('puts the overall verdict and a summary of all runs on top, then one section per run', () => {
    const html = renderHtml([pass, fail]);
    const overall = html.match(/<section class="overall"[\s\S]*?<\/section>/)![0];
    expect(overall).toMatch(/<div class="verdict fail"/);
    expect(overall).toContain('1 of 2 runs failed: spike.');
    const rows = overall.match(/<tbody>[\s\S]*?<\/tbody>/)![0];
    expect(count(rows, '<tr class=')).toBe(2);
    expect(rows).toContain(formatMs(fail.totals.latencyMs.p99));
    expect(rows).toContain(formatMs(pass.totals.latencyMs.p95));
    expect(count(html, /<section class="run"/)).toBe(2);
    expect(html.indexOf('class="overall"')).toBeLessThan(html.indexOf('class="run"'));
    expect(html).toContain('Run 2 of 2');
  });

  it('tells two runs of one profile apart: label, meta, base URL, commit and start in the table of runs and in each header', () => {
    const a = spikeRun({ withComparison: false });
    const b = spikeRun({ withComparison: false, seed: 9 });
    a.run = { options: { label: 'rc-1' }, label: 'rc-1', meta: { build: '101' } };
    b.run = { options: { label: 'rc-2' }, label: 'rc-2', meta: { build: '102', branch: 'release/2.4' } };
    b.baseUrl = 'http://127.0.0.1:9090';
    b.environment.git = '0123456789abcdef0123';
    b.startedAt = '2026-03-02T10:45:00.000Z';
    const html = renderHtml([a, b]);
    const overall = html.match(/<section class="overall"[\s\S]*?<\/section>/)![0];
    const [rowA, rowB] = overall.match(/<tbody>[\s\S]*?<\/tbody>/)![0].match(/<tr[\s\S]*?<\/tr>/g)!;
    expect(rowA).toContain('<a href="#run-1">spike <span class="run-label">rc-1</span></a>');
    expect(rowA).toContain('build&#x3D;101');
    expect(rowA).toContain('http://127.0.0.1:8080');
    expect(rowA).toContain('3f9a2c1d7e');
    expect(rowB).toContain('<a href="#run-2">spike <span class="run-label">rc-2</span></a>');
    expect(rowB).toContain('build&#x3D;102, branch&#x3D;release/2.4');
    expect(rowB).toContain('http://127.0.0.1:9090');
    expect(rowB).toContain('0123456789ab');
    expect(rowB).toContain('10:45:00 UTC');
    // both runs failed: named apart in the overall verdict
    expect(overall).toContain('2 of 2 runs failed: spike (rc-1), spike (rc-2).');
    // who and when, on the first page
    for (const field of ['Signed off by', 'Role', 'Date']) expect(overall).toContain(`<span>${field}</span>`);
    const sections = html.match(/<section class="run"[\s\S]*?<\/section>/g)!;
    expect(sections[1]).toContain('<h1 class="run-title">spike <span class="run-label">rc-2</span></h1>');
    for (const [label, value] of [['Label', 'rc-2'], ['build', '102'], ['Base URL', 'http://127.0.0.1:9090'], ['Git commit', '0123456789ab'], ['Started', '2026-03-02 10:45:00 UTC']]) {
      expect(sections[1]).toContain(`<div><dt>${label}</dt><dd>${value}</dd></div>`);
    }
  });

  it('page 1 says what needs attention: each run’s checks not passed (a few), its regressions in one line', () => {
    const failing = spikeRun();
    failing.run = { options: {}, label: 'rc-9' };
    const html = renderHtml([pass, failing]);
    const overall = html.match(/<section class="overall"[\s\S]*?<\/section>/)![0];
    const attention = overall.match(/<div class="attention">[\s\S]*?<\/div>/g)!;
    expect(attention).toHaveLength(1); // the passing run has nothing to look at
    expect(attention[0]).toContain('<a href="#run-2">spike <span class="run-label">rc-9</span></a>');
    expect(attention[0]).toContain('<span class="badge fail">fail</span> Whole API: p99 318.2 ms, limit &lt; 300 ms');
    expect(attention[0]).toContain('<span class="badge uncertain">uncertain</span> User Authentication: p99.99 needs at least 10,000 samples');
    const regressions = failing.comparison!.regressions;
    expect(attention[0]).toContain(`<span class="badge fail">${regressions} regressions</span> against perf-results/spike-20260224-093000/result.json: `);
    expect(attention[0]).toContain(` and ${regressions - 1} more</li>`);
    expect(renderHtml([pass, pass])).toContain('Every check of every run passed, and no run regressed.');
  });

  it('passes only if every run passes', () => {
    expect(renderHtml([pass, pass])).toMatch(/<section class="overall"[\s\S]*?<div class="verdict pass"[\s\S]*?All 2 runs passed\./);
    const inconclusive = structuredClone(pass);
    inconclusive.verdict = 'inconclusive';
    expect(renderHtml([pass, inconclusive])).toMatch(/<section class="overall"[\s\S]*?<div class="verdict inconclusive"/);
  });

  it('keeps every id unique', () => {
    const html = renderHtml([pass, fail, hostileResult()]);
    const ids = [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(10);
    expect(new Set(ids).size).toBe(ids.length);
    for (const href of html.matchAll(/href="#([^"]*)"/g)) expect(ids).toContain(href[1]);
  });
});

describe('renderHtml: escaping', () => {
  const html = renderHtml([hostileResult()]);

  it('shows a hostile request name as text, never as markup', () => {
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<svg onload/i);
    // no element anywhere carries an event-handler attribute
    expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
    expect(html).toContain(HB_ESCAPED_REQUEST);
    expect(html).toContain('Checkout &lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt; &amp; more');
  });

  it('escapes it in the tables', () => {
    for (const table of html.match(/<table[\s\S]*?<\/table>/g)!) expect(table).not.toContain('<img');
    expect(html).toContain(`<td class="name">${HB_ESCAPED_REQUEST}</td>`);
    // the appendix: a hostile path in the resolved profile is text (its description is the heading's)
    expect(html).toMatch(/<pre class="profile">[^<]*&lt;svg onload&#x3D;alert\(1\)&gt;/);
  });

  it('escapes it in the SVG labels and tooltips', () => {
    const svgs = svgBlocks(html).join('');
    expect(svgs).toContain('class="stage-label">&lt;img src=x onerror=alert(1)&gt;</text>');
    expect(svgs).toContain('<title>stage &lt;img src=x onerror=alert(1)&gt;: 0:03 – 0:07</title>');
    expect(svgs).not.toContain('<img');
  });

  it('escapes a hostile label and meta in the header and the table of runs', () => {
    const a = hostileResult();
    a.run = { options: {}, label: HOSTILE_REQUEST, meta: { [HOSTILE_REQUEST]: HOSTILE_DESCRIPTION } };
    const out = renderHtml([a, spikeRun()]);
    expect(out).not.toContain('<img');
    expect(out).not.toMatch(/<script/i);
    expect(out).toContain(`<span class="run-label">${HB_ESCAPED_REQUEST}</span>`);
    expect(out).toContain(`<dt>${HB_ESCAPED_REQUEST}</dt><dd>Checkout &lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt; &amp; more</dd>`);
    expect(out).toContain(`perfctl release sign-off`);
  });

  it('escapes every character that matters', () => {
    expect(escapeXml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(escapeXml('bell\u0007')).toBe('bell');
  });
});

describe('renderHtml: nothing from the network', () => {
  const hostile = hostileResult();
  hostile.baseUrl = 'https://shop.example.com';
  hostile.groups['https://cdn.example.com/x.png'] = hostile.groups['ok-request']!;
  const html = renderHtml([spikeRun(), hostile]);

  it('has no script, link, import or remote reference in an attribute or url()', () => {
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<(iframe|object|embed|img|image|use|video|audio|source)\b/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/url\(\s*['"]?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/\s(src|href|xlink:href|action|poster|srcset|data)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/@font-face/i);
    expect(html).toContain(`default-src 'none'`);
  });

  it('may show the service URL as text', () => {
    expect(html).toContain('<dd>https://shop.example.com</dd>');
  });
});

describe('charts tell the truth', () => {
  it.each([
    { what: 'a steady run: the highest point', peaks: [10, 12, 11, 13, 12, 11, 10, 12, 13, 12, 11], top: 13, clipped: false },
    { what: 'a first-second burst 30x the rest: cut at 1.5x the 95th percentile', peaks: [400, 12, 11, 13, 12, 11, 10, 12, 13, 12, 11, 12, 13, 12, 11, 12, 11, 12, 13, 12, 12], top: 19.5, clipped: true },
    { what: 'too few points to call anything a burst', peaks: [400, 12, 11], top: 400, clipped: false },
    { what: 'a rise that holds is not clipped', peaks: [10, 10, 10, 10, 10, 40, 40, 40, 40, 40, 40], top: 40, clipped: false },
  ])('latency axis: $what', ({ peaks, top, clipped }) => {
    expect(latencyAxisTop(peaks)).toEqual({ top, clipped });
  });

  it('marks the points above a cut axis, and every point has its values on hover', () => {
    const r = spikeRun({ withComparison: false });
    r.timeline[0] = { ...r.timeline[0]!, p50: 300, p95: 900, p99: 2400 };
    const [throughput, , distribution] = svgBlocks(renderHtml([r]));
    const latency = svgBlocks(renderHtml([r]))[1]!;
    expect(count(latency.match(/<g class="clipped">[\s\S]*?<\/g>/)![0], 'class="clip-mark"')).toBe(1);
    expect(latency).toContain('<title>0:01 (baseline): p99 2400 ms (above the axis)</title>');
    expect(latency).toContain('class="legend">above the axis: p99 up to 2400 ms</text>');
    // one hover column per plotted second, with every series' value
    const hover = (svg: string): string[] => [...(svg.match(/<g class="hover">[\s\S]*?<\/g>/)?.[0] ?? '').matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]!);
    expect(hover(latency)).toHaveLength(r.timeline.length);
    expect(hover(latency)[45]).toMatch(/^0:46 \(spike\): p50 [\d.]+ ms, p95 [\d.]+ ms, p99 [\d.]+ ms$/);
    expect(hover(throughput!)).toHaveLength(r.timeline.length);
    expect(hover(throughput!)[45]).toMatch(/^0:46 \(spike\): [\d.]+ req\/s achieved, planned 1000\/s, [\d.]+ errors\/s$/);
    expect(hover(distribution!).length).toBeGreaterThan(20);
    expect(hover(distribution!)).toEqual(expect.arrayContaining([expect.stringMatching(/^this run: p99 [\d.]+ ms$/)]));
  });

  it('never draws planned journeys/s on the requests/s axis', () => {
    const r = spikeRun({ withComparison: false });
    r.cells.push({ ...r.cells[0]!, group: 'checkout', flow: true });
    const throughput = svgBlocks(renderHtml([r]))[0]!;
    expect(throughput).toContain('>planned journeys/s</text>');
    expect(throughput).toContain('planned journeys/s (right axis)');
    expect(throughput).toContain('>requests/s</text>');
    // requests/s axis reaches the achieved rate (about 1,000/s) only
    const plain = svgBlocks(renderHtml([spikeRun({ withComparison: false })]))[0]!;
    expect(plain).toContain('planned rate (req/s)');
    expect(plain).not.toContain('planned journeys/s');
  });
});

describe('charts of a run with scenarios', () => {
  it('draws each scenario’s planned level in its own unit: users on the right axis, requests/s on the left; shades one scenario’s stages', () => {
    const r = spikeRun({ withComparison: false });
    const block = { ...r.totals, groups: {}, phases: [] };
    r.scenarios = {
      browsing: { ...block, model: 'closed', startAfterMs: 0, stages: [{ name: 'steady', durationMs: 120_000, fromLevel: 200, toLevel: 200 }] },
      wave: { ...block, model: 'open', startAfterMs: 40_000, stages: [{ name: 'peak', durationMs: 40_000, fromLevel: 500, toLevel: 500 }] },
    };
    r.phases = [
      { ...r.phases[0]!, name: 'browsing/steady', startMs: 0, endMs: 120_000 },
      { ...r.phases[1]!, name: 'wave/peak', startMs: 40_000, endMs: 80_000 },
    ];
    const throughput = svgBlocks(renderHtml([r]))[0]!;
    expect(throughput).toContain('>planned users (VUs)</text>');
    expect(throughput).toContain('class="legend">browsing (users)</text>');
    expect(throughput).toContain('class="legend">wave (req/s)</text>');
    expect(count(throughput, 'class="series level scenario"')).toBe(2);
    expect(throughput).not.toContain('planned rate (req/s)');
    // overlapping stages: the first scenario's shaded, not a jumble of labels
    expect(count(throughput, '<g class="stage">')).toBe(1);
  });

  it('the stages table groups each scenario’s stages under its own heading, each in its scenario’s unit', () => {
    const r = spikeRun({ withComparison: false });
    const block = { ...r.totals, groups: {}, phases: [] };
    r.scenarios = {
      browsing: { ...block, model: 'closed', startAfterMs: 0, stages: [{ name: 'steady', durationMs: 120_000, fromLevel: 200, toLevel: 200 }] },
      wave: { ...block, model: 'open', startAfterMs: 40_000, stages: [{ name: 'peak', durationMs: 40_000, fromLevel: 50, toLevel: 500 }] },
    };
    r.phases = [
      { ...r.phases[0]!, name: 'browsing/steady', startMs: 0, endMs: 120_000 },
      { ...r.phases[1]!, name: 'wave/peak', startMs: 40_000, endMs: 80_000 },
    ];
    const phases = renderHtml([r]).match(/<table class="stats phases">[\s\S]*?<\/table>/)![0];
    const heads = [...phases.matchAll(/<th colspan="12" scope="rowgroup">([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(heads).toEqual(['Scenario browsing', 'Scenario wave']);
    const names = [...phases.matchAll(/<td class="name">([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(names).toEqual(['steady', 'peak']);
    expect(phases).toContain('200 users');
    expect(phases).toContain('50 → 500 req/s');
    // a run without scenarios has no scenario headings
    expect(renderHtml([spikeRun({ withComparison: false })])).not.toContain('scope="rowgroup"');
  });

  it('a scenario of flows plans journeys/s: on the right axis when no scenario plans users, else named and not drawn', () => {
    const r = spikeRun({ withComparison: false });
    const block = { ...r.totals, groups: {}, phases: [] };
    r.cells.push({ ...r.cells[0]!, group: 'checkout', flow: true });
    const journeys = { ...block, groups: { checkout: r.totals }, model: 'open' as const, startAfterMs: 0, stages: [{ name: 'a', durationMs: 120_000, fromLevel: 5, toLevel: 5 }] };
    const rate = { ...block, model: 'open' as const, startAfterMs: 0, stages: [{ name: 'b', durationMs: 120_000, fromLevel: 300, toLevel: 300 }] };
    const users = { ...block, model: 'closed' as const, startAfterMs: 0, stages: [{ name: 'c', durationMs: 120_000, fromLevel: 50, toLevel: 50 }] };
    r.scenarios = { shop: journeys, api: rate };
    const two = svgBlocks(renderHtml([r]))[0]!;
    expect(two).toContain('>planned journeys/s</text>');
    expect(two).toContain('class="legend">shop (journeys/s)</text>');
    r.scenarios = { shop: journeys, api: rate, browse: users };
    const three = svgBlocks(renderHtml([r]))[0]!;
    expect(three).toContain('>planned users (VUs)</text>');
    expect(three).toContain('shop: journeys/s, not drawn');
    expect(count(three, 'class="series level scenario"')).toBe(2);
  });
});

describe('chart and number helpers', () => {
  it('nice ticks are round numbers covering the data', () => {
    expect(niceTicks(0, 1043).values).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(0, 318.2).values).toEqual([0, 100, 200, 300, 400]);
    expect(niceTicks(0, 0.37).values).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(0, 0).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 3, 5, true).values).toEqual([0, 1, 2, 3]);
    expect(tickLabel(20_000, 5000)).toBe('20k');
    expect(tickLabel(5000, 5000, 20_000)).toBe('5k');
    expect(tickLabel(5000, 1000, 6000)).toBe('5,000');
    expect(tickLabel(1500, 500)).toBe('1,500');
    expect(tickLabel(0.25, 0.05)).toBe('0.25');
  });

  it('numbers keep their precision and units', () => {
    expect(formatMs(0.1234)).toBe('0.123');
    // the one formatter of every report: 23.456 ms is 23.5 in the terminal, Markdown, JUnit and here
    expect(formatMs(23.456)).toBe('23.5');
    expect(formatMs(50.4632)).toBe('50.5');
    expect(formatMs(196.863)).toBe('196.9');
    expect(formatMs(1195.973)).toBe('1196');
    expect(formatPercent(0.005183)).toBe('0.52%');
    expect(formatPercent(0.00004)).toBe('0.0040%');
    expect(formatDuration(3723000)).toBe('1h 02m 03s');
    expect(formatChangePercent(-0.0004)).toBe('0.0 %');
  });
});
