// The built-in profiles, the example target tables and the `perfctl init` templates: valid for the
// config layer, shaped after the seeds, and sized so that a run against the demo service passes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initProject } from '../../src/app/init.js';
import { loadProfile, validateFile } from '../../src/config/load-profile.js';
import type { Profile } from '../../src/config/types.js';
import { createDemoModel, type DemoRoute } from '../../src/demo/demo-model.js';

const root = path.resolve(import.meta.dirname, '../..');
const builtinDir = path.join(root, 'scenarios');
const BUILTINS = ['normal', 'peak', 'spike', 'soak', 'stress'] as const;

async function builtin(name: string): Promise<Profile> {
  // cwd without a scenarios/ folder, so the name resolves to the built-in file
  return loadProfile(name, { cwd: tmpdir(), env: {}, builtinDir });
}

const totalMs = (profile: Profile): number => profile.stages.reduce((sum, s) => sum + s.durationMs, 0);
const peakLevel = (profile: Profile): number => Math.max(...profile.stages.map((s) => Math.max(s.fromLevel, s.toLevel)));

describe('built-in profiles', () => {
  it.each(BUILTINS)('%s.yaml is valid', async (name) => {
    const result = await validateFile(path.join(builtinDir, `${name}.yaml`), { cwd: root, env: {} });
    expect(result).toEqual({ kind: 'profile', issues: [] });
  });

  it.each(BUILTINS)('%s targets the demo endpoints, with a target for every request', async (name) => {
    const profile = await builtin(name);
    expect(profile.name).toBe(name);
    expect(profile.description).not.toBe('');
    expect(profile.baseUrl).toBe('http://127.0.0.1:8080');
    expect(profile.timeoutMs).toBe(10_000);
    expect(profile.requests.filter((r) => !r.stream).map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /api/challenges',
      'GET /api/challenges/7',
      'POST /api/auth/login',
      'POST /api/submissions',
    ]);
    // the seeds' normal and peak user mixes include the AI tutor: its answer streams (SSE)
    const streams = profile.requests.filter((r) => r.stream).map((r) => `${r.stream!.kind} ${r.stream!.url.source}`);
    expect(streams).toEqual(name === 'normal' || name === 'peak' ? ['sse /api/tutor/stream'] : []);
    const covered = new Set(profile.targets.flatMap((row) => row.requests ?? []));
    for (const request of profile.requests) expect(covered).toContain(request.name);
    expect(profile.targets.find((row) => row.name === 'Whole API')?.checks).toEqual([
      { metric: 'errorRate', limit: 0.01 },
    ]);
    // the password comes from ${PERFCTL_PASSWORD:-...}: a secret that reports must redact
    expect(profile.secrets).toContain('demo-password');
  });

  it('normal: ramp-up, long hold at 50 req/s, ramp-down; 10 minutes', async () => {
    const p = await builtin('normal');
    expect(p.model).toBe('open');
    expect(p.stages.map((s) => [s.fromLevel, s.toLevel])).toEqual([[0, 50], [50, 50], [50, 0]]);
    expect(totalMs(p)).toBe(10 * 60_000);
  });

  it('peak: about 3x normal with a short ramp', async () => {
    const [p, normal] = [await builtin('peak'), await builtin('normal')];
    expect(peakLevel(p) / peakLevel(normal)).toBe(3);
    expect(p.stages[0]?.durationMs).toBeLessThanOrEqual(2 * 60_000);
    expect(totalMs(p)).toBe(15 * 60_000);
  });

  it('spike: baseline, an instant 20x jump held 5 minutes, an instant drop, recovery', async () => {
    const p = await builtin('spike');
    expect(p.stages).toEqual([
      { name: 'baseline', durationMs: 300_000, fromLevel: 30, toLevel: 30 },
      { name: 'spike', durationMs: 300_000, fromLevel: 600, toLevel: 600 },
      { name: 'recovery', durationMs: 300_000, fromLevel: 30, toLevel: 30 },
    ]);
    const spikeRow = p.targets.find((row) => row.phase === 'spike');
    expect(spikeRow?.checks).toEqual([{ metric: 'errorRate', limit: 0.05 }]);
    expect(spikeRow?.abortOnFail).toBe(true);
  });

  it('soak: a long steady hold', async () => {
    const p = await builtin('soak');
    const hold = p.stages.find((s) => s.name === 'soak');
    expect(hold?.durationMs).toBe(2 * 3_600_000);
    expect(hold?.fromLevel).toBe(hold?.toLevel);
  });

  it('stress: a closed-model staircase of 10 two-minute steps', async () => {
    const p = await builtin('stress');
    expect(p.model).toBe('closed');
    expect(p.thinkTime).toEqual({ minMs: 500, maxMs: 1000 });
    expect(p.stages).toHaveLength(10);
    p.stages.forEach((stage, i) => {
      expect(stage).toMatchObject({ durationMs: 120_000, fromLevel: 50 * (i + 1), toLevel: 50 * (i + 1) });
    });
  });

  it('fit a 2-core laptop against the demo: at most 1000 req/s anywhere', async () => {
    for (const name of BUILTINS) {
      const p = await builtin(name);
      // closed model: users / (think + a latency of at least 20 ms) requests per second
      const maxRatePerSec =
        p.model === 'open' ? peakLevel(p) : peakLevel(p) / ((p.thinkTime.minMs + p.thinkTime.maxMs) / 2 / 1000 + 0.02);
      expect(maxRatePerSec, name).toBeLessThanOrEqual(1000);
    }
  });
});

