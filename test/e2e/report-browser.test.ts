// Opens rendered reports from disk in Debian's Chromium: no console error, no request at all
// beyond the file itself, the charts are there and the numbers shown are the result's.
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
const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const hasChromium = existsSync(CHROMIUM);
const title = hasChromium
  ? 'HTML report in Chromium'
  : `HTML report in Chromium — SKIPPED: ${CHROMIUM} is not installed (apt-get install -y chromium)`;

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
      expect(box!.width).toBeGreaterThan(600);
      expect(box!.height).toBeGreaterThan(200);
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
      const actual = await rows.nth(i).locator('td.actual').innerText();
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

  it('a sign-off of several runs has an overall verdict and one section per run', async () => {
    const normal = spikeRun({ profileName: 'normal', spikeMedianMs: 14, seed: 3, withComparison: false });
    const o = await open([normal, spikeRun()], 'signoff.html');
    expectClean(o);
    expect(await o.page.locator('.overall .verdict-word').innerText()).toContain('FAIL');
    expect(await o.page.locator('.overall table.summary tbody tr').count()).toBe(2);
    expect(await o.page.locator('section.run').count()).toBe(2);
    expect(await o.page.locator('svg.chart').count()).toBe(6);
    await o.page.screenshot({ path: join(ARTIFACTS, 'signoff.png'), fullPage: true });
    await o.page.close();
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
