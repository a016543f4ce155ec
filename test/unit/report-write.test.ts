import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFormats, writeReports, serialiseResult } from '../../src/report/write-reports.js';
import { PerfctlError } from '../../src/errors.js';
import { validateResult } from '../../src/result/validate-result.js';
import { makeResult, spread } from '../helpers/result-fixture.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'perfctl-reports-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const result = (name = 'spike') => makeResult({ profileName: name, cells: [{ group: 'a', phase: 'main', latenciesMs: spread(100, 1, 10) }] });

describe('parseFormats', () => {
  it('reads a comma list, always includes json, keeps order, drops repeats', () => {
    expect(parseFormats('json,html')).toEqual(['json', 'html']);
    expect(parseFormats('html')).toEqual(['json', 'html']);
    expect(parseFormats(' md , JUnit,md,json ')).toEqual(['json', 'md', 'junit']);
    expect(parseFormats('')).toEqual(['json']);
  });

  it('an unknown format is exit 2, naming it and the valid ones', () => {
    const attempt = (list: string): PerfctlError => {
      try {
        parseFormats(list);
      } catch (e) {
        return e as PerfctlError;
      }
      throw new Error('expected an error');
    };
    const e = attempt('json,xml');
    expect(e).toBeInstanceOf(PerfctlError);
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('--format: unknown report format "xml"; valid formats: json, html, junit, md');
    expect(attempt('pdf,markdown').message).toMatch(/unknown report formats "pdf", "markdown"; valid formats: json, html, junit, md/);
  });
});

describe('writeReports', () => {
  it('writes every chosen report, atomically, with no temp file left', async () => {
    const out = join(dir, 'all', 'nested');
    const r = result();
    const paths = await writeReports([r], out, parseFormats('json,html,junit,md'), { html: (rs) => `<html>${rs.length}</html>` });
    expect(paths).toEqual(['result.json', 'report.html', 'junit.xml', 'summary.md'].map((f) => join(out, f)));
    expect((await readdir(out)).sort()).toEqual(['junit.xml', 'report.html', 'result.json', 'summary.md']);
    const json = await readFile(join(out, 'result.json'), 'utf8');
    expect(json).toContain('\n  "schemaVersion": 1,'); // pretty-printed
    expect(validateResult(JSON.parse(json))).toEqual([]);
    expect(JSON.parse(json)).toEqual(r);
    expect(await readFile(join(out, 'report.html'), 'utf8')).toBe('<html>1</html>');
    expect(await readFile(join(out, 'junit.xml'), 'utf8')).toContain('<testsuite name="spike"');
    expect(await readFile(join(out, 'summary.md'), 'utf8')).toContain('## ✅ PASS spike');
  });

  it('only the chosen formats; result.json only for exactly one result', async () => {
    const out = join(dir, 'several');
    const paths = await writeReports([result('a'), result('b')], out, ['json', 'md']);
    expect(paths).toEqual([join(out, 'summary.md')]);
    expect(await readdir(out)).toEqual(['summary.md']);
  });

  it('refuses to write an invalid result.json (exit 3) and writes nothing', async () => {
    const out = join(dir, 'invalid');
    const r = result();
    r.totals.rps = Number.NaN;
    const error = await writeReports([r], out, parseFormats('json,md')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PerfctlError);
    expect((error as PerfctlError).exitCode).toBe(3);
    expect((error as PerfctlError).message).toMatch(/\/totals\/rps/);
    await expect(readdir(out)).rejects.toThrow(); // the directory was never even created
  });

  it('serialiseResult validates what is written', () => {
    const r = result();
    expect(JSON.parse(serialiseResult(r))).toEqual(r);
    (r as { status: string }).status = 'done';
    expect(() => serialiseResult(r)).toThrow(/\/status/);
  });

  it('html without a renderer: the other reports are still written, then exit 3', async () => {
    const out = join(dir, 'no-html');
    const error = await writeReports([result()], out, parseFormats('html,md')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PerfctlError);
    expect((error as PerfctlError).exitCode).toBe(3);
    expect((error as PerfctlError).message).toContain('report.html');
    expect((await readdir(out)).sort()).toEqual(['result.json', 'summary.md']);
  });
});
