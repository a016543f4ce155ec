// Opens rendered reports from disk in Debian's Chromium: no console error, no request at all
// beyond the file itself, the charts are there and the numbers shown are the result's.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMs } from '../../src/judge/numbers.js';
import { renderHtml } from '../../src/report/html/render-html.js';
import { checkOutcome } from '../../src/report/format.js';
import type { Result } from '../../src/result/types.js';
import { HOSTILE_REQUEST, hostileResult, spikeRun } from '../helpers/html-report-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const PDFINFO = '/usr/bin/pdfinfo';
const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const hasChromium = existsSync(CHROMIUM) && existsSync(PDFINFO);
const title = hasChromium
  ? 'HTML report in Chromium'
  : `HTML report in Chromium — SKIPPED: ${CHROMIUM} or ${PDFINFO} is not installed (apt-get install -y chromium poppler-utils; .ci/run installs both)`;

/** The file printed to A4 by headless Chromium itself, as a user's "print to PDF" would; its page count by pdfinfo. */
function printToPdf(htmlFile: string, pdfFile: string): number {
  execFileSync(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer', `--print-to-pdf=${pdfFile}`, pathToFileURL(htmlFile).href], { stdio: 'ignore', timeout: 60_000 });
  const info = execFileSync(PDFINFO, [pdfFile], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
}

/** The text of one printed page. */
function pdfPageText(pdfFile: string, page: number): string {
  return execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-layout', pdfFile, '-'], { encoding: 'utf8' });
}

/** One regression only: the comparison of the fixture reduced to the total p95 and one of each other state. */
function withOneRegression(result: Result): Result {
  const c = result.comparison!;
  const regression = c.entries.find((e) => e.scope === 'total' && e.metric === 'p95')!;
  const rest = c.entries.filter((e) => e !== regression).map((e) => ({ ...e, regression: false, state: 'not-judged' as const, note: 'not judged: too few samples per time block' }));
  c.entries = [{ ...regression, regression: true, state: 'regression' }, ...rest];
  c.regressions = 1;
  result.verdict = 'fail';
  return result;
}

function labelled(result: Result, label: string, meta: Record<string, string> = {}): Result {
  result.run = { options: { label }, label, meta };
  return result;
}

/** The number in a shown text ("48,025", "196.9", "0.52 %"). */
const shownNumber = (text: string): number => Number(text.replace(/[,\s%]/g, '').replace(/[^\d.-]/g, ''));
/** A latency as the report rounds it. */
const roundedMs = (ms: number): number => Number(formatMs(ms));

interface Opened {
  page: Page;
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
  failedRequests: string[];
  dialogs: string[];
}

describe.skipIf(!hasChromium)(title, () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'perfctl-report-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  async function open(results: Result[], name: string): Promise<Opened> {
    const file = join(dir, name);
    writeFileSync(file, renderHtml(results));
    const url = pathToFileURL(file).href;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const opened: Opened = { page, consoleErrors: [], pageErrors: [], requests: [], failedRequests: [], dialogs: [] };
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') opened.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => opened.pageErrors.push(e.message));
    page.on('request', (r) => {
      if (r.url() !== url) opened.requests.push(r.url());
    });
    page.on('requestfailed', (r) => opened.failedRequests.push(`${r.url()}: ${r.failure()?.errorText ?? ''}`));
    page.on('dialog', (d) => {
      opened.dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(url, { waitUntil: 'load' });
    return opened;
  }

  function expectClean(o: Opened): void {
    expect(o.consoleErrors).toEqual([]);
    expect(o.pageErrors).toEqual([]);
    expect(o.failedRequests).toEqual([]);
    expect(o.requests).toEqual([]);
    expect(o.dialogs).toEqual([]);
  }

  it('shows a multi-stage run offline: verdict, charts and the result’s numbers', async () => {
    const result = spikeRun();
    const o = await open([result], 'report.html');
    const { page } = o;
    expectClean(o);

    expect(await page.title()).toBe('perfctl report: spike — FAIL');
    expect((await page.locator('.run .verdict-word').innerText()).trim()).toContain('FAIL');
    expect(await page.locator('.run .verdict-reason').innerText()).toBe(result.reason);

    // three or more charts, actually laid out (not zero-sized)
    const charts = page.locator('svg.chart');
    expect(await charts.count()).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < 3; i++) {
      const box = await charts.nth(i).boundingBox();
      expect(box!.width).toBeGreaterThan(400); // two a row on a wide screen
      expect(box!.height).toBeGreaterThan(150);
    }
    expect(await page.locator('svg.chart g.stage').count()).toBe(2 * result.phases.length);
    expect(await page.locator('svg.chart .series.baseline path').count()).toBe(1);

    // the key figures are the result's totals
    const figure = async (field: string): Promise<number> => shownNumber(await page.locator(`.run [data-field="${field}"] .figure-value`).innerText());
    const t = result.totals;
    expect(await figure('requests')).toBe(t.requests);
    expect(await figure('errors')).toBe(t.errors);
    expect(await figure('rps')).toBe(Number(t.rps.toFixed(1)));
    expect(await figure('error-rate')).toBe(Number((t.errorRate * 100).toFixed(2)));
    for (const p of ['p50', 'p95', 'p99', 'max'] as const) expect(await figure(p)).toBe(roundedMs(t.latencyMs[p]));

    // each target check shows its measured value, failures first
    const rows = page.locator('table.checks tbody tr');
    expect(await rows.count()).toBe(result.targets.length);
    const order = { FAIL: 0, UNCERTAIN: 1, WARN: 2, PASS: 3 } as const;
    const shown = result.targets.map((c, i) => ({ c, i })).sort((a, b) => order[checkOutcome(a.c)] - order[checkOutcome(b.c)] || a.i - b.i).map(({ c }) => c);
    for (const [i, check] of shown.entries()) {
      // the passed ones are folded under the failures: read their text, shown or not
      const actual = (await rows.nth(i).locator('td.actual').textContent())!.trim();
      if (check.actual === null) expect(actual).toBe('n/a'); // the one number formatter's word for a value that could not be measured
      else if (check.unit === 'ms') expect(shownNumber(actual)).toBe(roundedMs(check.actual));
      else if (check.unit === 'ratio') expect(shownNumber(actual)).toBe(Number((check.actual * 100).toFixed(2)));
      else expect(shownNumber(actual)).toBe(Number(check.actual.toFixed(1)));
    }

    // the per-request and per-phase tables
    const loginRow = page.locator('table.requests tbody tr', { hasText: 'login' });
    expect(shownNumber(await loginRow.locator('td').nth(1).innerText())).toBe(result.groups['login']!.requests);
    const phaseRows = page.locator('table.phases tbody tr');
    for (const [i, phase] of result.phases.entries()) {
      expect(await phaseRows.nth(i).locator('td').nth(0).innerText()).toBe(phase.name);
      expect(shownNumber(await phaseRows.nth(i).locator('td').nth(3).innerText())).toBe(phase.requests);
    }
    // the regressions first, in a table of their own (they show again under their scope below)
    expect(await page.locator('table.comparison.regressions tr.regression').count()).toBe(result.comparison!.regressions);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    await page.pdf({ path: join(ARTIFACTS, 'report.pdf'), format: 'A4', printBackground: true, preferCSSPageSize: true });
    await page.close();
  });

  /** Elements wider than the page (a horizontal scrollbar), by tag and class. */
  async function overflowing(page: Page): Promise<string[]> {
    return page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest('.table-wrap, details:not([open])'));
      const page = document.documentElement.scrollWidth > width ? ['document'] : [];
      return [...page, ...wide.map((e) => `${e.tagName.toLowerCase()}.${e.className}`)];
    });
  }

  /** The first screen (1280 x 900): the verdict and every failed check are on it, fully. */
  async function onFirstScreen(page: Page, selector: string): Promise<boolean[]> {
    const boxes = await page.locator(selector).evaluateAll((els) => els.map((e) => e.getBoundingClientRect().bottom));
    return boxes.map((bottom) => bottom <= 900);
  }

  it('a single report: the verdict and the failed checks on the first screen, nothing wider than the page, printed in at most 2 pages', async () => {
    const o = await open([spikeRun({ withComparison: false })], 'single.html');
    expectClean(o);
    expect(await onFirstScreen(o.page, '.run .verdict')).toEqual([true]);
    const failed = await onFirstScreen(o.page, 'table.checks tr.fail');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every(Boolean)).toBe(true);
    expect(await overflowing(o.page)).toEqual([]);
    for (const width of [760, 420]) {
      await o.page.setViewportSize({ width, height: 900 });
      expect(await overflowing(o.page), `${width} px wide`).toEqual([]);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    await o.page.setViewportSize({ width: 1280, height: 900 });
    await o.page.screenshot({ path: join(ARTIFACTS, 'single-first-screen.png') });
    await o.page.close();
    expect(printToPdf(join(dir, 'single.html'), join(ARTIFACTS, 'single.pdf'))).toBeLessThanOrEqual(2);
  });

  it('a report with a baseline: the one regression on the first screen, above the charts; no unjudged entry says ok', async () => {
    const result = withOneRegression(spikeRun());
    const o = await open([result], 'baseline.html');
    expectClean(o);
    const { page } = o;
    const regression = page.locator('table.comparison.regressions tr.regression');
    expect(await regression.count()).toBe(1);
    expect(await onFirstScreen(page, 'table.comparison.regressions tr.regression')).toEqual([true]);
    const chartTop = (await page.locator('svg.chart').first().boundingBox())!.y;
    expect((await regression.boundingBox())!.y).toBeLessThan(chartTop);
    // every row of the comparison: a not-judged entry is never badged ok
    const states = await page.locator('table.comparison tbody tr').evaluateAll((rows) => rows.map((r) => r.querySelector('.badge')?.textContent ?? ''));
    expect(states.filter((s) => s === 'ok')).toEqual([]);
    expect(states).toContain('not judged');
    expect(await overflowing(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'baseline-first-screen.png') });
    await page.close();
  });

  it('a sign-off of 5 runs: page 1 the overall verdict and the table of runs, the two spike runs told apart, at most 10 printed pages', async () => {
    const runs = [
      labelled(spikeRun({ withComparison: false }), 'rc-1', { build: '101' }),
      labelled(spikeRun({ withComparison: false, seed: 5, spikeMedianMs: 30 }), 'rc-2', { build: '102' }),
      labelled(spikeRun({ profileName: 'normal', spikeMedianMs: 14, seed: 3, withComparison: false }), 'rc-2'),
      labelled(spikeRun({ profileName: 'peak', spikeMedianMs: 20, seed: 4, withComparison: false }), 'rc-2'),
      labelled(spikeRun({ profileName: 'stress', spikeMedianMs: 60, seed: 6, withComparison: false }), 'rc-2'),
    ];
    const o = await open(runs, 'signoff.html');
    expectClean(o);
    const { page } = o;
    expect(await page.locator('.overall .verdict-word').innerText()).toContain('FAIL');
    const rows = page.locator('.overall table.summary tbody tr');
    expect(await rows.count()).toBe(5);
    expect(await rows.nth(0).locator('.run-cell').innerText()).toMatch(/spike\s*rc-1/);
    expect(await rows.nth(1).locator('.run-cell').innerText()).toMatch(/spike\s*rc-2/);
    expect(await page.locator('section.run').count()).toBe(5);
    expect(await page.locator('section.run .run-title').allInnerTexts()).toEqual(['spike rc-1', 'spike rc-2', 'normal rc-2', 'peak rc-2', 'stress rc-2']);
    // each row links to its run's section
    await rows.nth(1).locator('a').click();
    expect(await page.evaluate(() => location.hash)).toBe('#run-2');
    expect(await overflowing(page)).toEqual([]);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS, 'signoff-first-screen.png') });
    await page.screenshot({ path: join(ARTIFACTS, 'signoff.png'), fullPage: true });
    await page.close();

    const pdf = join(ARTIFACTS, 'signoff.pdf');
    const pages = printToPdf(join(dir, 'signoff.html'), pdf);
    expect(pages).toBeLessThanOrEqual(10);
    const first = pdfPageText(pdf, 1);
    expect(first).toContain('RELEASE SIGN-OFF');
    expect(first).toContain('FAIL');
    expect(first).toMatch(/spike\s+rc-1/);
    expect(first).toMatch(/spike\s+rc-2/);
    expect(first).toContain('Signed off by');
    expect(first).not.toContain('RUN 1 OF 5');
    expect(pdfPageText(pdf, 2)).toContain('RUN 1 OF 5');
    // the resolved profile printed once per run, not pages of JSON
    const all = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(all.split('Environment and resolved profile').length - 1).toBe(5);
    expect(all.split('timeoutMs: 10000').length - 1).toBe(5);
  });

  it('shows a hostile request name as text: no element, no script, no dialog', async () => {
    const o = await open([hostileResult()], 'hostile.html');
    expectClean(o);
    const { page } = o;
    expect(await page.locator('img, script, iframe, object, embed').count()).toBe(0);
    expect(await page.locator('svg.chart').count()).toBe(3);
    expect(await page.locator('table.requests td.name', { hasText: HOSTILE_REQUEST }).count()).toBe(1);
    expect(await page.locator('svg.chart text.stage-label', { hasText: HOSTILE_REQUEST }).count()).toBe(2);
    expect(await page.locator('.run-title').innerText()).toBe(`shop ${HOSTILE_REQUEST}`);
    expect(await page.locator('.description').innerText()).toContain('<script>alert("xss")</script>');
    await page.close();
  });
});
