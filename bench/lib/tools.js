// The load tools the bench compares: perfctl (this repository's bin/perfctl.js, built dist/),
// the autocannon CLI from node_modules, and wrk when installed. Each run is pinned to the load
// core, bounded in time, and measured (peak RSS, CPU time) the same way.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild, runMeasured } from './proc.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..', '..');
const PERFCTL_BIN = path.join(REPO, 'bin', 'perfctl.js');
const AUTOCANNON_BIN = path.join(REPO, 'node_modules', 'autocannon', 'autocannon.js');

/** A profile as YAML text (the bench only needs flat stages and one request). */
export function profileYaml({ name, baseUrl, stages, thinkTime, extra = {} }) {
  const lines = [`name: ${name}`, `description: perfctl bench profile`, `baseUrl: ${baseUrl}`, 'stages:'];
  for (const s of stages) {
    const fields = Object.entries(s).map(([k, v]) => `${k}: ${v}`);
    lines.push(`  - { ${fields.join(', ')} }`);
  }
  lines.push('requests:', '  - { name: root, path: / }', 'timeout: 10s');
  if (thinkTime !== undefined) lines.push(`thinkTime: ${thinkTime}`);
  for (const [k, v] of Object.entries(extra)) lines.push(`${k}: ${v}`);
  return lines.join('\n') + '\n';
}

let runCounter = 0;

/**
 * Runs `perfctl run <profile> --base-url URL --out DIR --quiet` and reads DIR/result.json.
 * Returns { exitCode, result, verdictLine, measure } (result null if none was written).
 */
