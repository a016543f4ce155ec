// Pure parts of the run overrides: dotenv files, the ad-hoc profile's YAML, -c/-R on a profile,
// the plan cut at the end of a -n run.
import { describe, expect, it } from 'vitest';
import { adhocProfileYaml } from '../../src/config/adhoc-profile.js';
import { parseDotenv } from '../../src/config/dotenv.js';
import { applyLoadOverrides } from '../../src/config/overrides.js';
import { buildPlan, trimPlan } from '../../src/engine/plan.js';
import { parseRunFlags } from '../../src/app/run-options.js';
import { PerfctlError } from '../../src/errors.js';
import { combinedExitCode, folderFor } from '../../src/app/run-many.js';
import type { Profile } from '../../src/config/types.js';

describe('parseDotenv', () => {
  it.each([
    ['A=1', { A: '1' }],
    ['export A=1', { A: '1' }],
    ['# comment\n\nA = spaced  ', { A: 'spaced' }],
    ["A='single # kept $x'", { A: 'single # kept $x' }],
    ['A="double\\nline \\"q\\""', { A: 'double\nline "q"' }],
    ['A=value # inline comment', { A: 'value' }],
    ['A=x=y', { A: 'x=y' }],
    ['A=', { A: '' }],
    ['A=1\r\nB=2', { A: '1', B: '2' }],
  ])('%j', (text, values) => {
    expect(parseDotenv(text)).toEqual({ values, problems: [] });
  });

  it('names the line of what it cannot read', () => {
    expect(parseDotenv('A=1\nnot a pair\nB="open').problems).toEqual([
      { line: 2, message: 'expected NAME=value, got "not a pair"' },
      { line: 3, message: 'the quoted value of B is not closed' },
    ]);
  });
});

describe('adhocProfileYaml', () => {
  it('one request with the flags, 10 users for 10 s by default', async () => {
    const text = await adhocProfileYaml('http://127.0.0.1:8080/api/items?x=1', { headers: ['X-Trace: ${not-env}'] }, '/');
    expect(text).toContain('baseUrl: http://127.0.0.1:8080');
    expect(text).toContain('path: /api/items?x=1');
    expect(text).toContain('duration: 10s');
    expect(text).toContain('vus: 10');
    expect(text).toContain('x-trace: $${not-env}'); // kept as typed, not read as ${ENV}
  });

  it('a body makes a POST, JSON-looking text gets its content type; -T and -R win', async () => {
    const text = await adhocProfileYaml('http://h:1/p', { headers: [], body: '{"a":1}', rate: 50, durationMs: 5000 }, '/');
    expect(text).toMatch(/method: POST/);
    expect(text).toMatch(/content-type: application\/json/);
    expect(text).toMatch(/rate: 50/);
    const typed = await adhocProfileYaml('http://h:1/p', { headers: [], body: 'a=1', contentType: 'application/x-www-form-urlencoded', method: 'put' }, '/');
    expect(typed).toMatch(/method: PUT/);
    expect(typed).toMatch(/content-type: application\/x-www-form-urlencoded/);
  });

  it('refuses a header without a colon and an unreadable @file', async () => {
    await expect(adhocProfileYaml('http://h:1/p', { headers: ['nocolon'] }, '/')).rejects.toThrow(/-H "nocolon" is not a header/);
    await expect(adhocProfileYaml('http://h:1/p', { headers: [], body: '@/no/such/file' }, '/')).rejects.toThrow(/cannot read the file/);
  });
});

const base: Profile = {
  name: 'p', description: '', source: 'p.yaml', baseUrl: 'http://h', model: 'closed',
  stages: [
    { name: 'up', durationMs: 10_000, fromLevel: 0, toLevel: 50 },
    { name: 'steady', durationMs: 20_000, fromLevel: 50, toLevel: 50 },
  ],
  requests: [], flows: [], data: [], timeoutMs: 1000, thinkTime: { minMs: 0, maxMs: 0 }, maxInFlight: 100,
  targets: [], targetsSource: null, secrets: [],
};

