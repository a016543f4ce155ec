// Service resources (cpu, memory) and capacity (breakingPoint) rows: read from a target table
// or a profile (a resource row needs a monitor, a breakingPoint a staircase) and judged on the
// monitor's samples and the breaking-point analysis.
import { describe, expect, it } from 'vitest';
import { checkProfileText, checkTargetsText } from '../../src/config/check-source.js';
import type { TargetRow } from '../../src/config/types.js';
import { evaluateTargets } from '../../src/judge/checks.js';
import type { Analysis, BreakingPointAnalysis, BreakingStep } from '../../src/result/analysis-types.js';
import type { TimelinePoint } from '../../src/result/types.js';

const table = (rows: string): ReturnType<typeof checkTargetsText> => checkTargetsText(`targets:\n${rows}`, 't.yaml', {});

describe('reading cpu, memory and breakingPoint rows', () => {
  it.each([
    ['cpu: 60%', [{ metric: 'cpu', limit: 0.6 }]],
    ['cpu: 150%', [{ metric: 'cpu', limit: 1.5 }]],
    ['cpu: { warn: 50%, fail: 80% }', [{ metric: 'cpu', limit: 0.5, severity: 'warn' }, { metric: 'cpu', limit: 0.8, severity: 'fail' }]],
    ['memory: 1.5GB', [{ metric: 'memory', limit: 1536 }]],
    ['memory: 512MB', [{ metric: 'memory', limit: 512 }]],
    ['memory: 256MiB', [{ metric: 'memory', limit: 256 }]],
    ['breakingPoint: { atLeast: 400 }', [{ metric: 'breakingPoint', limit: 400 }]],
  ])('%s', (text, checks) => {
    const { rows, issues } = table(`  - { name: Service, ${text} }\n`);
    expect(issues).toEqual([]);
    expect(rows[0]!.checks).toEqual(checks);
  });

  it.each([
    ['memory: 512', /memory 512 has no unit/],
    ['memory: lots', /is not a memory size|memory/],
    ['cpu: fast', /CPU share|cpu/],
    ['breakingPoint: 400', /atLeast|object/],
    ['breakingPoint: { atLeast: 0 }', /atLeast|0/],
  ])('%s is an input error', (text, message) => {
    const { issues } = table(`  - { name: Service, ${text} }\n`);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.map((i) => i.message).join(' ')).toMatch(message);
  });

  const profile = (top: string, targets: string, demo = false) =>
    checkProfileText(
      `name: p\nbaseUrl: http://127.0.0.1:1\n${top}requests:\n  - { name: home, path: / }\nstages:\n  - { name: a, duration: 10s, from: 10, rate: 10 }\n  - { name: b, duration: 10s, from: 20, rate: 20 }\n  - { name: c, duration: 10s, from: 30, rate: 30 }\ntargets:\n${targets}`,
      '/tmp/p.yaml',
      'p.yaml',
      { cwd: '/tmp', env: {}, defaultName: 'p', ...(demo ? { demo: true } : {}) },
    );

  it('a resource row without a monitor: one issue at its key (file:line:col), nothing else', async () => {
    const { issues } = await profile('', '  - name: Service\n    cpu: 60%\n    memory: 1GB\n');
    expect(issues.map((i) => [i.path, i.line, i.col])).toEqual([
      ['targets.0.cpu', 11, 5],
      ['targets.0.memory', 12, 5],
    ]);
    expect(issues[0]!.message).toMatch(/no `monitor`/);
    expect(issues[0]!.hint).toMatch(/--demo/);
  });

  it('with a monitor, or with --demo (the demo process is monitored), it is fine', async () => {
    expect((await profile('monitor: { pid: 1 }\n', '  - { name: Service, cpu: 60%, memory: 1GB }\n')).issues).toEqual([]);
    expect((await profile('', '  - { name: Service, cpu: 60%, memoryGrowth: 10% }\n', true)).issues).toEqual([]);
  });

  it('breakingPoint needs a staircase', async () => {
    expect((await profile('', '  - { name: Capacity, breakingPoint: { atLeast: 20 } }\n')).issues).toEqual([]);
    const flat = await checkProfileText(
      'name: p\nbaseUrl: http://127.0.0.1:1\nrequests:\n  - { name: home, path: / }\nstages:\n  - { duration: 10s, rate: 10 }\ntargets:\n  - { name: Capacity, breakingPoint: { atLeast: 20 } }\n',
      '/tmp/p.yaml', 'p.yaml', { cwd: '/tmp', env: {}, defaultName: 'p' },
    );
    expect(flat.issues.map((i) => i.path)).toEqual(['targets.0.breakingPoint']);
    expect(flat.issues[0]!.message).toMatch(/staircase/);
  });
});

