// Scenarios side by side, as the service sees them: users browsing (closed model) while a login
// wave jumps (open model) in one run; and `--concurrent`, two profiles run at once as the
// scenarios of one run. The server counts each route's arrivals per second and its requests in
// flight; the result's numbers must agree with what it saw.
import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { assertBuilt, describeRun, makeTempDir, readResultFile, removeTempDir, runCli, writeProfile } from '../helpers/cli.js';
import { listenOnLoopback } from '../helpers/listen.js';

interface RouteLog {
  /** Date.now() of each arrival */
  arrivals: number[];
  inFlight: number;
  maxInFlight: number;
}

interface RouteServer {
  url: string;
  routes: Map<string, RouteLog>;
  close(): Promise<void>;
}

async function startRouteServer(delayMs = 2): Promise<RouteServer> {
  const routes = new Map<string, RouteLog>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    let log = routes.get(path);
    if (!log) routes.set(path, (log = { arrivals: [], inFlight: 0, maxInFlight: 0 }));
    const route = log;
    route.arrivals.push(Date.now());
    route.inFlight++;
    route.maxInFlight = Math.max(route.maxInFlight, route.inFlight);
    req.resume();
    req.on('end', () =>
      setTimeout(() => {
        route.inFlight--;
        res.end('{"ok":true}');
      }, delayMs),
    );
  });
  const { url, close } = await listenOnLoopback(server);
  return { url, routes, close };
}

/** arrivals per second since `t0`: [0,1) s, [1,2) s, ... */
function perSecond(arrivals: number[], t0: number, seconds: number): number[] {
  const counts = Array.from({ length: seconds }, () => 0);
  for (const at of arrivals) {
    const s = Math.floor((at - t0) / 1000);
    if (s >= 0 && s < seconds) counts[s]!++;
  }
  return counts;
}

let dir: string;
let server: RouteServer | undefined;
let other: RouteServer | undefined;
beforeAll(() => {
  assertBuilt();
  dir = makeTempDir();
});
afterAll(() => removeTempDir(dir));
afterEach(async () => {
  await server?.close();
  await other?.close();
  server = undefined;
  other = undefined;
});

// the Done-when shape scaled down for a shared machine: 50 users browsing for 5 s, and from 1 s a
// login wave of 20/s for 2 s that jumps to 200/s for 2 s
const MIXED = `
name: browse-and-login
baseUrl: http://127.0.0.1:1
scenarios:
  browsing:
    stages: [ { duration: 5s, vus: 50 } ]
    thinkTime: 200ms
    requests:
      - { name: browse, path: /browse }
  login-wave:
    startAfter: 1s
    stages:
      - { name: warm, duration: 2s, rate: 20 }
      - { duration: 0s, rate: 200 }
      - { name: wave, duration: 2s, rate: 200 }
    requests:
      - { name: login, method: POST, path: /login, json: { user: load } }
targets:
  - { name: Logins in the wave, phase: wave, p99: 2s }
  - { name: Browsing, scenario: browsing, errorRate: 5% }
`;

