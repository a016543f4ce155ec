// Throughput with every live export on against none (issue 17: within 3%): closed model, the
// same profile, rounds interleaved (none, all, none, all, ...) so a busy spell on the machine
// hits both sides; the ratio is the median of the rounds' ratios. The export sinks run in the
// bench process: a Prometheus-style scraper (GET /metrics every second), an OTLP/HTTP receiver
// answering 200, a UDP socket for StatsD, and an NDJSON file.
import { createServer } from 'node:http';
import { createSocket } from 'node:dgram';
import path from 'node:path';

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));

async function freePort() {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startSinks() {
  let otlpPushes = 0;
  const otlp = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      otlpPushes++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const otlpPort = await listen(otlp);
  const udp = createSocket('udp4');
  let statsdLines = 0;
  udp.on('message', (m) => (statsdLines += m.toString().split('\n').length));
  await new Promise((resolve) => udp.bind(0, '127.0.0.1', resolve));
  return {
    otlpPort,
    statsdPort: udp.address().port,
    counts: () => ({ otlpPushes, statsdLines }),
    stop: async () => {
      otlp.closeAllConnections();
      await new Promise((resolve) => otlp.close(resolve));
      await new Promise((resolve) => udp.close(resolve));
    },
  };
}

/** Scrapes /metrics every second while `running()`; returns how many scrapes succeeded. */
function scrape(port, running) {
  let ok = 0;
  const timer = setInterval(() => {
    if (!running()) return;
    fetch(`http://127.0.0.1:${port}/metrics`)
      .then((r) => r.text())
      .then(() => ok++)
      .catch(() => undefined);
  }, 1000);
  return { stop: () => clearInterval(timer), count: () => ok };
}

const cpuMsPer1k = (run, summary) => (summary.ok && run.measure?.cpuS != null && summary.requests > 0 ? Math.round((run.measure.cpuS * 1e7) / summary.requests) / 10 : null);

export async function measureExports(ctx, target, { runPerfctl, profileYaml, perfctlSummary, log, round }) {
  const seconds = ctx.quick ? 4 : 8;
  const connections = 50;
  const rounds = Math.max(3, ctx.rounds);
  log(`exports: closed model, ${connections} connections, ${seconds} s, none against all four (prometheus, otlp, ndjson, statsd), ${rounds} rounds interleaved`);
  const base = target.url.replace(/\/$/, '');
  const yaml = profileYaml({ name: 'bench-exports', baseUrl: base, stages: [{ duration: `${seconds}s`, vus: connections }], thinkTime: '0s' });
  const sinks = await startSinks();
  const perRound = [];
  try {
    for (let r = 1; r <= rounds; r++) {
      const noneRun = await runPerfctl({ label: `exports-none-${r}`, yaml, baseUrl: base, ...ctx.tool, expectedSeconds: seconds });
      const none = perfctlSummary(noneRun);
      const promPort = await freePort();
      let running = true;
      const scraper = scrape(promPort, () => running);
      const ndjson = path.join(ctx.tool.tmpDir, `exports-${r}.ndjson`);
      const allRun = await runPerfctl({
          label: `exports-all-${r}`,
          yaml,
          baseUrl: base,
          ...ctx.tool,
          expectedSeconds: seconds,
          extraArgs: [
            '--export', `prometheus=127.0.0.1:${promPort}`,
            '--export', `otlp=http://127.0.0.1:${sinks.otlpPort}`,
            '--export', `ndjson=${ndjson}`,
            '--export', `statsd=127.0.0.1:${sinks.statsdPort}`,
            '--export-linger', '0s',
          ],
        });
      const all = perfctlSummary(allRun);
      running = false;
      scraper.stop();
      perRound.push({
        noneRps: none.ok ? round(none.rps, 0) : null,
        allRps: all.ok ? round(all.rps, 0) : null,
        ratio: none.ok && all.ok ? round(all.rps / none.rps, 3) : null,
        // CPU time per 1,000 requests: what the exports cost, less sensitive than req/s to
        // other processes taking the core
        noneCpuMsPer1k: cpuMsPer1k(noneRun, none),
        allCpuMsPer1k: cpuMsPer1k(allRun, all),
        scrapes: scraper.count(),
      });
    }
  } finally {
    await sinks.stop();
  }
  const median = (xs) => {
    const sorted = xs.filter((x) => x !== null).sort((a, b) => a - b);
    return sorted.length === 0 ? null : sorted[Math.floor((sorted.length - 1) / 2)];
  };
  const cpuNone = median(perRound.map((x) => x.noneCpuMsPer1k));
  const cpuAll = median(perRound.map((x) => x.allCpuMsPer1k));
  return {
    seconds,
    connections,
    rounds,
    perRound,
    ratio: median(perRound.map((x) => x.ratio)),
    cpuMsPer1k: { none: cpuNone, all: cpuAll, ratio: cpuNone && cpuAll ? round(cpuAll / cpuNone, 3) : null },
    sinks: sinks.counts(),
  };
}
