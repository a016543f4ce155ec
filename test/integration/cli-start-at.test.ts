// --start-at: the load starts at the instant given (as the service sees it), the banner
// counts down, a past instant is refused with nothing sent, and the result records both starts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { assertBuilt, describeRun, exitCodeFor, makeTempDir, readResultFile, removeTempDir, runCli, writeProfile, type CliRun } from '../helpers/cli.js';
import type { Result } from '../../src/result/types.js';
import { startArrivalServer, type ArrivalServer } from '../helpers/arrival-server.js';

let dir: string;
let server: ArrivalServer | undefined;
beforeAll(() => {
  assertBuilt();
  dir = makeTempDir();
});
afterAll(() => removeTempDir(dir));
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const PROFILE = `
name: start-at
baseUrl: http://127.0.0.1:1
stages:
  - { name: hold, duration: 2s, rate: 50 }
requests:
  - { name: ping, path: /ping }
`;

/**
 * Runs perfctl with --start-at `leadMs` ahead; on a machine so loaded that perfctl took longer
 * than that to start, it is rightly refused ("in the past"), and the run is tried once more
 * 15 s ahead. Returns the run and the instant it was given.
 */
async function runStartingIn(leadMs: number, args: (startAt: string) => string[]): Promise<{ run: CliRun; planned: Date }> {
  let attempt: { run: CliRun; planned: Date } | undefined;
  for (const lead of [leadMs, 15_000]) {
    const planned = new Date(Date.now() + lead);
    attempt = { run: await runCli(args(planned.toISOString()), { timeoutMs: 45_000 }), planned };
    if (!(attempt.run.code === 2 && /is in the past/.test(attempt.run.stderr))) break;
  }
  return attempt!;
}

/**
 * The result of a run that must exit 0: or 4 where perfctl recorded that it missed its own
 * schedule (on a busy machine 3 of a 1 s run's 50 starts over 50 ms late are its 5%), which these
 * tests of the start do not judge.
 */
function resultOf(run: CliRun, out: string): Result {
  expect([0, 4], describeRun(run)).toContain(run.code);
  const result = readResultFile(out);
  expect(run.code, `${result.generator?.problem ?? 'no generator problem'}\n${describeRun(run)}`).toBe(exitCodeFor(result, 0));
  return result;
}

describe('--start-at', () => {
  it('starts the load at the instant given, counts down, and records planned and actual start', async () => {
    server = await startArrivalServer();
    const file = writeProfile(dir, 'start-at.yaml', PROFILE);
    const out = join(dir, 'later');
    const { run, planned } = await runStartingIn(3000, (at) => ['run', file, '-u', server!.url, '--start-at', at, '--out', out, '--no-progress']);
    const result = resultOf(run, out);
    expect(run.stdout).toMatch(/starts in \d\.\ds \(at \d{4}-\d\d-\d\dT[\d:.]+Z\)/);
    // the probe opens a connection but sends no request: the first request is the load's
    const first = Math.min(...server.arrivals);
    expect(first).toBeGreaterThanOrEqual(planned.getTime() - 5);
    expect(first - planned.getTime()).toBeLessThan(200);
    expect(result.start?.planned).toBe(planned.toISOString());
    expect(result.start?.requested).toBe(planned.toISOString());
    // t = 0 is the planned instant (wall and monotonic clocks agree to a millisecond)
    expect(Date.parse(result.start!.actual) - planned.getTime()).toBeGreaterThanOrEqual(-2);
    expect(Date.parse(result.start!.actual) - planned.getTime()).toBeLessThan(100);
    expect(result.startedAt).toBe(result.start?.actual);
    expect(Math.abs(Date.parse(result.start!.firstRequest!) - first)).toBeLessThan(50);
    expect(result.totals.requests).toBe(100);
    expect(server.arrivals).toHaveLength(100);
  });

  it.each([
    ['--workers 2', PROFILE, ['--workers', '2'], 100],
    ['the closed model', PROFILE.replace('rate: 50', 'vus: 2'), [], null],
  ])('with %s the load also waits for the instant', async (_name, yamlText, extra, expected) => {
    server = await startArrivalServer(5);
    const file = writeProfile(dir, 'start-at-variant.yaml', yamlText);
    const out = join(dir, 'variant');
    const { run, planned: plannedAt } = await runStartingIn(2500, (at) => ['run', file, '-u', server!.url, '--start-at', at, '--out', out, '--quiet', ...extra]);
    const planned = plannedAt.getTime();
    expect(run.code, describeRun(run)).not.toBe(2);
    // nothing before the instant, and t = 0 recorded as it was: the instant, or later when the
    // workers were not ready in time (then the first request follows that later t = 0)
    const first = Math.min(...server.arrivals);
    expect(first).toBeGreaterThanOrEqual(planned - 5);
    const result = readResultFile(out);
    const actual = Date.parse(result.start!.actual);
    expect(actual).toBeGreaterThanOrEqual(planned - 2);
    expect(first).toBeGreaterThanOrEqual(actual - 5);
    expect(first - actual).toBeLessThan(300);
    expect(result.totals.requests).toBe(server.arrivals.length);
    if (expected !== null) expect(server.arrivals).toHaveLength(expected);
  });

  it('a result without --start-at records its start as planned = actual', async () => {
    server = await startArrivalServer();
    const file = writeProfile(dir, 'start-at.yaml', PROFILE);
    const out = join(dir, 'now');
    const run = await runCli(['run', file, '-u', server.url, '-d', '1s', '--out', out, '--quiet']);
    const result = resultOf(run, out);
    expect(result.start?.planned).toBe(result.start?.actual);
    expect(result.start?.requested).toBeUndefined();
    expect(result.shard).toBeUndefined();
  });

  it('Ctrl-C during the countdown: exit 130, nothing sent', async () => {
    server = await startArrivalServer();
    const file = writeProfile(dir, 'start-at.yaml', PROFILE);
    const run = await runCli(['run', file, '-u', server.url, '--start-at', '+20s', '--out', join(dir, 'cancelled')], {
      signalAfterMs: { signal: 'SIGINT', ms: 300, from: 'stdout' },
    });
    expect(run.code, describeRun(run)).toBe(130);
    expect(run.stderr).toMatch(/interrupted before --start-at: nothing was sent/);
    expect(run.elapsedMs).toBeLessThan(10_000);
    expect(server.arrivals).toHaveLength(0);
  });

  it('a time in the past is exit 2 and nothing is sent', async () => {
    server = await startArrivalServer();
    const file = writeProfile(dir, 'start-at.yaml', PROFILE);
    const run = await runCli(['run', file, '-u', server.url, '--start-at', new Date(Date.now() - 1000).toISOString(), '--out', join(dir, 'past')]);
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toMatch(/--start-at .* is in the past/);
    expect(server.arrivals).toHaveLength(0);
  });

  it('--shard k8s takes the index from JOB_COMPLETION_INDEX and records shard and plan hash', async () => {
    server = await startArrivalServer();
    const file = writeProfile(dir, 'start-at.yaml', PROFILE);
    const out = join(dir, 'k8s');
    // +1s counts from when perfctl reads it, so however slow the start it is never in the past
    const run = await runCli(['run', file, '-u', server.url, '--shard', 'k8s', '--start-at', '+1s', '--out', out, '--quiet'], {
      env: { JOB_COMPLETION_INDEX: '1', PERFCTL_SHARD_COUNT: '2' },
    });
    const result = resultOf(run, out);
    expect(result.shard).toEqual({ index: 2, count: 2 });
    expect(result.profile.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(result.start?.requested).toBe('+1s');
    expect(server.arrivals).toHaveLength(50);
  });
});
