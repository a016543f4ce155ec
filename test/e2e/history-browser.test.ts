// Opens history.html from disk in Debian's Chromium: no console error, no request beyond the
// file, one chart per group and metric, the change point drawn, each point a link to its run.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TOLERANCE } from '../../src/compare/tolerance.js';
import { buildHistory } from '../../src/history/trend.js';
import { renderHistoryHtml } from '../../src/report/html/history-page.js';
import { makeResult } from '../helpers/result-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const title = hasChromium ? 'history.html in Chromium' : `history.html in Chromium — SKIPPED: ${CHROMIUM} is not installed (apt-get install -y chromium)`;

/** 20 runs, p95 about 20 ms, +20% from run 13 on (deterministic wobble). */
function runs() {
  return Array.from({ length: 20 }, (_, i) => {
    const level = (i >= 12 ? 24 : 20) * (1 + 0.02 * Math.sin(i * 2.1));
    const latencies = Array.from({ length: 400 }, (_, k) => (level / 1.5) * (0.5 + (k / 400) * 1.1));
    const result = makeResult({ profileName: 'normal', startedAt: new Date(Date.UTC(2026, 0, 1, i)).toISOString(), cells: [{ group: 'api', phase: 'main', latenciesMs: latencies }] });
    return { file: `runs/${i + 1}/result.json`, result };
  });
}

describe.skipIf(!hasChromium)(title, () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'perfctl-history-'));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  });
  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('shows one chart per group and metric, the change point, and links each point to its run', async () => {
    const history = buildHistory(runs(), { tolerance: DEFAULT_TOLERANCE });
    const file = join(dir, 'history.html');
    writeFileSync(file, renderHistoryHtml(history, { reportOf: (f) => f.replace('result.json', 'report.html') }));
    const url = pathToFileURL(file).href;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await page.goto(url, { waitUntil: 'load' });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    // 2 scopes (total, api) × 5 metrics, each drawn with a size
    const charts = await page.locator('svg.chart').all();
    expect(charts).toHaveLength(10);
    for (const chart of charts) expect((await chart.boundingBox())!.width).toBeGreaterThan(300);
    expect(await page.locator('svg.chart g.change-point.worse').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('svg.chart a.run-point').count()).toBe(10 * 20);
    expect(await page.locator('svg.chart a.run-point').first().getAttribute('href')).toBe('runs/1/report.html');
    expect(await page.locator('.verdict-reason').innerText()).toMatch(/^The newest run is after a change for the worse: .*total p95 \+\d+\.\d% after run 1[123]/);
    await page.close();
  });
});
