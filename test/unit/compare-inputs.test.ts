// Inputs of compare, run --baseline and history: files, directories, several a side; every
// unusable input is exit 2 with the file and the reason, never a crash.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareCommand } from '../../src/app/compare.js';
import { historyCommand } from '../../src/app/history.js';
import { combinedExitCode, parseRepeat, renderRepeatTable } from '../../src/app/run-repeat.js';
import { ExitCode } from '../../src/errors.js';
import type { Io } from '../../src/io.js';
import { collectResults } from '../../src/result/collect-results.js';
import { makeResult, spread } from '../helpers/result-fixture.js';

let dir: string;
const run = (profileName: string, ms: number, hour: number) =>
  makeResult({ profileName, startedAt: new Date(Date.UTC(2026, 0, 1, hour)).toISOString(), cells: [{ group: 'api', phase: 'main', latenciesMs: spread(2000, ms, ms * 1.2) }] });

function io(): Io & { text: () => string } {
  let out = '';
  return {
    out: (s) => void (out += s),
    err: () => undefined,
    env: {},
    cwd: dir,
    isTTY: false,
    color: false,
    onInterrupt: () => () => undefined,
    text: () => out,
  };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'perfctl-inputs-'));
  for (const side of ['base', 'cur']) mkdirSync(join(dir, side, 'nested'), { recursive: true });
  for (let i = 1; i <= 3; i++) writeFileSync(join(dir, 'base', `result-${i}.json`), JSON.stringify(run('normal', 20, i)));
  writeFileSync(join(dir, 'base', 'nested', 'result.json'), JSON.stringify(run('normal', 20, 4)));
  writeFileSync(join(dir, 'base', 'notes.json'), '{"not":"a result"}');
  for (let i = 1; i <= 4; i++) writeFileSync(join(dir, 'cur', `result-${i}.json`), JSON.stringify(run('normal', 30, 10 + i)));
  mkdirSync(join(dir, 'empty'));
  writeFileSync(join(dir, 'other.json'), JSON.stringify(run('spike', 20, 5)));
  const text = JSON.stringify(run('normal', 20, 6));
  writeFileSync(join(dir, 'truncated.json'), text.slice(0, Math.floor(text.length / 2)));
  writeFileSync(join(dir, 'v2.json'), JSON.stringify({ ...run('normal', 20, 7), schemaVersion: 2 }));
  writeFileSync(join(dir, 'broken.json'), JSON.stringify({ ...run('normal', 20, 8), totals: { requests: 'many' } }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('collecting results', () => {
  it('a directory gives its result.json and result-N.json files at any depth, in order; other JSON is left alone', async () => {
    const found = await collectResults([join(dir, 'base')], dir);
    expect(found.map((f) => f.file)).toEqual(['base/nested/result.json', 'base/result-1.json', 'base/result-2.json', 'base/result-3.json']);
  });

  it.each([
    ['empty', /empty: no result\.json in this directory/],
    ['missing.json', /missing\.json: no such file or directory/],
    ['truncated.json', /truncated\.json: not a JSON file/],
    ['v2.json', /v2\.json: unsupported result schemaVersion 2; this perfctl reads schemaVersion 1/],
    ['broken.json', /broken\.json: invalid perfctl result: \/totals/],
  ])('%s: exit 2 naming the file and the reason', async (name, message) => {
    const err = await collectResults([join(dir, name)], dir).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: ExitCode.invalidInput });
    expect((err as Error).message).toMatch(message);
  });
});

describe('compare with several results a side', () => {
  it('compares 4 baseline runs (a directory) with 4 current runs: the 20 -> 30 ms change holds across runs', async () => {
    const out = io();
    expect(await compareCommand('base', 'cur', { cwd: dir, io: { stdout: out.out } })).toBe(ExitCode.failed);
    expect(out.text()).toMatch(/REGRESSION total p50: \+50\.\d% beyond the 10\.0% tolerance/);
    expect(out.text()).toMatch(/4 baseline and 4 current runs/);
    expect(out.text()).toMatch(/against 4 results in base/);
  });

  it('several files joined with commas make one side', async () => {
    const out = io();
    const code = await compareCommand('base/result-1.json,base/result-2.json,base/result-3.json', 'cur', { cwd: dir, format: 'json', io: { stdout: out.out } });
    expect(code).toBe(ExitCode.failed);
    expect(JSON.parse(out.text()).method).toMatchObject({ baselineRuns: 3, currentRuns: 4, runAlpha: 0.05 });
  });

  it('a result of another profile on a side is refused with its file named, unless --force', async () => {
    const err = await compareCommand('base', 'other.json', { cwd: dir, io: { stdout: () => undefined } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: ExitCode.invalidInput });
    expect((err as Error).message).toMatch(/^other\.json: cannot compare runs of different profiles: baseline "normal", current "spike"/);
    expect(await compareCommand('base', 'other.json', { cwd: dir, force: true, io: { stdout: () => undefined } })).toBe(ExitCode.ok);
  });

  it.each(['empty', 'truncated.json', 'v2.json'])('bad input on a side (%s): exit 2', async (name) => {
    await expect(compareCommand('base', name, { cwd: dir, io: { stdout: () => undefined } })).rejects.toMatchObject({ exitCode: ExitCode.invalidInput });
  });
});