const row = (checks: TargetRow['checks'], phase: string | null = null): TargetRow => ({ name: 'Service', requests: null, phase, abortOnFail: false, checks });
const resources = { source: 'pid 1', samples: 4, intervalMs: 1000, startMemoryMB: 100, endMemoryMB: 130, peakMemoryMB: 130, memoryGrowth: 0.3, meanCpuPercent: 50, peakCpuPercent: 90 } as Analysis['resources'];
// stage a over 0-2 s, stage b over 2-4 s; CPU 20%, 30% in a, 90%, 70% in b; memory peaks at 130 MB in b
const timeline: TimelinePoint[] = [
  { t: 1, cpuPercent: 20, memoryMB: 100 },
  { t: 2, cpuPercent: 30, memoryMB: 110 },
  { t: 3, cpuPercent: 90, memoryMB: 130 },
  { t: 4, cpuPercent: 70, memoryMB: 120 },
].map((p) => ({ requests: 10, errors: 0, rps: 10, p50: 1, p95: 1, p99: 1, level: 10, ...p }) as TimelinePoint);
const phases = [{ name: 'a', startMs: 0, endMs: 2000 }, { name: 'b', startMs: 2000, endMs: 4000 }];
const judge = (rows: TargetRow[], analysis: Analysis) => evaluateTargets(rows, [], phases, 4000, analysis, timeline);

describe('judging cpu and memory on the monitor samples', () => {
  it.each([
    // metric, limit, phase, state, actual, samples
    ['cpu', 0.6, null, 'pass', 0.525, 4],
    ['cpu', 0.5, null, 'fail', 0.525, 4],
    ['cpu', 0.3, 'a', 'pass', 0.25, 2],
    ['cpu', 0.6, 'b', 'fail', 0.8, 2],
    ['memory', 200, null, 'pass', 130, 4],
    ['memory', 115, 'a', 'pass', 110, 2],
    ['memory', 125, 'b', 'fail', 130, 2],
    ['memory', 130, null, 'fail', 130, 4],
  ] as const)('%s < %s over %s: %s', (metric, limit, phase, state, actual, samples) => {
    const [check] = judge([row([{ metric, limit }], phase)], { resources });
    expect(check).toMatchObject({ metric, state, samples, pass: state === 'pass', unit: metric === 'cpu' ? 'ratio' : 'MB' });
    expect(check!.actual).toBeCloseTo(actual, 6);
  });

  it('the messages say the value, what it is of and the limit', () => {
    const [cpu, memory] = judge([row([{ metric: 'cpu', limit: 0.6 }, { metric: 'memory', limit: 1536 }])], { resources });
    expect(cpu!.message).toBe('cpu 52.50% of a core (mean of 4 samples over the run) < 60%');
    expect(memory!.message).toBe('memory peak 130.0 MB (of 4 samples over the run) < 1536 MB');
  });

  it('no monitor, or no sample in scope: not judged (uncertain), never a pass', () => {
    const [noMonitor] = judge([row([{ metric: 'cpu', limit: 0.6 }])], {});
    expect(noMonitor).toMatchObject({ state: 'uncertain', pass: false, actual: null });
    const [empty] = evaluateTargets([row([{ metric: 'memory', limit: 100 }])], [], phases, 4000, { resources }, []);
    expect(empty).toMatchObject({ state: 'uncertain', actual: null });
  });
});

const step = (phase: string, level: number, over: Partial<BreakingStep> = {}): BreakingStep => ({ phase, level, rps: level, requests: 100, pass: true, complete: true, failed: [], insufficient: 0, ...over });
const broke = (s: BreakingStep): BreakingStep => ({ ...s, pass: false, failed: [{ row: 'API', metric: 'p95', limit: 200, actual: 450, unit: 'ms', message: 'p95 450.0 ms > 200 ms' }] });
function bp(steps: BreakingStep[]): BreakingPointAnalysis {
  const i = steps.findIndex((s) => !s.pass);
  const first = i < 0 ? null : steps[i]!;
  return { steps, lastGood: null, firstBroken: first ? { phase: first.phase, level: first.level, rps: first.rps, failed: first.failed } : null, stoppedEarly: false };
}

describe('judging breakingPoint: { atLeast } on the breaking-point analysis', () => {
  const capacity = row([{ metric: 'breakingPoint', limit: 400 }]);
  it.each([
    ['a step below 400 broke: fail', [step('s1', 200), broke(step('s2', 300)), step('s3', 400)], 'fail', 300, /s2 at 300 broke: API p95 450.0 ms > 200 ms \(below 400\)/],
    ['the first broken step is at 500: pass', [step('s1', 300), step('s2', 400), broke(step('s3', 500))], 'pass', 500, /first broken at s3 \(500\) ≥ 400/],
    ['nothing broke, up to 500: pass', [step('s1', 300), step('s2', 400), step('s3', 500)], 'pass', 500, /every step held, up to 500 ≥ 400/],
    ['nothing broke, but only up to 300: not judged', [step('s1', 100), step('s2', 200), step('s3', 300)], 'uncertain', null, /never reached 400/],
    ['a low step had too few samples but did not break, the first broken is at 500: pass', [step('s1', 200, { insufficient: 2 }), step('s2', 300), broke(step('s3', 500))], 'pass', 500, /first broken at s3 \(500\) ≥ 400/],
    ['nothing broke, but the top step had too few samples to show it held: not judged', [step('s1', 300), step('s2', 400), step('s3', 500, { insufficient: 1 })], 'uncertain', null, /s3 at 500 held, but 1 of its checks had too few samples/],
  ] as const)('%s', (_name, steps, state, actual, message) => {
    const [check] = judge([capacity], { breakingPoint: bp([...steps]) });
    expect(check).toMatchObject({ metric: 'breakingPoint', state, actual, unit: 'level' });
    expect(check!.message).toMatch(message);
  });

  it('no staircase analysis: not judged', () => {
    expect(judge([capacity], {})[0]).toMatchObject({ state: 'uncertain', actual: null });
  });
});
