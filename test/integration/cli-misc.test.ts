// The small commands of the built CLI, as a new user meets them: --version, --help,
// run --help, list, init + validate, and the scaffolded profile run by name.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validateResult } from '../../src/result/validate-result.js';
import { assertBuilt, describeRun, makeTempDir, readResultFile, removeTempDir, repoRoot, runCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let dir: string | undefined;
let server: TestServer | undefined;

beforeAll(() => assertBuilt());
afterEach(async () => {
  await server?.close();
  server = undefined;
  removeTempDir(dir);
  dir = undefined;
});

const packageVersion = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const BUILT_INS = ['normal', 'peak', 'spike', 'soak', 'stress'];

describe('perfctl small commands (built CLI)', () => {
  it('--version prints the package version', async () => {
    for (const flag of ['--version', '-V']) {
      const run = await runCli([flag]);
      expect(run.code, describeRun(run)).toBe(0);
      expect(run.stdout.trim()).toBe(packageVersion);
    }
  });

  it('--help lists every command', async () => {
    const run = await runCli(['--help']);
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stdout).toMatch(/^Usage: perfctl/m);
    for (const command of ['run', 'validate', 'list', 'compare', 'report', 'init', 'demo']) {
      expect(run.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
  });

  it('run --help lists the run options of SPEC §1', async () => {
    const run = await runCli(['run', '--help']);
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stdout).toMatch(/^Usage: perfctl run/m);
    for (const option of ['--base-url', '--demo', '--targets', '--duration', '--scale', '--out', '--format', '--baseline', '--shard', '--quiet', '--no-progress']) {
      expect(run.stdout).toContain(option);
    }
  });

  it('an unknown command: exit 2', async () => {
    const run = await runCli(['frobnicate']);
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toContain('frobnicate');
  });

  it('list shows the built-in profiles with their model and total duration, each with its pre-flight evidence', async () => {
    dir = makeTempDir();
    const run = await runCli(['list'], { cwd: dir });
    expect(run.code, describeRun(run)).toBe(0);
    // a profile's line, then its indented evidence line
    const lines = run.stdout.split('\n').filter((l) => l.trim() !== '' && !l.startsWith(' '));
    const evidence = run.stdout.split('\n').filter((l) => /^\s+evidence: /.test(l));
    expect(evidence).toHaveLength(BUILT_INS.length);
    expect(run.stdout).toMatch(/^normal .*\n\s+evidence: all \d+ checks can be judged at this length \(tightest: .* p99, about [\d,]+ samples, 299 needed; -d \d+s is the least that could judge them all\)$/m);
    expect(lines).toHaveLength(BUILT_INS.length);
    for (const name of BUILT_INS) {
      const line = lines.find((l) => l.split(/\s+/)[0] === name);
      expect(line, `${name} in:\n${run.stdout}`).toBeDefined();
      expect(line).toMatch(new RegExp(`^${name}\\s+(open|closed)\\s+(\\d+h)?(\\d+m)?(\\d+s)?\\s+\\S.*\\[built-in\\]$`));
    }
    expect(lines.find((l) => l.startsWith('stress'))).toMatch(/closed/);
    expect(lines.find((l) => l.startsWith('spike'))).toMatch(/open/);
  });

  it('init <dir> scaffolds scenarios/ and targets/, validate accepts them, list shows the new profile first', async () => {
    dir = makeTempDir();
    const target = join(dir, 'svc');
    const run = await runCli(['init', target], { cwd: dir });
    expect(run.code, describeRun(run)).toBe(0);
    const scenarios = readdirSync(join(target, 'scenarios')).filter((f) => /\.ya?ml$/.test(f));
    const targets = readdirSync(join(target, 'targets')).filter((f) => /\.ya?ml$/.test(f));
    expect(scenarios.length).toBeGreaterThan(0);
    expect(targets.length).toBeGreaterThan(0);
    // commented examples
    expect(readFileSync(join(target, 'scenarios', scenarios[0]!), 'utf8')).toMatch(/^#/m);

    const files = [...scenarios.map((f) => `scenarios/${f}`), ...targets.map((f) => `targets/${f}`)];
    const validate = await runCli(['validate', ...files], { cwd: target });
    expect(validate.code, describeRun(validate)).toBe(0);
    expect(validate.stderr).toBe('');

    const list = await runCli(['list'], { cwd: target });
    expect(list.code, describeRun(list)).toBe(0);
    const names = list.stdout.split('\n').filter((l) => l.trim() !== '' && !l.startsWith(' ')).map((l) => l.split(/\s+/)[0]);
    const local = scenarios.map((f) => f.replace(/\.ya?ml$/, ''));
    expect(names.slice(0, local.length).sort()).toEqual([...local].sort());
    expect(names.slice(local.length)).toEqual(expect.arrayContaining(BUILT_INS));

    // a second init leaves the user's files alone
    const again = await runCli(['init', target], { cwd: dir });
    expect(again.code, describeRun(again)).toBe(0);
    expect(again.stdout).toMatch(/nothing to do|exist/i);
  });

  it("the scaffolded smoke profile, run by name at its full sample count, has enough samples for every one of its own checks", async () => {
    server = await startTestServer(() => ({ delayMs: 2 }));
    dir = makeTempDir();
    const init = await runCli(['init', '.'], { cwd: dir });
    expect(init.code, describeRun(init)).toBe(0);
    expect(existsSync(join(dir, 'scenarios', 'smoke.yaml'))).toBe(true);
    // -d 6s with --scale 10 keeps the profile's shape and its request count (1 min at 20/s -> 6 s at 200/s)
    const run = await runCli(['run', 'smoke', '--base-url', server.url, '-d', '6s', '--scale', '10', '--out', 'out', '--format', 'json'], { cwd: dir });
    expect([0, 1, 4], describeRun(run)).toContain(run.code);
    const result = readResultFile(join(dir, 'out'));
    expect(validateResult(result)).toEqual([]);
    expect(result.profile.source).toMatch(/scenarios[/\\]smoke\.yaml$/);
    expect(result.totals.requests).toBe(server.seen.requests);
    const insufficient = result.targets.filter((t) => t.insufficient);
    console.log(`[cli-misc] init smoke at full count: ${result.totals.requests} requests (${Object.entries(result.groups).map(([g, s]) => `${g} ${s.requests}`).join(', ')}), verdict ${result.verdict}, insufficient: ${insufficient.map((t) => `${t.row} ${t.metric} (${t.samples})`).join(', ') || 'none'}`);
    // a user who runs `perfctl init` then `perfctl run smoke` must be able to get a pass
    expect(insufficient.map((t) => `${t.row} ${t.metric}: ${t.samples} samples`)).toEqual([]);
  });
});
