import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareCommand } from '../../src/app/compare.js';
import { compareResults } from '../../src/compare/compare.js';
import { renderComparisonMarkdown, renderComparisonText } from '../../src/report/comparison-text.js';
import { PerfctlError } from '../../src/errors.js';
import type { Comparison } from '../../src/result/types.js';
import { makeResult, spread } from '../helpers/result-fixture.js';

const fast = (profileName = 'spike') =>
  makeResult({ profileName, cells: [{ group: 'login|admin', phase: 'main', latenciesMs: spread(3000, 10, 30) }] });
const slow = () => makeResult({ profileName: 'spike', cells: [{ group: 'login|admin', phase: 'main', latenciesMs: spread(3000, 15, 45) }] });

let dir: string;
const files: Record<string, string> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'perfctl-compare-'));
  for (const [name, result] of Object.entries({ base: fast(), same: fast(), slow: slow(), soak: fast('soak') })) {
    files[name] = join(dir, `${name}.json`);
    await writeFile(files[name]!, JSON.stringify(result));
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function capture(): { out: string[]; io: { stdout: (s: string) => void } } {
  const out: string[] = [];
  return { out, io: { stdout: (s) => void out.push(s) } };
}

describe('compareCommand', () => {
  it('exit 0 and a table without REGRESSION for the same numbers', async () => {
    const { out, io } = capture();
    expect(await compareCommand(files['base']!, files['same']!, { io })).toBe(0);
    const text = out.join('');
    expect(text).toContain('scope');
    expect(text).not.toContain('REGRESSION');
    expect(text.trimEnd().split('\n').at(-1)).toBe(`no regression against ${files['base']} (tolerance: latency 10%, throughput 10%, errorRate 1 pp)`);
  });

  it('exit 1 on a regression, with the marker and why', async () => {
    const { out, io } = capture();
    expect(await compareCommand(files['base']!, files['slow']!, { io })).toBe(1);
    const text = out.join('');
    expect(text).toMatch(/p95 .*REGRESSION/);
    expect(text).toMatch(/REGRESSION total p95: \+50\.\d% beyond the 10\.0% tolerance; 99% intervals/);
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/^6 regressions against /);
  });

  it('--tolerance and --format json', async () => {
    const { out, io } = capture();
    expect(await compareCommand(files['base']!, files['slow']!, { io, tolerance: '60%', format: 'json' })).toBe(0);
    const comparison = JSON.parse(out.join('')) as Comparison;
    expect(comparison.tolerance).toEqual({ latency: 0.6, throughput: 0.6, errorRate: 0.01 });
    expect(comparison.regressions).toBe(0);
  });

  it('refuses different profiles (exit 2) unless --force', async () => {
    const { io } = capture();
    await expect(compareCommand(files['base']!, files['soak']!, { io })).rejects.toMatchObject({ exitCode: 2 });
    expect(await compareCommand(files['base']!, files['soak']!, { io, force: true })).toBe(0);
  });

  it('a bad tolerance or a missing file is exit 2', async () => {
    const { io } = capture();
    await expect(compareCommand(files['base']!, files['same']!, { io, tolerance: 'fast' })).rejects.toBeInstanceOf(PerfctlError);
    await expect(compareCommand(join(dir, 'missing.json'), files['same']!, { io })).rejects.toMatchObject({ exitCode: 2 });
  });
});

describe('renderComparison', () => {
  const comparison = compareResults(fast(), slow(), { baselineFile: 'perf_results/base.json' });

  it('Markdown: a table with every entry, escaped names, and the regressions explained', () => {
    const md = renderComparisonMarkdown(comparison);
    const lines = md.trimEnd().split('\n');
    expect(lines[0]).toBe('**Baseline comparison:** 6 regressions against perf\\_results/base.json (tolerance: latency 10%, throughput 10%, errorRate 1 pp)');
    expect(lines).toContain('| scope | metric | baseline | current | change | |');
    expect(md).toMatch(/\| login\\\|admin \| p95 \| 29\.0 ms \| 43\.5 ms \| \+50\.\d% \| \*\*REGRESSION\*\* \|/);
    expect(lines.filter((l) => l.startsWith('| ')).length).toBe(1 + comparison.entries.length);
    expect(md).toContain('- **total p50**: ');
  });

  it('text: no colour codes', () => {
    // eslint-disable-next-line no-control-regex
    expect(renderComparisonText(comparison)).not.toMatch(/\u001b\[/);
  });
});
