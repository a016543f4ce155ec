// A real Prometheus scrapes perfctl's --export prometheus every second during a run; then its
// HTTP API must agree with result.json: sum(perfctl_requests_total) is the result's count, a
// quantile from the histogram lands in the bucket of the result's p95, and every query of
// examples/grafana/perfctl-dashboard.json returns data.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS_SECONDS } from '../../src/export/live-view.js';
import { assertBuilt, closedPort, describeRun, makeTempDir, readResultFile, removeTempDir, repoRoot, runCli, writeProfile } from '../helpers/cli.js';
import { hasPrometheus, startPrometheus, type PrometheusServer } from '../helpers/prometheus-server.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer | undefined;
let prometheus: PrometheusServer | undefined;
let dir: string | undefined;

beforeAll(() => assertBuilt());
afterEach(async () => {
  await server?.close();
  await prometheus?.stop();
  server = prometheus = undefined;
  removeTempDir(dir);
  dir = undefined;
});

interface DashboardPanel {
  title: string;
  targets: Array<{ expr: string }>;
}

describe.skipIf(!hasPrometheus)('--export prometheus scraped by a real Prometheus', () => {
  it('Prometheus counts what result.json counts; its p95 from the histogram is in the bucket of the result\'s; the dashboard\'s queries return data', { retry: 1 }, async () => {
    // 5..45 ms, spread evenly: p95 near 43 ms, in the (25 ms, 50 ms] bucket; one in 50 a 500
    server = await startTestServer((req, n) => {
      if (req.url === '/metrics') return { body: `process_resident_memory_bytes ${50 * 1024 * 1024 + n}\nprocess_cpu_seconds_total ${n / 1000}\n` };
      return { delayMs: 5 + (n % 41), ...(n % 50 === 7 ? { status: 500 } : {}) };
    });
    const port = await closedPort();
    prometheus = await startPrometheus([`127.0.0.1:${port}`]);
    dir = makeTempDir();
    const file = writeProfile(
      dir,
      'scraped',
      [
        'name: scraped',
        'stages:',
        '  - { name: main, duration: 8s, rate: 100 }',
        'requests:',
        '  - { name: ping, path: /ping }',
        `monitor: { url: ${server.url}/metrics, interval: 1s }`,
        '',
      ].join('\n'),
    );
    const out = join(dir, 'out');
    const run = await runCli(['run', file, '--base-url', server.url, '--out', out, '--no-progress', '--export', `prometheus=127.0.0.1:${port}`, '--export-linger', '4s'], {
      cwd: dir,
      timeoutMs: 40_000,
    });
    expect([0, 4], describeRun(run)).toContain(run.code);
    const result = readResultFile(out);
    expect(result.totals.requests).toBe(server.seen.byPath['/ping']);

    // the last scrape (during the linger) holds the final counts
    const [total] = await prometheus.query('sum(last_over_time(perfctl_requests_total[2m]))');
    expect(total?.value).toBe(result.totals.requests);
    const [errors] = await prometheus.query('sum(last_over_time(perfctl_errors_total[2m]))');
    expect(errors?.value).toBe(result.totals.errors);
    expect(result.totals.errors).toBeGreaterThan(0);
    const [running] = await prometheus.query('last_over_time(perfctl_running[2m])');
    expect(running?.value).toBe(0);

    const [p95] = await prometheus.query('histogram_quantile(0.95, sum by (le) (last_over_time(perfctl_latency_seconds_bucket[2m])))');
    const resultP95 = result.totals.latencyMs.p95 / 1000;
    const upper = LATENCY_BUCKETS_SECONDS.find((b) => b >= resultP95)!;
    const lower = [...LATENCY_BUCKETS_SECONDS].reverse().find((b) => b < resultP95) ?? 0;
    expect(p95!.value, `Prometheus p95 ${p95!.value} s, result p95 ${resultP95} s`).toBeGreaterThanOrEqual(lower);
    expect(p95!.value).toBeLessThanOrEqual(upper);

    // every panel query of the dashboard, at a moment inside the run, returns data
    const dashboard = JSON.parse(readFileSync(join(repoRoot, 'examples/grafana/perfctl-dashboard.json'), 'utf8')) as { panels: DashboardPanel[] };
    const inside = Date.parse(result.startedAt) / 1000 + result.durationMs / 1000 - 1;
    const problems: string[] = [];
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        // what Grafana substitutes: every group, and a rate window of several 1 s scrapes
        const expr = target.expr.replaceAll('$group', '.*').replaceAll('$__rate_interval', '10s');
        const answer = await prometheus.queryRaw(expr, inside);
        if (answer.status !== 'success') problems.push(`${panel.title}: ${expr}: ${answer.error}`);
        else if ((answer.data?.result.length ?? 0) === 0) problems.push(`${panel.title}: ${expr}: no data`);
      }
    }
    expect(problems).toEqual([]);
  }, 60_000);
});