describe('scenarios', () => {
  it('the service sees users browsing and a login wave at once; the result has both, agreeing with it', async () => {
    server = await startRouteServer();
    const file = writeProfile(dir, 'mixed.yaml', MIXED);
    const out = join(dir, 'mixed');
    const run = await runCli(['run', file, '-u', server.url, '--out', out, '--no-progress'], { timeoutMs: 45_000 });
    expect([0, 4], describeRun(run)).toContain(run.code);
    expect(run.stdout).toContain('Scenarios');
    const result = readResultFile(out);
    const browse = server.routes.get('/browse')!;
    const login = server.routes.get('/login')!;

    // the wave's arrivals per second follow its stages (open model: on the schedule, whatever the browsing does)
    const t0 = Date.parse(result.startedAt);
    const logins = perSecond(login.arrivals, t0, 5);
    const expected = [0, 20, 20, 200, 200];
    logins.forEach((count, s) => expect(Math.abs(count - expected[s]!), `login arrivals per second ${logins.join(', ')}`).toBeLessThanOrEqual(Math.max(3, expected[s]! * 0.1)));
    expect(login.arrivals.length).toBe(440);

    // while the 50 users keep browsing through the wave, never more than 50 at once
    const browsing = perSecond(browse.arrivals, t0, 5);
    const before = (browsing[1]! + browsing[2]!) / 2;
    expect(before, `browse arrivals per second ${browsing.join(', ')}`).toBeGreaterThan(50);
    for (const s of [3, 4]) expect(browsing[s]!, `browse arrivals per second ${browsing.join(', ')}`).toBeGreaterThan(before * 0.5);
    expect(browse.maxInFlight).toBeLessThanOrEqual(50);

    // each scenario measured on its own, the totals over both, all agreeing with the server
    const scenarios = result.scenarios!;
    expect(Object.keys(scenarios)).toEqual(['browsing', 'login-wave']);
    expect(scenarios['browsing']!.model).toBe('closed');
    expect(scenarios['login-wave']!.model).toBe('open');
    expect(scenarios['login-wave']!.startAfterMs).toBe(1000);
    expect(scenarios['browsing']!.requests).toBe(browse.arrivals.length);
    expect(scenarios['login-wave']!.requests).toBe(login.arrivals.length);
    expect(result.totals.requests).toBe(browse.arrivals.length + login.arrivals.length);
    expect(result.groups['login']!.requests).toBe(440);
    expect(scenarios['login-wave']!.phases.map((p) => [p.name, p.startMs, p.endMs, p.requests])).toEqual([
      ['warm', 1000, 3000, 40],
      ['jump', 3000, 3000, 0],
      ['wave', 3000, 5000, 400],
    ]);
    expect(result.phases.map((p) => p.name)).toEqual(['browsing/hold', 'login-wave/warm', 'login-wave/jump', 'login-wave/wave']);
    // the timeline adds both: its requests are every request
    expect(result.timeline.reduce((n, p) => n + p.requests, 0)).toBe(result.totals.requests);
    // the rows judged their own scope
    const wave = result.targets.find((t) => t.row === 'Logins in the wave')!;
    expect([wave.scenario, wave.phase, wave.samples]).toEqual(['login-wave', 'wave', 400]);
    expect(result.targets.find((t) => t.row === 'Browsing')!.samples).toBe(browse.arrivals.length);
  }, 60_000);
});

