// Flows against a real server on 127.0.0.1 that issues tokens and rejects requests without one:
// a profile loaded from YAML (with a CSV file) and run by the engine in both load models, its
// numbers held against what the server saw (issue 6, "Done when").
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProfile } from '../../src/config/load-profile.js';
import { buildPlan } from '../../src/engine/plan.js';
import { startLoad } from '../../src/engine/run-load.js';
import { judgeGeneratorHealth } from '../../src/engine/generator-health.js';
import { LATE_START_MS } from '../../src/engine/open-executor.js';
import { buildViews } from '../../src/result/cells.js';
import { startAuthServer, type AuthServer } from '../helpers/auth-server.js';
import type { Profile } from '../../src/config/types.js';

const emails = ['ada@example.com', 'grace@example.com', 'alan@example.com', 'edsger@example.com', 'barbara@example.com'];
const usersCsv = ['email,password,name', ...emails.map((email, i) => `${email},pw-${i},"User, No. ${i + 1}"`)].join('\n') + '\n';

let server: AuthServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function load(stagesYaml: string, flowsYaml: string, extra = ''): Promise<Profile> {
  dir = mkdtempSync(join(tmpdir(), 'perfctl-flows-'));
  writeFileSync(join(dir, 'users.csv'), usersCsv);
  const text = [`baseUrl: ${server!.url}`, 'stages:', stagesYaml, 'timeout: 5s', 'data:', '  row: { csv: ./users.csv }', 'flows:', flowsYaml, extra].join('\n');
  writeFileSync(join(dir, 'profile.yaml'), text);
  return loadProfile('profile.yaml', { cwd: dir, env: {}, builtinDir: dir });
}

async function run(profile: Profile) {
  const plan = buildPlan(profile.model, profile.stages);
  const outcome = await startLoad({
    plan,
    baseUrl: profile.baseUrl,
    requests: profile.requests,
    flows: profile.flows,
    data: profile.data,
    timeoutMs: profile.timeoutMs,
    maxInFlight: profile.maxInFlight,
    thinkTime: profile.thinkTime,
  }).finished;
  const views = buildViews(outcome.cells, plan.stages.map((s) => ({ name: s.name, startMs: s.startMs, endMs: s.endMs })), outcome.durationMs, plan.model === 'open');
  return { outcome, views };
}

/** login -> profile (70) and login -> items (30), both with the next CSV row */
const loginJourneys = `
  - name: login-profile
    weight: 70
    steps:
      - name: lp-login
        method: POST
        path: /login
        json: { email: "{{ row.email }}", password: "{{ row.password }}" }
        capture: { token: $.token }
      - think: 20ms
      - name: lp-profile
        path: /profile
        headers: { authorization: "Bearer {{ token }}" }
  - name: login-items
    weight: 30
    steps:
      - name: li-login
        method: POST
        path: /login
        json: { email: "{{ row.email }}", password: "{{ row.password }}" }
        capture: { token: $.token }
      - name: li-items
        path: /items?who={{ row.name }}
        headers: { authorization: "Bearer {{ token }}" }`;

