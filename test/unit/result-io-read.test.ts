import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readResult } from '../../src/result/read-result.js';
import { PerfctlError } from '../../src/errors.js';
import { makeResult, spread } from '../helpers/result-fixture.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'perfctl-read-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const tamper = (result: ReturnType<typeof valid>, change: (r: ReturnType<typeof valid>) => void): ReturnType<typeof valid> => {
  change(result);
  return result;
};

const valid = () => makeResult({ profileName: 'peak', cells: [{ group: 'a', phase: 'main', latenciesMs: spread(100, 1, 20) }] });

async function fixture(name: string, contents: string | null): Promise<string> {
  const path = join(dir, name);
  if (contents !== null) await writeFile(path, contents);
  return path;
}

describe('readResult', () => {
  it('reads back a result written as JSON', async () => {
    const result = valid();
    const path = await fixture('ok.json', JSON.stringify(result));
    expect(await readResult(path)).toEqual(result);
  });

  // one fixture per error path, with the message expected (k6 style)
  const cases: Array<[string, string | null, RegExp]> = [
    ['missing.json', null, /result file not found/],
    ['not-json.json', '{ "schemaVersion": 1, ', /not a JSON file/],
    ['empty.json', '', /not a JSON file/],
    ['array.json', '[1, 2, 3]', /not a perfctl result/],
    ['k6-summary.json', JSON.stringify({ metrics: { http_req_duration: {} } }), /not a perfctl result \(no tool\.name "perfctl"\)/],
    ['other-tool.json', JSON.stringify({ schemaVersion: 1, tool: { name: 'artillery', version: '2' } }), /not a perfctl result/],
    ['version-2.json', JSON.stringify({ ...valid(), schemaVersion: 2 }), /unsupported result schemaVersion 2; this perfctl reads schemaVersion 1/],
    ['no-version.json', JSON.stringify({ ...valid(), schemaVersion: undefined }), /unsupported result schemaVersion null/],
    ['truncated.json', JSON.stringify({ ...valid(), totals: undefined }), /invalid perfctl result: \(root\): missing required property "totals"/],
    ['tampered-total.json', JSON.stringify(tamper(valid(), (r) => (r.histograms.total = 'HISTFAAAACB4nJNpmSzMwMDAxAABzFCaEUKzMDAwMDAwiQAAQ2oDzQ=='))), /histograms\.total: the histogram cannot be decoded/],
    ['tampered-cell.json', JSON.stringify(tamper(valid(), (r) => (r.cells[0]!.latency = 'bm90IGEgaGlzdG9ncmFt'))), /cells\.0\.latency: the histogram cannot be decoded/],
    ['tampered-phase-block.json', JSON.stringify(tamper(valid(), (r) => (r.phaseTimeBlocks = { main: { api: ['bm90IGEgaGlzdG9ncmFt'] } }))), /phaseTimeBlocks\.main\.api\.0: the histogram cannot be decoded/],
  ];
  it.each(cases)('%s: exit 2, one line naming the file', async (name, contents, expected) => {
    const path = await fixture(name, contents);
    const error = await readResult(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PerfctlError);
    const e = error as PerfctlError;
    expect(e.exitCode).toBe(2);
    expect(e.message.startsWith(`${path}: `)).toBe(true);
    expect(e.message).toMatch(expected);
    expect(e.message).not.toContain('\n');
  });

  it('a directory: exit 2 with a hint', async () => {
    const path = join(dir, 'a-run');
    await mkdir(path, { recursive: true });
    await expect(readResult(path)).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining(path) });
  });

  it('a newer schemaVersion hints at upgrading perfctl', async () => {
    const path = await fixture('v3.json', JSON.stringify({ ...valid(), schemaVersion: 3 }));
    await expect(readResult(path)).rejects.toMatchObject({ exitCode: 2, hint: expect.stringMatching(/upgrade perfctl/) });
  });
});