export async function runPerfctl({ label, yaml, baseUrl, tmpDir, pinPrefix, method, expectedSeconds, nodeArgs = [], extraArgs = [], bin = PERFCTL_BIN }) {
  const dir = path.join(tmpDir, `perfctl-${++runCounter}-${label}`);
  mkdirSync(dir, { recursive: true });
  const profilePath = path.join(dir, 'profile.yaml');
  writeFileSync(profilePath, yaml);
  const outDir = path.join(dir, 'out');
  const argv = [...pinPrefix, process.execPath, ...nodeArgs, bin, 'run', profilePath, '--base-url', baseUrl, '--out', outDir, '--quiet', ...extraArgs];
  const run = await runMeasured(argv, { timeoutMs: (expectedSeconds + 30) * 1000, cwd: REPO, method, tmpDir });
  let result = null;
  try {
    result = JSON.parse(readFileSync(path.join(outDir, 'result.json'), 'utf8'));
  } catch {
    // no result: reported by the caller
  }
  return {
    tool: 'perfctl',
    exitCode: run.timedOut ? null : run.code,
    timedOut: run.timedOut,
    result,
    verdictLine: (run.stdout.trim().split('\n').pop() ?? '').replace(/\x1b\[[0-9;]*m/g, ''),
    stderr: run.stderr.trim().slice(-2000),
    dir,
    measure: pickMeasure(run),
  };
}

function pickMeasure(run) {
  const cpuS = run.userS !== null && run.sysS !== null ? run.userS + run.sysS : null;
  return { wallMs: Math.round(run.wallMs), peakRssKb: run.peakRssKb, userS: run.userS, sysS: run.sysS, cpuS, voluntarySwitches: run.voluntarySwitches ?? null, method: run.method, machineBusyCores: run.machineBusyCores };
}

/** `autocannon ... --json URL`; returns requests, rps and latency (ms) from its JSON. */
export async function runAutocannon({ args, url, pinPrefix, method, tmpDir, expectedSeconds }) {
  const argv = [...pinPrefix, process.execPath, AUTOCANNON_BIN, ...args, '--json', url];
  const run = await runMeasured(argv, { timeoutMs: (expectedSeconds + 30) * 1000, cwd: REPO, method, tmpDir });
  let json = null;
  try {
    json = JSON.parse(run.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop());
  } catch {
    // reported below
  }
  if (!json) return { tool: 'autocannon', ok: false, error: `no JSON from autocannon (exit ${run.code}): ${run.stderr.trim().slice(-300)}`, measure: pickMeasure(run) };
  const requests = json.requests.total;
  return {
    tool: 'autocannon',
    ok: true,
    command: `autocannon ${args.join(' ')} --json URL`,
    requests,
    durationS: json.duration,
    rps: requests / json.duration,
    errors: json.errors + json.timeouts + json.non2xx,
    latencyMs: { p50: json.latency.p50, p99: json.latency.p99, max: json.latency.max },
    latencySamples: json.latency.totalCount,
    measure: pickMeasure(run),
  };
}

const WRK_SCRIPT = `-- perfctl bench: print wrk's summary as one JSON line
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests":%d,"durationUs":%d,"errors":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
`;

/** `wrk -t1 -cN -dDs URL` with a Lua done() that prints the summary as JSON. */
export async function runWrk({ connections, seconds, url, pinPrefix, method, tmpDir }) {
  const script = path.join(tmpDir, 'wrk-summary.lua');
  writeFileSync(script, WRK_SCRIPT);
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`];
  const argv = [...pinPrefix, 'wrk', ...args, '-s', script, url];
  const run = await runMeasured(argv, { timeoutMs: (seconds + 30) * 1000, cwd: REPO, method, tmpDir });
  const line = run.stdout.split('\n').find((l) => l.startsWith('WRKJSON '));
  if (!line) return { tool: 'wrk', ok: false, error: `no summary from wrk (exit ${run.code}): ${(run.stderr || run.stdout).trim().slice(-300)}`, measure: pickMeasure(run) };
  const s = JSON.parse(line.slice('WRKJSON '.length));
  return {
    tool: 'wrk',
    ok: true,
    command: `wrk ${args.join(' ')} URL`,
    requests: s.requests,
    durationS: s.durationUs / 1e6,
    rps: s.requests / (s.durationUs / 1e6),
    errors: s.errors,
    latencyMs: { p50: s.p50Us / 1000, p99: s.p99Us / 1000, max: s.maxUs / 1000 },
    measure: pickMeasure(run),
  };
}

export async function toolVersions() {
  const versions = { node: process.version };
  try {
    versions.perfctl = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version;
    versions.autocannon = JSON.parse(readFileSync(path.join(REPO, 'node_modules', 'autocannon', 'package.json'), 'utf8')).version;
  } catch {
    // left out
  }
  const wrk = await runChild(['sh', '-c', 'wrk --version 2>&1 | head -1'], { timeoutMs: 5000 }).catch(() => null);
  if (wrk && /wrk/.test(wrk.stdout)) versions.wrk = wrk.stdout.trim().split(' ').slice(0, 2).join(' ');
  const nginx = await runChild(['sh', '-c', 'nginx -v 2>&1'], { timeoutMs: 5000 }).catch(() => null);
  if (nginx && /nginx\//.test(nginx.stdout)) versions.nginx = /nginx\/\S+/.exec(nginx.stdout)[0];
  const git = await runChild(['git', '-C', REPO, 'rev-parse', '--short', 'HEAD'], { timeoutMs: 5000 }).catch(() => null);
  versions.git = git && git.code === 0 ? git.stdout.trim() : null;
  return versions;
}

/** `hey -z Ds -c C [-q Q] URL` (Debian's hey); returns requests, rps and CPU. */
export async function runHey({ seconds, connections, perWorkerRate, url, pinPrefix, method, tmpDir }) {
  const args = ['-z', `${seconds}s`, '-c', String(connections), ...(perWorkerRate ? ['-q', String(perWorkerRate)] : [])];
  const run = await runMeasured([...pinPrefix, 'hey', ...args, url], { timeoutMs: (seconds + 30) * 1000, cwd: REPO, method, tmpDir });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(run.stdout)?.[1]);
  if (!Number.isFinite(rps)) return { tool: 'hey', ok: false, error: `no summary from hey (exit ${run.code}): ${(run.stderr || run.stdout).trim().slice(-300)}`, measure: pickMeasure(run) };
  const total = Number(/Total:\s+([\d.]+) secs/.exec(run.stdout)?.[1]);
  return { tool: 'hey', ok: true, command: `hey ${args.join(' ')} URL`, rps, requests: Math.round(rps * total), measure: pickMeasure(run) };
}