describe('flows: login, capture the token, use it', () => {
  it('open model, 100 journeys/s for 3 s: every CSV row used, no 401, flows split 70/30, each step and flow a group', async () => {
    server = await startAuthServer({ delayMs: 2 });
    const profile = await load('  - { name: hold, duration: 3s, rate: 100 }', loginJourneys);
    const { outcome, views } = await run(profile);

    expect(outcome.status).toBe('completed');
    // every row of the CSV logged in, in turn: 300 iterations over 5 rows
    expect(Object.keys(server.seen.logins).sort()).toEqual([...emails].sort());
    for (const email of emails) expect(server.seen.logins[email]).toBe(60);
    expect(server.seen.unauthorized).toBe(0);
    expect(server.seen.authorizations.every((value) => /^Bearer tok-\d+-\w+$/.test(value))).toBe(true);

    const profiles = server.seen.byPath['/profile'] ?? 0;
    const items = server.seen.byPath['/items'] ?? 0;
    expect(profiles + items).toBe(300);
    expect(profiles / 300).toBeGreaterThan(0.65);
    expect(profiles / 300).toBeLessThan(0.75);

    const groups = views.groups;
    expect(groups['login-profile']?.requests).toBe(profiles);
    expect(groups['login-items']?.requests).toBe(items);
    expect(groups['lp-login']?.requests).toBe(profiles);
    expect(groups['lp-profile']?.requests).toBe(profiles);
    expect(groups['li-items']?.requests).toBe(items);
    expect(groups['li-items']?.statusCodes).toEqual({ '200': items });
    // totals count requests (the steps), never the flows on top
    expect(views.totals.requests).toBe(600);
    expect(views.totals.errors).toBe(0);
    expect(views.phases[0]?.requests).toBe(600);
    // a whole journey lasts at least its think step, its steps only their own answers
    expect(groups['login-profile']!.latencyMs.min).toBeGreaterThanOrEqual(20);
    expect(groups['lp-profile']!.latencyMs.p50).toBeLessThan(20);
    // no template text ever reached the server
    expect(JSON.stringify(server.seen)).not.toContain('{{');
  });

  it('closed model, 6 users for 2 s: the same journeys, no 401, 70/30 within 5 points', async () => {
    server = await startAuthServer({ delayMs: 2 });
    const profile = await load('  - { name: hold, duration: 2s, vus: 6 }', loginJourneys);
    const { views } = await run(profile);
    const profiles = server.seen.byPath['/profile'] ?? 0;
    const items = server.seen.byPath['/items'] ?? 0;
    expect(profiles + items).toBeGreaterThan(100);
    expect(Math.abs(profiles / (profiles + items) - 0.7)).toBeLessThan(0.05);
    expect(server.seen.unauthorized).toBe(0);
    expect(Object.keys(server.seen.logins).sort()).toEqual([...emails].sort());
    expect(views.totals.errors).toBe(0);
    expect(views.groups['login-profile']?.requests).toBe(profiles);
  });

  it('a capture that finds nothing ends the iteration: counted `capture` against the step and the flow, the next step never sent', async () => {
    // two of the five users get a 200 without a token
    server = await startAuthServer({ noTokenFor: ['grace@example.com', 'edsger@example.com'] });
    const profile = await load('  - { name: hold, duration: 2s, rate: 50 }', `
  - name: journey
    steps:
      - name: login
        method: POST
        path: /login
        json: { email: "{{ row.email }}" }
        capture: { token: $.token }
      - name: profile
        path: /profile
        headers: { authorization: "Bearer {{ token }}" }`);
    const { views } = await run(profile);

    // 100 iterations, 2 rows in 5 without a token: 40 end at the login
    expect(views.groups['login']).toMatchObject({ requests: 100, errors: 40, errorKinds: { capture: 40 }, statusCodes: { '200': 100 } });
    expect(views.groups['journey']).toMatchObject({ requests: 100, errors: 40, errorKinds: { capture: 40 } });
    expect(views.groups['profile']).toMatchObject({ requests: 60, errors: 0 });
    expect(server.seen.byPath['/profile']).toBe(60);
    expect(server.seen.unauthorized).toBe(0);
    expect(server.seen.authorizations).not.toContain('Bearer ');
    expect(views.totals).toMatchObject({ requests: 160, errors: 40 });
  });

  it('captures from a header (set-cookie as name=value pairs) and a regex, and mixes flows with plain requests by weight', async () => {
    server = await startAuthServer();
    const profile = await load('  - { name: hold, duration: 1s, rate: 40 }', `
  - name: journey
    weight: 3
    steps:
      - name: login
        method: POST
        path: /login
        json: { email: "{{ row.email }}" }
        capture: { token: $.token, userId: "$.user.id", session: { header: Set-Cookie } }
      - name: page
        path: /page
        headers: { authorization: "Bearer {{ token }}" }
        capture: { csrf: { regex: 'name="csrf" value="([^"]+)"' } }
      - name: echo
        method: POST
        path: /echo
        headers: { authorization: "Bearer {{ token }}", cookie: "{{ session }}", x-csrf: "{{ csrf }}" }
        json: { user: "{{ userId }}", note: "{{ row.name }} said \\"hi\\"" }
        capture: { echoed: $.body }`, 'requests:\n  - { name: plain, path: /profile, expect: { status: [401] }, weight: 1 }');
    const { views } = await run(profile);
    expect(views.groups['plain']?.requests).toBe(10);
    expect(views.groups['journey']?.requests).toBe(30);
    expect(views.groups['echo']).toMatchObject({ requests: 30, errors: 0 });
    expect(views.groups['page']).toMatchObject({ requests: 30, errors: 0 });
    expect(server.seen.unauthorized).toBe(10);
    // the body went out as valid JSON with the captured and data values in it, the cookies as name=value pairs
    const echo = server.seen.echoes[0]!;
    expect(JSON.parse(echo.body)).toEqual({ user: 'u1', note: 'User, No. 1 said "hi"' });
    expect(echo.cookie).toBe('sid=s1; theme=dark');
    expect(echo.csrf).toBe('c-42');
  });

  it('open model: maxInFlight caps flow iterations; an arrival beyond it is dropped, counted as generator health (not the service\'s errors)', async () => {
    server = await startAuthServer();
    const profile = await load('  - { name: hold, duration: 1s, rate: 40 }', `
  - name: journey
    steps:
      - { name: login, method: POST, path: /login, json: { email: "{{ row.email }}" }, capture: { token: $.token } }
      - think: 400ms
      - { name: profile, path: /profile, headers: { authorization: "Bearer {{ token }}" } }`, 'maxInFlight: 4');
    const { views, outcome } = await run(profile);
    const started = server.seen.byPath['/login'] ?? 0;
    // 4 iterations at a time, each ~400 ms: about 12 of the 40 arrivals started
    expect(started).toBeGreaterThanOrEqual(8);
    expect(started).toBeLessThanOrEqual(16);
    expect(views.groups['journey']).toMatchObject({ requests: started, errors: 0 });
    expect(views.groups['login']).toMatchObject({ requests: started, errors: 0 });
    expect(views.groups['profile']?.requests).toBe(started);
    expect(outcome.health).toMatchObject({ due: 40, dropped: 40 - started });
    expect(judgeGeneratorHealth(outcome.health, 0, LATE_START_MS)).toMatch(new RegExp(`could not start ${40 - started} of 40 planned arrivals`));
  });

  it('stopping ends iterations that are thinking at once, without counting them', async () => {
    server = await startAuthServer();
    const profile = await load('  - { name: hold, duration: 10s, vus: 3 }', `
  - name: slow
    steps:
      - { name: login, method: POST, path: /login, json: { email: "{{ row.email }}" }, capture: { token: $.token } }
      - think: 30s
      - { name: profile, path: /profile, headers: { authorization: "Bearer {{ token }}" } }`);
    const plan = buildPlan(profile.model, profile.stages);
    const running = startLoad({ plan, baseUrl: profile.baseUrl, requests: [], flows: profile.flows, data: profile.data, timeoutMs: 5000, maxInFlight: 100, thinkTime: profile.thinkTime, drainMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stoppedAt = performance.now();
    running.stop('interrupted');
    const outcome = await running.finished;
    expect(performance.now() - stoppedAt).toBeLessThan(1000);
    expect(outcome.status).toBe('interrupted');
    const groups = buildViews(outcome.cells, [{ name: 'hold', startMs: 0, endMs: 10_000 }], outcome.durationMs, false).groups;
    expect(groups['login']?.requests).toBe(3);
    expect(groups['slow']).toBeUndefined();
    expect(server.seen.byPath['/profile']).toBeUndefined();
  });
});
