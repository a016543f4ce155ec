// A real Prometheus (Debian's `prometheus` package) for tests: started on a free 127.0.0.1 port
// with its own config (scraping the given targets every second) and a TSDB in a temp dir, and
// stopped with its directory removed. `.ci/run` installs the package.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from './cli.js';

export const hasPrometheus = spawnSync('prometheus', ['--version'], { stdio: 'ignore' }).status === 0;

export interface PrometheusServer {
  url: string;
  /** an instant query; the result vector as { labels, value } */
  query(expr: string, atEpochS?: number): Promise<Array<{ metric: Record<string, string>; value: number }>>;
  /** the raw API answer of an instant query (status, errorType, data) */
  queryRaw(expr: string, atEpochS?: number): Promise<{ status: string; error?: string; data?: { resultType: string; result: unknown[] } }>;
  /** waits until the target's last scrape succeeded */
  waitForTargetUp(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrometheus(targets: string[]): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'perfctl-prometheus-'));
  const port = await closedPort();
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    '  - job_name: perfctl',
    '    scrape_interval: 1s',
    '    scrape_timeout: 900ms',
    '    static_configs:',
    `      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const child: ChildProcess = spawn(
    'prometheus',
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log = (log + chunk).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited with ${child.exitCode}:\n${log}`);
    }
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus was not ready within 20 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const queryRaw: PrometheusServer['queryRaw'] = async (expr, atEpochS) => {
    const params = new URLSearchParams({ query: expr, ...(atEpochS !== undefined ? { time: String(atEpochS) } : {}) });
    return (await (await fetch(`${url}/api/v1/query?${params}`)).json()) as Awaited<ReturnType<PrometheusServer['queryRaw']>>;
  };
  return {
    url,
    queryRaw,
    async query(expr, atEpochS) {
      const answer = await queryRaw(expr, atEpochS);
      if (answer.status !== 'success') throw new Error(`query ${expr}: ${answer.error}`);
      return (answer.data!.result as Array<{ metric: Record<string, string>; value: [number, string] }>).map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    async waitForTargetUp(timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const answer = (await (await fetch(`${url}/api/v1/targets`)).json()) as { data: { activeTargets: Array<{ health: string }> } };
        if (answer.data.activeTargets.some((t) => t.health === 'up')) return;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`no target of prometheus was up within ${timeoutMs} ms`);
    },
    stop,
  };
}