describe('--concurrent', () => {
  it('runs two profiles at the same time, each against its own service, as the scenarios of one result', async () => {
    server = await startRouteServer();
    other = await startRouteServer();
    const users = writeProfile(dir, 'users.yaml', `
name: users
baseUrl: ${server.url}
stages: [ { duration: 3s, vus: 10 } ]
thinkTime: 100ms
requests: [ { name: page, path: /page } ]
targets: [ { name: Pages, p95: 2s } ]
`);
    const api = writeProfile(dir, 'api.yaml', `
name: api
baseUrl: ${other.url}
stages: [ { duration: 3s, rate: 40 } ]
requests: [ { name: call, path: /call } ]
targets: [ { name: Calls, errorRate: 5% } ]
`);
    const out = join(dir, 'both');
    const run = await runCli(['run', users, api, '--concurrent', '--out', out, '--no-progress'], { timeoutMs: 45_000 });
    expect([0, 4], describeRun(run)).toContain(run.code);
    const result = readResultFile(out);
    // the banner names the second service beside its scenario
    expect(run.stdout).toContain(`api · open model · ${other.url}`);
    // each service saw only its own profile's requests
    expect([...server.routes.keys()]).toEqual(['/page']);
    expect([...other.routes.keys()]).toEqual(['/call']);
    const pages = server.routes.get('/page')!;
    const calls = other.routes.get('/call')!;
    // started together, and both kept going through the same seconds
    expect(Math.abs(Math.min(...pages.arrivals) - Math.min(...calls.arrivals))).toBeLessThan(300);
    const t0 = Date.parse(result.startedAt);
    expect(perSecond(pages.arrivals, t0, 3).every((n) => n > 20), `page arrivals per second ${perSecond(pages.arrivals, t0, 3).join(', ')}`).toBe(true);
    expect(perSecond(calls.arrivals, t0, 3).map((n) => Math.abs(n - 40) <= 4)).toEqual([true, true, true]);
    expect(pages.maxInFlight).toBeLessThanOrEqual(10);

    expect(result.profile.name).toBe('users+api');
    expect(Object.fromEntries(Object.entries(result.scenarios!).map(([name, s]) => [name, [s.model, s.requests]]))).toEqual({
      users: ['closed', pages.arrivals.length],
      api: ['open', 120],
    });
    expect(calls.arrivals.length).toBe(120);
    expect(result.totals.requests).toBe(pages.arrivals.length + 120);
    // each profile's rows judge its own scenario
    expect(result.targets.map((t) => [t.row, t.scenario, t.samples])).toEqual([
      ['Pages', 'users', pages.arrivals.length],
      ['Calls', 'api', 120],
    ]);
    expect(result.run?.options['profiles']).toEqual([users, api]);
  }, 60_000);

  it("runs each profile's setup once against its own service, its token in its own requests only", async () => {
    server = await startRouteServer();
    other = await startRouteServer();
    const once = writeProfile(dir, 'once.yaml', `
baseUrl: ${server.url}
setup: [ { name: login, path: /login, capture: { token: $.ok } } ]
stages: [ { duration: 1s, rate: 10 } ]
requests: [ { name: x, path: /x, headers: { x-token: "{{ setup.token }}" } } ]
teardown: [ { name: logout, path: /logout } ]
`);
    const plain = writeProfile(dir, 'plain.yaml', `
baseUrl: ${other.url}
stages: [ { duration: 1s, rate: 10 } ]
requests: [ { name: y, path: /y } ]
`);
    const out = join(dir, 'with-setup');
    const run = await runCli(['run', plain, once, '--concurrent', '--out', out, '--no-progress'], { timeoutMs: 30_000 });
    expect([0, 4], describeRun(run)).toContain(run.code);
    expect(Object.fromEntries([...server.routes].map(([path, log]) => [path, log.arrivals.length]))).toEqual({ '/login': 1, '/x': 10, '/logout': 1 });
    expect(Object.fromEntries([...other.routes].map(([path, log]) => [path, log.arrivals.length]))).toEqual({ '/y': 10 });
    const result = readResultFile(out);
    expect(result.setup?.steps.map((step) => [step.name, step.status])).toEqual([['once/login', 200]]);
    expect(result.teardown?.steps.map((step) => [step.name, step.status])).toEqual([['once/logout', 200]]);
    expect(result.scenarios!['once']!.errors).toBe(0);
  });

  it('refuses a profile it cannot run beside others, before anything is sent', async () => {
    server = await startRouteServer();
    const watched = writeProfile(dir, 'watched.yaml', `
baseUrl: ${server.url}
stopOnBreak: true
stages:
  - staircase: { rate: 5, to: 15, by: 5, hold: 1s }
requests: [ { path: /x } ]
`);
    const plain = writeProfile(dir, 'plain2.yaml', `
baseUrl: ${server.url}
stages: [ { duration: 1s, rate: 5 } ]
requests: [ { path: /y } ]
`);
    const run = await runCli(['run', plain, watched, '--concurrent', '--out', join(dir, 'refused')], { timeoutMs: 30_000 });
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toContain('--concurrent: profile "watched" stops at its breaking point');
    expect(server.routes.size).toBe(0);
  });
});
