// Golden tests of `perfctl import`: each fixture (the seeds' plans, k6 scripts, an Artillery mix, a
// HAR of the demo service) is converted in process, and the output and the printed report must equal
// the files checked in under test/fixtures/import/expected/, so a change in conversion shows in the
// diff. UPDATE_GOLDEN=1 rewrites them.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { importCommand } from '../../src/app/import.js';
import type { ImportFlags } from '../../src/app/import.js';
import type { Io } from '../../src/io.js';

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/import');
const expectedDir = join(fixtures, 'expected');
const scratch = mkdtempSync(join(tmpdir(), 'perfctl-import-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function captureIo(cwd: string): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (text: string) => void (io.stdout += text),
    err: (text: string) => void (io.stderr += text),
    env: {},
    cwd,
    isTTY: false,
    color: false,
    onInterrupt: () => () => undefined,
  };
  return io;
}

interface GoldenCase {
  name: string;
  file: string;
  flags?: Omit<ImportFlags, 'output'>;
  exit: number;
}

export const goldenCases: GoldenCase[] = [
  { name: 'codementor-targets', file: 'markdown/codementor-performance.md', exit: 0 },
  { name: 'codementor-targets-journeys', file: 'markdown/codementor-performance.md', flags: { profile: '../../../examples/journeys/journeys.yaml' }, exit: 1 },
  { name: 'codementor-throughput', file: 'markdown/codementor-performance.md', flags: { table: '2' }, exit: 1 },
  { name: 'learnify-targets', file: 'markdown/learnify-benchmarks.md', exit: 0 },
  { name: 'learnify-results-template', file: 'markdown/learnify-benchmarks.md', flags: { table: '2' }, exit: 1 },
  { name: 'samplemind-targets', file: 'markdown/samplemind-performance.md', exit: 0 },
  { name: 'zoptal-thresholds', file: 'markdown/zoptal-monitoring.md', exit: 1 },
  { name: 'codementor-mix', file: 'artillery/codementor-mix.yml', exit: 1 },
  { name: 'learnify-baseline', file: 'k6/learnify-baseline.js', flags: { baseUrl: 'http://127.0.0.1:8080' }, exit: 1 },
  { name: 'learnify-endurance', file: 'k6/learnify-endurance.js', exit: 1 },
  { name: 'learnify-spike', file: 'k6/learnify-spike.js', exit: 1 },
  { name: 'zoptal-auth', file: 'k6/zoptal-auth.js', exit: 1 },
  { name: 'demo-session', file: 'har/demo-session.har', exit: 0 },
  { name: 'demo-session-assets', file: 'har/demo-session.har', flags: { includeAssets: true }, exit: 0 },
];

async function runCase(testCase: GoldenCase): Promise<{ code: number; output: string; report: string; extras: [string, string][] }> {
  const io = captureIo(fixtures);
  const caseDir = join(scratch, testCase.name);
  const outputFile = join(caseDir, `${testCase.name}.yaml`);
  const code = await importCommand(testCase.file, { ...testCase.flags, output: outputFile }, io);
  const output = readFileSync(outputFile, 'utf8');
  // the report names the output by its path: the scratch directory differs on every run
  const report = (io.stdout + io.stderr).split(caseDir).join('<out>');
  // files written beside the output (a payload CSV with its header row)
  const extras = readdirSync(caseDir)
    .filter((name) => name !== basename(outputFile))
    .map((name): [string, string] => [name, readFileSync(join(caseDir, name), 'utf8')]);
  return { code, output, report, extras };
}

function golden(file: string, actual: string): void {
  const path = join(expectedDir, file);
  if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(path)) writeFileSync(path, actual);
  expect(actual, `${file} differs from the checked-in conversion (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(path, 'utf8'));
}

describe('perfctl import: golden conversions of the fixtures', () => {
  it.each(goldenCases)('$name ($file)', async (testCase) => {
    const { code, output, report, extras } = await runCase(testCase);
    golden(`${testCase.name}.yaml`, output);
    golden(`${testCase.name}.report.txt`, report);
    for (const [name, content] of extras) golden(`${testCase.name}.${name}`, content);
    expect(code, report).toBe(testCase.exit);
    // the output validates: the report ends with validate's own line
    expect(report).toMatch(/\nok {2}<out>\/\S+ \((profile|target table)\)\n$/);
  });
});
