// `perfctl report` through the built CLI: several real results make one self-contained sign-off
// report.html with every profile and an overall verdict (SPEC §1, §6); bad inputs exit 2.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, describeRun, makeTempDir, readResultFile, removeTempDir, runCli, writeProfile } from '../helpers/cli.js';
import { findAll, parseXml } from '../helpers/mini-xml.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let dir: string;
let passing: string;
let failing: string;

function profile(name: string, target: string): string {
  return [`name: ${name}`, `description: the ${name} journey`, 'baseUrl: ${TARGET_URL}', 'stages:', '  - { name: main, duration: 2s, rate: 50 }', 'requests:', `  - { name: ${name}-call, path: /${name} }`, 'targets:', `  - { name: ${name} row, ${target} }`, ''].join('\n');
}

beforeAll(async () => {
  assertBuilt();
  server = await startTestServer(() => ({ delayMs: 5 }));
  dir = makeTempDir();
  // one run that passes its target, one that cannot (p50 under 1 ms against a 5 ms service)
  for (const [name, target] of [
    ['checkout', 'errorRate: 1%'],
    ['search', 'p50: 1ms'],
  ] as const) {
    const file = writeProfile(dir, name, profile(name, target));
    const run = await runCli(['run', file, '--out', join(dir, name), '--quiet'], { cwd: dir, env: { TARGET_URL: server.url } });
    // 4 (inconclusive) when this machine could not keep the schedule
    expect(name === 'checkout' ? [0, 4] : [1, 4], describeRun(run)).toContain(run.code);
  }
  passing = join(dir, 'checkout', 'result.json');
  failing = join(dir, 'search', 'result.json');
});
afterAll(async () => {
  await server?.close();
  removeTempDir(dir);
});

const text = (html: string): string => html.replace(/<style[\s\S]*?<\/style>/g, ' ').replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('perfctl report (built CLI)', () => {
  it('two results -> one report.html with both profiles and an overall verdict, self-contained', async () => {
    const requestsBefore = server.seen.requests;
    const run = await runCli(['report', passing, failing, '--out', 'signoff'], { cwd: dir });
    expect(run.code, describeRun(run)).toBe(0);
    expect(server.seen.requests, 'report sends nothing').toBe(requestsBefore);
    const out = join(dir, 'signoff');
    expect(readdirSync(out).filter((f) => f.endsWith('.html'))).toEqual(['report.html']);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    const visible = text(html);
    expect(visible).toContain('checkout');
    expect(visible).toContain('search');
    // the overall verdict: search failed its target (unless this machine made it inconclusive)
    const overall = visible.slice(visible.search(/sign-off/i));
    const verdicts = [readResultFile(join(dir, 'checkout')).verdict, readResultFile(join(dir, 'search')).verdict];
    // the terminal shows each result's own verdict and reason, as stored (report never judges again)
    const stored = [readResultFile(join(dir, 'checkout')), readResultFile(join(dir, 'search'))];
    const lines = run.stdout.split('\n');
    stored.forEach((result, i) => expect(lines[i]).toMatch(new RegExp(`^\\S+ ${result.verdict.toUpperCase()}\\s+${result.profile.name}\\b.* — ${result.reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)));
    if (verdicts.includes('fail')) {
      expect(overall).toMatch(/FAIL/);
      expect(overall).toMatch(/1 of 2 runs? failed: search/);
    } else {
      expect(overall).toMatch(/INCONCLUSIVE/);
    }
    // readable offline: nothing loaded from the network
    expect(html).not.toMatch(/<(script|img|link|iframe)[^>]+(src|href)=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import\s+url\(["']?https?:/i);

    // the other default formats, for both runs; result.json untouched
    expect(existsSync(join(out, 'summary.md'))).toBe(true);
    const junit = parseXml(readFileSync(join(out, 'junit.xml'), 'utf8'));
    expect(findAll(junit, 'testsuite')).toHaveLength(2);
    expect(findAll(junit, 'failure').length).toBeGreaterThanOrEqual(1);
    expect(readResultFile(join(dir, 'checkout')).profile.name).toBe('checkout');
  });

  it('a missing file: exit 2, naming it', async () => {
    const run = await runCli(['report', passing, join(dir, 'missing.json'), '--out', 'nowhere'], { cwd: dir });
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toContain('missing.json');
    expect(run.stderr).not.toMatch(/^\s+at .+[:(]/m);
    expect(existsSync(join(dir, 'nowhere', 'report.html'))).toBe(false);
  });

  it('a JSON file that is not a perfctl result: exit 2, naming it', async () => {
    writeFileSync(join(dir, 'foreign.json'), JSON.stringify({ name: 'something else', results: [] }));
    writeFileSync(join(dir, 'broken.json'), '{ "tool": ');
    for (const file of ['foreign.json', 'broken.json']) {
      const run = await runCli(['report', file, '--out', 'nowhere'], { cwd: dir });
      expect(run.code, describeRun(run)).toBe(2);
      expect(run.stderr).toContain(file);
      expect(run.stderr).not.toMatch(/^\s+at .+[:(]/m);
    }
    expect(existsSync(join(dir, 'nowhere', 'report.html'))).toBe(false);
  });
});
