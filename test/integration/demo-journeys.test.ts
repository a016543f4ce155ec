// The demo service's endpoints for user journeys (login token required: 401 without one), and
// examples/journeys/ run end to end against it with --demo.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROUTE_BEHAVIOUR } from '../../src/demo/demo-model.js';
import { startDemoServer, type DemoServer } from '../../src/demo/demo-server.js';
import { validateResult } from '../../src/result/validate-result.js';
import { assertBuilt, describeRun, makeTempDir, readResultFile, removeTempDir, repoRoot, runCli } from '../helpers/cli.js';

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}
const post = (body: unknown, token?: string): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  body: JSON.stringify(body),
});
const bearer = (token: string): RequestInit => ({ headers: { authorization: `Bearer ${token}` } });

describe('demo service: endpoints that need a login', () => {
  let server: DemoServer;
  let token: string;
  beforeAll(async () => {
    const quiet = { errorRate: 0 };
    server = await startDemoServer({
      latencyScale: 0.05,
      routes: { login: quiet, me: quiet, tutorChat: quiet, createSubmission: quiet, getSubmission: quiet, createCollabSession: quiet, collabEdit: quiet },
    });
    token = (await call(`${server.url}/api/auth/login`, post({ email: 'ada@example.com', password: 'pw' }))).body.token as string;
  });
  afterAll(async () => server.close());

  it.each([
    ['GET', '/api/me'],
    ['GET', '/api/submissions/sub_1'],
    ['POST', '/api/tutor/chat'],
    ['POST', '/api/collab/sessions'],
    ['POST', '/api/collab/sessions/collab_1/edits'],
  ])('%s %s: 401 without a token, or with one it never issued', async (method, path) => {
    const none = await call(`${server.url}${path}`, { method, ...(method === 'POST' ? { body: '{}' } : {}) });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(none.body.error).toContain('authorization: Bearer <token> is required');
    const forged = await call(`${server.url}${path}`, { method, headers: { authorization: 'Bearer demo.0000' }, ...(method === 'POST' ? { body: '{}' } : {}) });
    expect(forged.status).toBe(401);
  });

  it('GET /api/me with the token of POST /api/auth/login: the user', async () => {
    const me = await call(`${server.url}/api/me`, bearer(token));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: 'ada@example.com', name: 'ada', id: expect.stringMatching(/^u_/) });
  });

  it('a submission, then its verdict; the tutor answers; a collaboration session takes edits', async () => {
    const submitted = await call(`${server.url}/api/submissions`, post({ challengeId: 7, code: 'x', language: 'go' }, token));
    expect(submitted.status).toBe(201);
    const verdict = await call(`${server.url}/api/submissions/${submitted.body.id as string}`, bearer(token));
    expect(verdict.status).toBe(200);
    expect(verdict.body).toMatchObject({ id: submitted.body.id, status: expect.stringMatching(/^(passed|failed)$/) });
    expect((await call(`${server.url}/api/submissions/sub_99999`, bearer(token))).status).toBe(404);

    const chat = await call(`${server.url}/api/tutor/chat`, post({ message: 'help', challengeId: 7 }, token));
    expect(chat.status).toBe(200);
    expect(chat.body.reply).toContain('ada');
    expect((await call(`${server.url}/api/tutor/chat`, post({}, token))).status).toBe(400);

    const session = await call(`${server.url}/api/collab/sessions`, post({ challengeId: 3 }, token));
    expect(session.status).toBe(201);
    const location = session.headers.get('location')!;
    expect(location).toBe(`/api/collab/sessions/${session.body.id as string}`);
    const edit = await call(`${server.url}${location}/edits`, post({ text: 'def f():' }, token));
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ applied: true });
  });

  it('keeps the built-in profiles working: POST /api/submissions still needs no token', async () => {
    expect((await call(`${server.url}/api/submissions`, post({ challengeId: 7, code: 'x' }))).status).toBe(201);
  });

  it('the AI tutor is the slow endpoint, collaboration a fast one', () => {
    const medians = Object.entries(DEFAULT_ROUTE_BEHAVIOUR).map(([route, behaviour]) => [route, behaviour.medianMs] as const);
    const slowest = medians.reduce((a, b) => (b[1] > a[1] ? b : a));
    expect(slowest[0]).toBe('tutorChat');
    expect(DEFAULT_ROUTE_BEHAVIOUR.collabEdit.medianMs).toBeLessThan(DEFAULT_ROUTE_BEHAVIOUR.getChallenge.medianMs);
  });
});

describe('examples/journeys with --demo (built CLI)', () => {
  let dir: string | undefined;
  beforeAll(() => assertBuilt());
  afterAll(() => removeTempDir(dir));

  it('runs the four journeys 40/30/20/10: every flow and step a group, no 401, no capture error', async () => {
    dir = makeTempDir();
    // a short run has too few samples for the example's percentiles: judge its error rate only
    writeFileSync(join(dir, 'errors.yaml'), 'targets:\n  - { name: Whole API, errorRate: 2% }\n');
    const out = join(dir, 'out');
    const run = await runCli(['run', join(repoRoot, 'examples/journeys/journeys.yaml'), '--demo', '-d', '8s', '--targets', join(dir, 'errors.yaml'), '--out', out], { cwd: dir, timeoutMs: 60_000 });
    expect(run.code, describeRun(run)).toBe(0);
    const result = readResultFile(out);
    expect(validateResult(result)).toEqual([]);
    for (const flow of ['browsing', 'submitting', 'ai-tutor', 'collaboration']) expect(result.groups[flow]?.requests, flow).toBeGreaterThan(0);
    for (const step of ['browse-challenge', 'submit-me', 'submit-result', 'tutor-ask', 'collab-edit']) expect(result.groups[step]?.requests, step).toBeGreaterThan(0);
    // the collaboration journey edits live over WebSocket: its socket and its messages are groups too
    expect(result.groups['collab-live.connect']?.requests).toBeGreaterThan(0);
    expect(result.groups['collab-live']?.counters?.['ws.sent']).toBeGreaterThan(0);
    expect(result.groups['collab-live']?.errors).toBe(0);
    // ...and the tutor's follow-up streams over SSE: its first words before its end
    expect(result.groups['tutor-follow-up.first']?.requests).toBeGreaterThan(0);
    expect(result.groups['tutor-follow-up']?.counters?.['sse.events']).toBeGreaterThan(0);
    expect(result.groups['tutor-follow-up.first']!.latencyMs.p50!).toBeLessThan(result.groups['tutor-follow-up']!.latencyMs.p50!);
    expect(result.totals.statusCodes['401']).toBeUndefined();
    expect(result.totals.errorKinds['capture']).toBeUndefined();
    // journeys started in the mix's shares (the closed model starts them in order, 40/30/20/10)
    const started = ['browsing', 'submitting', 'ai-tutor', 'collaboration'].map((flow) => result.groups[flow]!.requests);
    expect(started[0]!).toBeGreaterThan(started[3]!);
    expect(JSON.stringify(result)).not.toContain('demo-password');
  });
});
