// Ctrl-C while the reports are being written: the writing finishes, every report is whole and
// no temporary file is left behind (a real child process and a real SIGINT).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeResult, spread } from '../helpers/result-fixture.js';
import { assertBuilt } from '../helpers/cli.js';

describe('signals during report writing', () => {
  it('SIGINT in the middle of writing: every report complete, no temporary file, exit 0', async () => {
    assertBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'perfctl-sigwrite-'));
    const resultFile = join(dir, 'input.json');
    writeFileSync(resultFile, JSON.stringify(makeResult({ profileName: 'big', cells: [{ group: 'a', phase: 'main', latenciesMs: spread(500, 1, 80) }] })));
    const writer = pathToFileURL(join(process.cwd(), 'dist/report/write-reports.js')).href;
    // a slow HTML renderer (600 ms, yielding) stands in for a large run's report
    const script = `
      import { writeReports } from ${JSON.stringify(writer)};
      import { readFileSync } from 'node:fs';
      const result = JSON.parse(readFileSync(${JSON.stringify(resultFile)}, 'utf8'));
      const slowHtml = () => { const until = Date.now() + 600; while (Date.now() < until); return '<!doctype html><p>done</p>'; };
      process.stdout.write('writing\\n');
      await new Promise((r) => setTimeout(r, 50));
      await writeReports([result], ${JSON.stringify(join(dir, 'out'))}, ['json', 'html', 'md'], { html: slowHtml });
      process.stdout.write('written\\n');
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // the signal lands while the (synchronous) HTML rendering is under way
      if (stdout.includes('writing') && !child.killed) setTimeout(() => child.kill('SIGINT'), 250);
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    expect(stdout).toContain('written');
    const files = readdirSync(join(dir, 'out')).sort();
    expect(files).toEqual(['report.html', 'result.json', 'summary.md']);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'result.json'), 'utf8')).profile.name).toBe('big');
    expect(readFileSync(join(dir, 'out', 'report.html'), 'utf8')).toContain('done');
  });
});