describe('history inputs', () => {
  it('refuses mixed profiles, naming the file, unless --force', async () => {
    const err = await historyCommand(['base', 'other.json'], {}, io()).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: ExitCode.invalidInput });
    expect((err as Error).message).toMatch(/^other\.json: a result of profile "spike", but base\/nested\/result\.json is of "normal"; history takes the runs of one profile/);
    expect(await historyCommand(['base', 'other.json'], { force: true, metric: 'p95' }, io())).toBe(ExitCode.ok);
  });

  it.each([
    [{ metric: 'p42' }, /--metric p42: not one of p50, p95, p99, rps, errorRate/],
    [{ group: ['nope'] }, /--group nope: no run has a request or flow of that name/],
    [{ tolerance: 'fast' }, /tolerance/],
  ])('bad flags %j: exit 2', async (flags, message) => {
    const err = await historyCommand(['base'], flags, io()).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: ExitCode.invalidInput });
    expect((err as Error).message).toMatch(message);
  });

  it.each(['empty', 'truncated.json', 'v2.json', 'broken.json'])('bad input (%s): exit 2', async (name) => {
    await expect(historyCommand([name], {}, io())).rejects.toMatchObject({ exitCode: ExitCode.invalidInput });
  });
});

describe('perfctl history on result files', () => {
  /** 20 runs in their own folders whose latencies follow `levels` (ms), one hour apart */
  function writeRuns(name: string, levels: number[]): string {
    const root = join(dir, name);
    levels.forEach((ms, i) => {
      mkdirSync(join(root, `run-${i + 1}`), { recursive: true });
      writeFileSync(join(root, `run-${i + 1}`, 'result.json'), JSON.stringify(run('normal', ms, 20 + i)));
    });
    return root;
  }
  const wobble = (i: number): number => 1 + 0.02 * Math.sin(i * 2.3);

  it('20 results with a +20% step after run 12: names run 12 ± 1 and exits 1', async () => {
    const root = writeRuns('stepped', Array.from({ length: 20 }, (_, i) => (i >= 12 ? 24 : 20) * wobble(i)));
    const out = io();
    expect(await historyCommand([root], { metric: 'p95', group: ['total'], out: join(dir, 'stepped-out') }, out)).toBe(ExitCode.failed);
    expect(out.text()).toMatch(/total\s+p95 .* after run 1[123] \(/);
    expect(out.text()).toMatch(/✖ the newest run is after a change for the worse: total p95 \+\d+\.\d% after run 1[123]/);
    expect(out.text()).toMatch(/Reports: .*history\.html, .*history\.json/);
  });

  it('20 flat results: no change point, exit 0; a checkpoint of a running run is left out and said so', async () => {
    const root = writeRuns('flat', Array.from({ length: 20 }, (_, i) => 20 * wobble(i)));
    writeFileSync(join(root, 'run-1', 'result.json'), JSON.stringify({ ...run('normal', 90, 60), status: 'running', verdict: 'inconclusive', reason: 'running: a checkpoint' }));
    const out = io();
    expect(await historyCommand([root], {}, out)).toBe(ExitCode.ok);
    expect(out.text()).not.toMatch(/after run/);
    expect(out.text()).toMatch(/History of normal: 19 runs/);
    expect(out.text()).toMatch(/Left out: 1 run that did not complete \(running\)/);
  });
});

describe('run --repeat', () => {
  it.each([
    [[0, 0, 0], 0, ExitCode.ok],
    [[0, 4, 0], 0, ExitCode.inconclusive],
    [[0, 1, 4], 0, ExitCode.failed],
    [[0, 0], 2, ExitCode.failed],
    [[0, 130], 0, ExitCode.interrupted],
    [[3], 0, ExitCode.cannotRun],
  ])('exit codes %j with %i regressions: %i', (codes, regressions, expected) => {
    expect(combinedExitCode(codes, regressions)).toBe(expected);
  });

  it.each(['0', '-1', '2.5', 'x', '101'])('--repeat %s is refused', (text) => {
    expect(() => parseRepeat(text)).toThrow(/--repeat must be a whole number from 1 to 100/);
  });

  it('the combined table has a row per run and the median', () => {
    const table = renderRepeatTable([run('normal', 20, 1), run('normal', 30, 2), run('normal', 40, 3)]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toMatch(/^median\s+2000\s+/);
  });
});
