// `perfctl import` end to end through the built CLI: each fixture imported, validated, and run
// shortened against the demo service (started here, so the test can compare perfctl's counts with
// what the service saw), and the exit codes of bad input.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/demo/demo-server.js';
import { validateResult } from '../../src/result/validate-result.js';
import { recordDemoHar } from '../helpers/har-recorder.js';
import { assertBuilt, describeRun, makeTempDir, readResultFile, removeTempDir, repoRoot, runCli } from '../helpers/cli.js';

const fixtures = join(repoRoot, 'test', 'fixtures', 'import');
let demo: DemoServer;
let dir: string | undefined;

beforeAll(async () => {
  assertBuilt();
  demo = await startDemoServer({ latencyScale: 0.1 });
});
afterAll(async () => demo.close());
afterEach(() => {
  removeTempDir(dir);
  dir = undefined;
});

/** requests the demo service has seen so far */
const seen = (): number => demo.stats().requests;

describe('perfctl import (built CLI)', () => {
  it('the CodeMentor response-time table: 6 target rows with p50/p95/p99, judged on a run of the journeys against the demo', async () => {
    dir = makeTempDir();
    const targets = join(dir, 'codementor-targets.yaml');
    const imported = await runCli(['import', join(fixtures, 'markdown', 'codementor-performance.md'), '--profile', 'examples/journeys/journeys.yaml', '-o', targets]);
    // "Database Queries" matches no request of the journeys: listed, and exit 1
    expect(imported.code, describeRun(imported)).toBe(1);
    expect(imported.stdout).toContain('6 target rows from the table at line 11');
    expect(imported.stdout).toMatch(/codementor-performance\.md:18:1: row "Database Queries": matches no request/);

    const before = seen();
    const out = join(dir, 'out');
    const run = await runCli(['run', 'examples/journeys/journeys.yaml', '-u', demo.url, '-d', '5s', '--scale', '0.3', '--targets', targets, '--out', out, '--quiet']);
    expect([0, 1, 4], describeRun(run)).toContain(run.code);
    const result = readResultFile(out);
    expect(validateResult(result)).toEqual([]);
    // the collaboration journey's WebSocket messages are not HTTP requests (its upgrade is)
    expect(result.totals.requests - (result.groups['collab-live']?.requests ?? 0)).toBe(seen() - before);
    const rows = [...new Set(result.targets.map((check) => check.row))];
    expect(rows).toEqual(['User Authentication', 'Challenge Loading', 'Code Submission', 'AI Tutor Response', 'Real-time Collaboration', 'Database Queries']);
    expect(result.targets.map((check) => check.metric)).toEqual(Array.from({ length: 6 }, () => ['p50', 'p95', 'p99']).flat());
  });

  it('the CodeMentor mix written for Artillery: constant phases stay constant, the four flows keep their weights, the run splits 40/30/20/10', async () => {
    dir = makeTempDir();
    const profile = join(dir, 'codementor.yaml');
    const imported = await runCli(['import', join(fixtures, 'artillery', 'codementor-mix.yml'), '-o', profile, '--base-url', demo.url]);
    expect(imported.code, describeRun(imported)).toBe(1); // $uuid, a JavaScript function, a log step... are listed
    expect(imported.stdout).toMatch(/codementor-mix\.yml:149:9: function: /);
    expect(imported.stdout).toContain(`ok  ${profile} (profile)`);

    const before = seen();
    const out = join(dir, 'out');
    const run = await runCli(['run', profile, '-d', '5s', '--scale', '0.5', '--out', out, '--quiet']);
    expect([0, 1, 4], describeRun(run)).toContain(run.code);
    const result = readResultFile(out);
    expect(validateResult(result)).toEqual([]);
    expect(result.totals.requests).toBe(seen() - before);
    // every Artillery phase is constant except the one with rampTo
    const stages = result.profile.stages.map((stage) => [stage.name, stage.fromLevel, stage.toLevel]);
    expect(stages).toEqual([
      ['Warm up', 5, 5],
      ['Ramp up load', 5, 25],
      ['Sustained load', 25, 25],
      [expect.any(String), 0, 0],
      ['Burst', 10, 10],
      ['Cool down', 5, 5],
    ]);
    const flows = ['browse-challenges', 'submit-a-solution', 'ai-tutor', 'collaborative-coding'].map((name) => result.groups[name]?.requests ?? 0);
    const journeys = flows.reduce((sum, count) => sum + count, 0);
    expect(journeys).toBeGreaterThan(50);
    // smooth weighted round-robin: each share is exact to one journey
    [0.4, 0.3, 0.2, 0.1].forEach((share, index) => expect(Math.abs(flows[index]! - share * journeys), `flow ${index}: ${flows.join('/')}`).toBeLessThanOrEqual(1.5));
    expect(result.targets.map((check) => check.metric)).toEqual(['p95', 'errorRate', 'p99']);
  });

  it('the Learnify k6 baseline: stages, thresholds, setup login, the 70/30 branch as a weighted mix with a note, sleep(1) as think time; it runs against the demo with the thresholds judged', async () => {
    dir = makeTempDir();
    const profile = join(dir, 'baseline.yaml');
    const imported = await runCli(['import', join(fixtures, 'k6', 'learnify-baseline.js'), '-o', profile, '--base-url', demo.url]);
    expect(imported.code, describeRun(imported)).toBe(1);
    expect(imported.stdout).toMatch(/learnify-baseline\.js:37:3: if \(Math\.random\(\) < 0\.7\): a random branch: .*\(70\/30\)/);
    expect(imported.stdout).toContain(`ok  ${profile} (profile)`);

    const before = seen();
    const out = join(dir, 'out');
    const logins = demo.stats().byRoute.login;
    const run = await runCli(['run', profile, '-d', '5s', '--scale', '0.2', '--out', out, '--quiet']);
    // the demo has none of Learnify's endpoints but the login: the thresholds are judged and fail
    expect(run.code, describeRun(run)).toBe(1);
    const result = readResultFile(out);
    expect(validateResult(result)).toEqual([]);
    // setup() logged in once, before the load, and is measured apart from it
    expect(demo.stats().byRoute.login - logins).toBe(1);
    expect(result.setup?.steps).toEqual([expect.objectContaining({ name: 'post-auth-login', status: 200 })]);
    expect(result.totals.requests).toBe(seen() - before - 1);
    expect(result.targets.map((check) => [check.row, check.metric])).toEqual([['All requests', 'p95'], ['All requests', 'p99'], ['All requests', 'errorRate']]);
    const patch = result.groups['patch-users-me']!.requests;
    const gets = ['get-users-me', 'get-courses', 'get-feed', 'get-trending'].map((name) => result.groups[name]!.requests);
    const all = patch + gets.reduce((sum, count) => sum + count, 0);
    expect(all).toBe(result.totals.requests);
    expect(Math.abs(patch - 0.3 * all), `patch ${patch} of ${all}`).toBeLessThanOrEqual(1.5);
    expect(result.profile.stages.map((stage) => [stage.fromLevel, stage.toLevel])).toEqual([[0.2, 20], [20, 20], [20, 0]]); // from: 1 (k6 starts at options.vus, default 1), scaled
  });

  it('a HAR recorded from the demo: 30 entries, 12 static assets -> a flow of 18 steps with think times; no cookie, token or password in the output; the replay runs clean', async () => {
    dir = makeTempDir();
    const har = await recordDemoHar(demo.url);
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(join(fixtures, 'har', 'demo-session.har'), `${JSON.stringify(har, null, 2)}\n`);
    expect(har.log.entries).toHaveLength(30);
    const file = join(dir, 'session.har');
    writeFileSync(file, JSON.stringify(har, null, 2));
    const profile = join(dir, 'session.yaml');
    const imported = await runCli(['import', file, '-o', profile, '--base-url', demo.url]);
    expect([0, 1], describeRun(imported)).toContain(imported.code);
    expect(imported.stdout).toContain('1 flow of 18 requests');
    expect(imported.stdout).toContain('12 static assets left out');
    const text = readFileSync(profile, 'utf8');
    const data = parse(text) as { flows: { steps: { name?: string; think?: string }[] }[] };
    const steps = data.flows[0]!.steps;
    expect(steps.filter((step) => step.name !== undefined)).toHaveLength(18);
    expect(steps.filter((step) => step.think !== undefined).length).toBeGreaterThanOrEqual(10);
    // the secrets of the recording: the token the demo issued, the cookies, the password
    const login = har.log.entries.find((entry) => entry.request.url.endsWith('/api/auth/login'))!;
    const token = (JSON.parse(login.response.content.text!) as { token: string }).token;
    for (const secret of [token, 'sess-5f2a9c1e77d04b3a', 'GA1.1.1234567890', 'correct-horse-battery-staple']) expect(text).not.toContain(secret);
    expect(text).toContain('authorization: "Bearer {{ token }}"');

    const before = seen();
    const out = join(dir, 'out');
    const run = await runCli(['run', profile, '-d', '3s', '--out', out, '--quiet'], { env: { COOKIE: 'session=replayed', PASSWORD: 'demo-password' } });
    expect([0, 4], describeRun(run)).toContain(run.code);
    const result = readResultFile(out);
    expect(validateResult(result)).toEqual([]);
    expect(result.totals.requests).toBe(seen() - before);
    // the token, the submission and the collaboration session were captured: nothing was refused
    expect(result.totals.statusCodes['401'] ?? 0).toBe(0);
    expect(result.totals.statusCodes['404'] ?? 0).toBe(0);
  });

  it.each([
    ['k6/learnify-endurance.js', 3],
    ['k6/learnify-spike.js', 5],
    ['k6/zoptal-auth.js', 3],
  ])('%s: imported, validated and run shortened against the demo (the stages keep their shape)', async (fixture, stageCount) => {
    dir = makeTempDir();
    const profile = join(dir, 'imported.yaml');
    const imported = await runCli(['import', join(fixtures, fixture), '-o', profile, '--base-url', demo.url]);
    expect(imported.code, describeRun(imported)).toBe(1); // the plans quote the options only: a GET / stands in for the requests
    expect(imported.stdout).toContain(`ok  ${profile} (profile)`);
    const before = seen();
    const out = join(dir, 'out');
    const run = await runCli(['run', profile, '-d', '3s', '--scale', '0.02', '--out', out, '--quiet']);
    expect([0, 1, 4], describeRun(run)).toContain(run.code);
    const result = readResultFile(out);
    expect(validateResult(result)).toEqual([]);
    expect(result.totals.requests).toBe(seen() - before);
    expect(result.profile.stages).toHaveLength(stageCount);
  });

  it('bad input is exit 2 with one line: a missing file, an unknown --from, a plan without a table, a file of no known kind', async () => {
    dir = makeTempDir();
    const before = seen();
    const missing = await runCli(['import', join(dir, 'nope.js')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/file ".*nope\.js" not found/);
    const from = await runCli(['import', join(fixtures, 'markdown', 'codementor-performance.md'), '--from', 'jmeter']);
    expect(from.code).toBe(2);
    expect(from.stderr).toContain('--from: unknown kind "jmeter"');
    const noTable = await runCli(['import', join(fixtures, 'markdown', 'phase4-optimizations.md')]);
    expect(noTable.code, describeRun(noTable)).toBe(2);
    expect(noTable.stderr.trim()).toMatch(/^\S+phase4-optimizations\.md:1:1: markdown: no table found \(/);
    const script = join(dir, 'script.js');
    writeFileSync(script, "import http from 'k6/http';\nexport default function () { http.get('http://127.0.0.1:1/'); }\n");
    const overwrite = await runCli(['import', script, '-o', script]);
    expect(overwrite.code).toBe(2);
    expect(overwrite.stderr).toContain('that is the file being imported');
    expect(readFileSync(script, 'utf8')).toContain("import http from 'k6/http'");
    const syntax = join(dir, 'broken.js');
    writeFileSync(syntax, "import http from 'k6/http';\nexport default function () {\n  http.get('/x'\n}\n");
    const broken = await runCli(['import', syntax]);
    expect(broken.code).toBe(2);
    expect(broken.stderr.trim()).toMatch(/broken\.js:4:1: k6: JavaScript syntax error: Unexpected token$/);
    const unknown = await runCli(['import', join(repoRoot, 'package.json')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('cannot tell what kind of test');
    expect(seen(), 'nothing is sent').toBe(before);
  });
});