describe('applyLoadOverrides', () => {
  it('-c: one hold of n users for the profile length, or -d', () => {
    expect(applyLoadOverrides(base, { vus: 7 }).stages).toEqual([{ name: 'hold', durationMs: 30_000, fromLevel: 7, toLevel: 7 }]);
    expect(applyLoadOverrides(base, { rate: 9, durationMs: 5000 })).toMatchObject({ model: 'open', stages: [{ durationMs: 5000, toLevel: 9 }] });
    expect(applyLoadOverrides(base, {})).toBe(base);
  });

  const refused = (profile: Profile, overrides: Parameters<typeof applyLoadOverrides>[1]): string => {
    try {
      applyLoadOverrides(profile, overrides);
    } catch (error) {
      expect(error).toBeInstanceOf(PerfctlError);
      expect((error as PerfctlError).exitCode).toBe(2);
      return (error as Error).message;
    }
    throw new Error('not refused');
  };

  it('refuses what does not fit, saying why', () => {
    expect(refused(base, { vus: 1, rate: 1 })).toMatch(/cannot be used together/);
    expect(refused({ ...base, thinkTime: { minMs: 1000, maxMs: 1000 } }, { rate: 10 })).toMatch(/users that think 1s/);
    const thinking = { ...base, flows: [{ name: 'journey', weight: 1, steps: [{ kind: 'think' as const, thinkTime: { minMs: 1, maxMs: 1 } }] }] };
    expect(refused(thinking, { rate: 10 })).toMatch(/flow "journey" .* think steps/);
    const phased = { ...base, targets: [{ name: 'ramp row', requests: null, phase: 'up', checks: [], abortOnFail: false }] };
    expect(refused(phased, { vus: 5 })).toMatch(/target row "ramp row" judges phase "up"/);
  });
});

describe('parseRunFlags overrides', () => {
  it.each([
    [{ vus: '0' }, /-c\/--vus must be a whole number above 0/],
    [{ vus: '2.5' }, /-c\/--vus must be a whole number/],
    [{ rate: 'x' }, /-R\/--rate must be a number above 0/],
    [{ requests: '-1' }, /-n\/--requests must be a whole number above 0/],
    [{ vus: '1', rate: '1' }, /cannot be used together/],
    [{ env: ['NOEQUALS'] }, /-e\/--env "NOEQUALS" is not NAME=value/],
    [{ meta: ['=x'] }, /--meta "=x" is not NAME=value/],
    [{ seed: '-3' }, /--seed must be a whole number/],
    [{ timeout: '5' }, /--timeout: duration "5" has no unit/],
  ])('%j', (flags, message) => {
    expect(() => parseRunFlags(flags)).toThrow(message);
  });

  it('reads -e and --meta pairs (a value may hold =)', () => {
    const settings = parseRunFlags({ env: ['A=1', 'B=x=y'], meta: ['commit=abc'], requests: '1000', rate: '2.5', seed: '7' });
    expect(settings).toMatchObject({ env: { A: '1', B: 'x=y' }, meta: { commit: 'abc' }, requestLimit: 1000, rate: 2.5, seed: 7 });
  });
});

describe('trimPlan', () => {
  it('cuts the stage running at the end and drops the later ones', () => {
    const plan = buildPlan('closed', base.stages);
    const trimmed = trimPlan(plan, 5000);
    expect(trimmed.totalMs).toBe(5000);
    expect(trimmed.stages).toHaveLength(1);
    expect(trimmed.stages[0]).toMatchObject({ name: 'up', durationMs: 5000, endMs: 5000, fromLevel: 0, toLevel: 25 });
    expect(trimPlan(plan, 40_000)).toBe(plan);
  });
});

describe('several profiles', () => {
  it.each([
    [[0, 0], 0],
    [[0, 4], 4],
    [[4, 1, 0], 1],
    [[1, 3], 3],
    [[0, 130], 130],
  ])('exit codes %j -> %i', (codes, code) => {
    expect(combinedExitCode(codes)).toBe(code);
  });

  it('folders by position and name', () => {
    expect(folderFor('scenarios/spike.yaml', 0)).toBe('1-spike');
    expect(folderFor('http://127.0.0.1:8080/api/items?x=1', 1)).toBe('2-127.0.0.1_8080_api_items_x_1');
  });
});
