// The analyses' keys in profiles and target tables: `recovery`, `drift`, `memoryGrowth` limits,
// `monitor` and `stopOnBreak`, read and checked before anything is sent.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProfile, validateFile } from '../../src/config/load-profile.js';
import { readPercentLimit } from '../../src/config/normalise-analysis.js';
import { formatIssue } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'perfctl-analysis-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const spikeStages = [
  'baseUrl: http://127.0.0.1:8080',
  'stages:',
  '  - { name: baseline, duration: 1m, rate: 10 }',
  '  - { name: spike, duration: 1m, from: 200, rate: 200 }',
  '  - { name: recovery, duration: 1m, from: 10, rate: 10 }',
  'requests:',
  '  - { name: ping, path: /ping }',
];

async function issuesOf(path: string): Promise<string[]> {
  return (await validateFile(path, { cwd: dir, env: {} })).issues.map(formatIssue);
}

describe('target rows', () => {
  it('recovery is a duration, drift and memoryGrowth are percentages; each a check of its row', async () => {
    const path = file('ok.yaml', [
      ...spikeStages,
      'monitor: { pid: 1234, interval: 5s }',
      'targets:',
      '  - { name: Recovery, phase: spike, recovery: 5m }',
      '  - { name: Soak, drift: 2%, memoryGrowth: 0.1 }',
    ]);
    const profile = await loadProfile(path, { cwd: dir, env: {}, builtinDir: dir });
    expect(profile.targets.map((row) => [row.name, row.phase, row.checks])).toEqual([
      ['Recovery', 'spike', [{ metric: 'recovery', limit: 300_000 }]],
      ['Soak', null, [{ metric: 'drift', limit: 0.02 }, { metric: 'memoryGrowth', limit: 0.1 }]],
    ]);
    expect(profile.monitor).toEqual({ kind: 'pid', pid: 1234, intervalMs: 5000 });
    expect(profile.stopOnBreak).toBeUndefined();
  });

  it('bad limits are input errors with a hint', async () => {
    const path = file('bad-limits.yaml', [...spikeStages, 'targets:', '  - { name: A, phase: spike, recovery: 300 }', '  - { name: B, drift: 5 }', '  - { name: C, memoryGrowth: lots }']);
    const issues = await issuesOf(path);
    expect(issues.join('\n')).toMatch(/targets\.0\.recovery: duration "300" has no unit/);
    expect(issues.join('\n')).toMatch(/targets\.1\.drift: 5 is more than 1[\s\S]*write "5%"/);
    expect(issues.join('\n')).toMatch(/targets\.2\.memoryGrowth/);
  });

  it('readPercentLimit: "2%", 0.02, "150%" for growth beyond double', () => {
    expect(readPercentLimit('2%')).toEqual({ ok: true, value: 0.02 });
    expect(readPercentLimit(0.02)).toEqual({ ok: true, value: 0.02 });
    expect(readPercentLimit('150%')).toEqual({ ok: true, value: 1.5 });
    expect(readPercentLimit(-1).ok).toBe(false);
  });
});

describe('monitor', () => {
  it('a pid or an http URL (the metrics of a service, Prometheus text)', async () => {
    const path = file('url.yaml', [...spikeStages, 'monitor: { url: "http://127.0.0.1:9100/metrics" }']);
    const profile = await loadProfile(path, { cwd: dir, env: {}, builtinDir: dir });
    expect(profile.monitor).toEqual({ kind: 'url', url: 'http://127.0.0.1:9100/metrics', intervalMs: 2000 });
  });

  it('needs one of pid and url; a pid is a positive whole number; an interval of at least 1s', async () => {
    expect((await issuesOf(file('none.yaml', [...spikeStages, 'monitor: { interval: 5s }']))).join('\n')).toMatch(/monitor: needs `pid` or `url`/);
    expect((await issuesOf(file('both.yaml', [...spikeStages, 'monitor: { pid: 1, url: "http://127.0.0.1:1/m" }']))).join('\n')).toMatch(/has both `pid` and `url`/);
    expect((await issuesOf(file('pid.yaml', [...spikeStages, 'monitor: { pid: "abc" }']))).join('\n')).toMatch(/monitor\.pid: "abc" is not a process id/);
    expect((await issuesOf(file('ftp.yaml', [...spikeStages, 'monitor: { url: "ftp://127.0.0.1/m" }']))).join('\n')).toMatch(/monitor\.url: .* not an http or https URL/);
    expect((await issuesOf(file('fast.yaml', [...spikeStages, 'monitor: { pid: 1, interval: 100ms }']))).join('\n')).toMatch(/monitor\.interval: must be at least 1s/);
    expect((await issuesOf(file('typo.yaml', [...spikeStages, 'monitor: { pdi: 1 }']))).join('\n')).toMatch(/monitor\.pdi/);
  });
});

describe('stopOnBreak', () => {
  it('needs a staircase', async () => {
    expect((await issuesOf(file('no-stairs.yaml', [...spikeStages, 'stopOnBreak: true']))).join('\n')).toMatch(/stopOnBreak: needs a staircase/);
    const stairs = file('stairs.yaml', [
      'baseUrl: http://127.0.0.1:8080',
      'stages:',
      '  - { name: s1, duration: 1m, from: 100, rate: 100 }',
      '  - { name: s2, duration: 1m, from: 200, rate: 200 }',
      '  - { name: s3, duration: 1m, from: 300, rate: 300 }',
      'requests:',
      '  - { name: ping, path: /ping }',
      'stopOnBreak: true',
    ]);
    expect(await issuesOf(stairs)).toEqual([]);
    expect((await loadProfile(stairs, { cwd: dir, env: {}, builtinDir: dir })).stopOnBreak).toBe(true);
  });
});

describe('the built-in profiles carry the seeds’ criteria', () => {
  const builtinDir = join(import.meta.dirname, '../../scenarios');
  const load = (name: string) => loadProfile(name, { cwd: tmpdir(), env: {}, builtinDir });

  it('spike: recovery within 5m of the spike, error rate < 5% during it', async () => {
    const rows = (await load('spike')).targets;
    expect(rows.find((r) => r.checks.some((c) => c.metric === 'recovery'))).toMatchObject({ phase: 'spike', checks: [{ metric: 'recovery', limit: 300_000 }] });
    expect(rows.find((r) => r.phase === 'spike')?.checks).toEqual([{ metric: 'errorRate', limit: 0.05 }]);
  });

  it('soak: drift < 2% over the soak', async () => {
    const rows = (await load('soak')).targets;
    expect(rows.find((r) => r.checks.some((c) => c.metric === 'drift'))).toMatchObject({ phase: 'soak', checks: [{ metric: 'drift', limit: 0.02 }] });
  });

  it('stress: a staircase that stops at its breaking point', async () => {
    expect((await load('stress')).stopOnBreak).toBe(true);
  });
});