describe('the demo service meets the built-in targets', () => {
  const routeOf: Record<string, DemoRoute> = {
    'list-challenges': 'listChallenges',
    'get-challenge': 'getChallenge',
    login: 'login',
    'submit-solution': 'createSubmission',
    'tutor-answer': 'tutorStream',
    'tutor-answer.first': 'tutorStream',
  };
  /** the demo's think time is the first chunk; the whole answer adds at most 13 chunks 200 ms apart */
  const streamedMs: Record<string, number> = { 'tutor-answer': 13 * 200 };

  it.each(BUILTINS)('%s: unloaded demo percentiles stay below every latency target with 3x margin (2x on a worst-case streamed answer)', async (name) => {
    const p = await builtin(name);
    const model = createDemoModel({ seed: 11 });
    for (const row of p.targets) {
      for (const check of row.checks) {
        const percentile = /^p([\d.]+)$/.exec(check.metric);
        if (!percentile || !row.requests) continue;
        for (const request of row.requests) {
          const route = routeOf[request];
          expect(route, request).toBeDefined();
          if (!route) continue;
          const delays = Array.from({ length: 5000 }, () => {
            const d = model.decide(route, 1);
            return d.kind === 'serve' ? d.delayMs + (streamedMs[request] ?? 0) : Infinity;
          }).sort((a, b) => a - b);
          const actual = delays[Math.floor((Number(percentile[1]) / 100) * delays.length)] ?? Infinity;
          // (a streamed answer's added time is already its worst case: 2x margin there)
          const margin = streamedMs[request] !== undefined ? 2 : 3;
          expect(actual * margin, `${row.name} ${request} ${check.metric}`).toBeLessThan(check.limit);
        }
      }
    }
  });

  it.each(BUILTINS)('%s: the demo error rate of the mix is far below the error-rate targets', async (name) => {
    const p = await builtin(name);
    const model = createDemoModel();
    const totalWeight = p.requests.reduce((sum, r) => sum + r.weight, 0);
    const mixErrorRate = p.requests.reduce(
      (sum, r) => sum + (r.weight / totalWeight) * model.routes[routeOf[r.name] ?? 'health'].errorRate,
      0,
    );
    const limits = p.targets.flatMap((row) => row.checks.filter((c) => c.metric === 'errorRate').map((c) => c.limit));
    expect(limits.length).toBeGreaterThan(0);
    for (const limit of limits) expect(mixErrorRate * 5).toBeLessThan(limit);
  });
});

describe('example target tables', () => {
  it.each(['codementor', 'learnify'])('examples/targets/%s.yaml is a valid target table', async (name) => {
    const result = await validateFile(path.join(root, 'examples', 'targets', `${name}.yaml`), { cwd: root, env: {} });
    expect(result).toEqual({ kind: 'targets', issues: [] });
  });

  it('examples/targets/codementor-demo.yaml has a request for every name codementor.yaml matches (validate --targets, as run --targets checks it)', async () => {
    const result = await validateFile(path.join(root, 'examples', 'targets', 'codementor-demo.yaml'), {
      cwd: root,
      env: {},
      targetsFile: path.join('examples', 'targets', 'codementor.yaml'),
    });
    expect(result).toEqual({ kind: 'profile', issues: [] });
  });
});

describe('perfctl init templates', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'perfctl-init-valid-'));
    await initProject(dir);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('scenarios/smoke.yaml is a valid profile whose targets come from ../targets/api.yaml', async () => {
    expect(await validateFile('scenarios/smoke.yaml', { cwd: dir, env: {} })).toEqual({ kind: 'profile', issues: [] });
    const profile = await loadProfile('smoke', { cwd: dir, env: {}, builtinDir });
    expect(profile.source).toBe(path.join('scenarios', 'smoke.yaml'));
    expect(profile.model).toBe('open');
    expect(profile.requests.map((r) => r.name)).toEqual(['health', 'login']);
    expect(profile.targets.map((row) => row.name)).toEqual(['Health check', 'User Authentication', 'Whole API']);
  });

  it('targets/api.yaml is a valid target table', async () => {
    expect(await validateFile('targets/api.yaml', { cwd: dir, env: {} })).toEqual({ kind: 'targets', issues: [] });
  });
});
