// The demo service on a real socket: endpoints, shapes, errors, latency, determinism, stats,
// and its script entry. Every server here listens on 127.0.0.1 and is closed after its test.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_READY_PREFIX, runDemoMain } from '../../src/demo/demo-main.js';
import { startDemoServer, type DemoServer } from '../../src/demo/demo-server.js';

const json = { 'content-type': 'application/json' };
const login = { email: 'ada@example.com', password: 'secret' };
const submission = { challengeId: 7, code: 'def solution(): return True', language: 'python' };

async function call(url: string, init?: RequestInit): Promise<{ status: number; body: any; headers: Headers; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, init);
  const text = await response.text();
  const ms = performance.now() - started;
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers, ms };
}

const post = (body: unknown): RequestInit => ({ method: 'POST', headers: json, body: JSON.stringify(body) });

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

describe('demo server endpoints', () => {
  let server: DemoServer;
  // no injected errors here: these tests check the answers themselves
  beforeAll(async () => {
    server = await startDemoServer({
      seed: 3,
      routes: {
        login: { errorRate: 0 },
        listChallenges: { errorRate: 0 },
        getChallenge: { errorRate: 0 },
        createSubmission: { errorRate: 0 },
      },
    });
  });
  afterAll(async () => server.close());

  it('listens on a free loopback port', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
  });

  it('GET /health: 200 {status: ok}', async () => {
    const r = await call(`${server.url}/health`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok' });
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('POST /api/auth/login: 200 {token, user}', async () => {
    const r = await call(`${server.url}/api/auth/login`, post(login));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      token: expect.stringMatching(/^demo\.[0-9a-f]{32}$/),
      expiresIn: 3600,
      user: { id: expect.stringMatching(/^u_/), email: 'ada@example.com', name: 'ada' },
    });
  });

  it.each([
    [{ email: 'ada@example.com' }, /password/],
    [{ password: 'x' }, /email/],
    [{ email: '', password: '' }, /email, password/],
  ])('POST /api/auth/login %j: 400', async (body, message) => {
    const r = await call(`${server.url}/api/auth/login`, post(body));
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(message);
  });

  it('POST /api/auth/login with a body that is not JSON: 400', async () => {
    const r = await call(`${server.url}/api/auth/login`, { method: 'POST', headers: json, body: '{nope' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/not valid JSON/);
  });

  it('GET /api/challenges: a page of challenges', async () => {
    const r = await call(`${server.url}/api/challenges`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ total: 50, page: 1, limit: 20 });
    expect(r.body.items).toHaveLength(20);
    expect(r.body.items[0]).toEqual({
      id: 1,
      title: expect.any(String),
      difficulty: expect.stringMatching(/^(easy|medium|hard)$/),
      language: expect.any(String),
      tags: expect.any(Array),
      points: expect.any(Number),
    });
  });

  it('GET /api/challenges?difficulty=medium&limit=5: filtered and limited', async () => {
    const r = await call(`${server.url}/api/challenges?difficulty=medium&limit=5`);
    expect(r.body.items).toHaveLength(5);
    expect(r.body.items.every((c: { difficulty: string }) => c.difficulty === 'medium')).toBe(true);
  });

  it('GET /api/challenges/:id: 200 for a known id, 404 otherwise', async () => {
    const found = await call(`${server.url}/api/challenges/7`);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ id: 7, title: expect.any(String), description: expect.any(String) });
    for (const id of ['0', '51', '9999', 'abc']) {
      const missing = await call(`${server.url}/api/challenges/${id}`);
      expect(missing.status, id).toBe(404);
      expect(missing.body.error).toMatch(/not found/);
    }
  });

  it('POST /api/submissions: 201 with a location', async () => {
    const r = await call(`${server.url}/api/submissions`, post(submission));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ id: expect.stringMatching(/^sub_\d+$/), challengeId: 7, language: 'python', status: 'queued' });
    expect(r.headers.get('location')).toBe(`/api/submissions/${r.body.id}`);
  });

  it('POST /api/submissions: 400 without code, 404 for an unknown challenge', async () => {
    expect((await call(`${server.url}/api/submissions`, post({ challengeId: 7 }))).status).toBe(400);
    expect((await call(`${server.url}/api/submissions`, post({ ...submission, challengeId: 999 }))).status).toBe(404);
  });

  it('unknown paths: 404; a wrong method: 405 with Allow', async () => {
    const unknown = await call(`${server.url}/api/nothing-here`);
    expect(unknown.status).toBe(404);
    const wrong = await call(`${server.url}/api/auth/login`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });
});

describe('demo server latency', () => {
  let server: DemoServer;
  beforeAll(async () => {
    server = await startDemoServer({ seed: 5 });
  });
  afterAll(async () => server.close());

  // loose bounds: the machine may be busy; the planned delay is a floor, never a ceiling
  it.each([
    ['GET /health', 0, 25, '/health', undefined],
    ['GET /api/challenges', 10, 60, '/api/challenges', undefined],
    ['GET /api/challenges/:id', 5, 50, '/api/challenges/3', undefined],
    ['POST /api/auth/login', 18, 80, '/api/auth/login', login],
    ['POST /api/submissions', 28, 110, '/api/submissions', submission],
  ] as const)('%s: median of 30 calls between %d and %d ms', async (_label, lowMs, highMs, route, body) => {
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await call(`${server.url}${route}`, body ? post(body) : undefined);
      expect([200, 201, 500]).toContain(r.status);
      times.push(r.ms);
    }
    expect(median(times)).toBeGreaterThanOrEqual(lowMs);
    expect(median(times)).toBeLessThanOrEqual(highMs);
  });

  it('grows when many requests are in service at once', async () => {
    // a slow, steady route keeps the whole burst in service together, however fast it arrives
    const quiet = await startDemoServer({ seed: 1, routes: { health: { medianMs: 500, spread: 0 } } });
    try {
      const alone = await call(`${quiet.url}/health`);
      expect(Number(alone.headers.get('x-demo-delay-ms'))).toBeCloseTo(500, 6);
      // 120 at once: each beyond capacity (4) waits 1 ms more per extra request in flight
      const burst = await Promise.all(Array.from({ length: 120 }, () => call(`${quiet.url}/health`)));
      const maxInFlight = quiet.stats().maxInFlight;
      expect(maxInFlight).toBeGreaterThan(60);
      const planned = burst.map((r) => Number(r.headers.get('x-demo-delay-ms')));
      expect(Math.max(...planned)).toBeCloseTo(500 + maxInFlight - 4, 6);
      expect(Math.max(...burst.map((r) => r.ms))).toBeGreaterThan(550);
    } finally {
      await quiet.close();
    }
  });

  it('latencyScale 0 answers at once', async () => {
    const fast = await startDemoServer({ latencyScale: 0 });
    try {
      const r = await call(`${fast.url}/api/submissions`, post(submission));
      expect(r.headers.get('x-demo-delay-ms')).toBe('0.000');
    } finally {
      await fast.close();
    }
  });
});

describe('demo server determinism and stats', () => {
  // sequential requests: the same seed plans the same delays and fails the same requests
  async function trace(seed: number): Promise<string[]> {
    const server = await startDemoServer({
      seed,
      latencyScale: 0,
      routes: { createSubmission: { errorRate: 0.3 } },
    });
    try {
      const out: string[] = [];
      for (let i = 0; i < 40; i++) {
        const r = await call(`${server.url}/api/submissions`, post(submission));
        out.push(`${r.status}`);
      }
      return out;
    } finally {
      await server.close();
    }
  }

  async function delays(seed: number): Promise<string[]> {
    const server = await startDemoServer({ seed, latencyScale: 0.01 });
    try {
      const out: string[] = [];
      for (let i = 0; i < 20; i++) out.push((await call(`${server.url}/api/challenges`)).headers.get('x-demo-delay-ms') ?? '');
      return out;
    } finally {
      await server.close();
    }
  }

  it('the same seed gives the same errors and delays; another seed does not', async () => {
    const a = await trace(42);
    expect(a).toContain('500');
    expect(a).toContain('201');
    expect(await trace(42)).toEqual(a);
    expect(await trace(43)).not.toEqual(a);
    expect(await delays(42)).toEqual(await delays(42));
    expect(await delays(42)).not.toEqual(await delays(43));
  });

  it('stats() counts what was sent, by route and by status', async () => {
    const server = await startDemoServer({ latencyScale: 0, routes: { createSubmission: { errorRate: 1 } } });
    try {
      await call(`${server.url}/health`);
      await call(`${server.url}/api/challenges`);
      await call(`${server.url}/api/challenges`);
      await call(`${server.url}/api/challenges/1`);
      await call(`${server.url}/api/challenges/77`);
      await call(`${server.url}/api/auth/login`, post(login));
      await call(`${server.url}/api/submissions`, post(submission));
      await call(`${server.url}/nope`);
      const stats = server.stats();
      expect(stats).toEqual({
        requests: 8,
        byRoute: { health: 1, listChallenges: 2, getChallenge: 2, login: 1, createSubmission: 1, me: 0, getSubmission: 0, tutorChat: 0, createCollabSession: 0, collabEdit: 0, collabSocket: 0, tutorStream: 0, notFound: 1 },
        byStatus: { 200: 5, 404: 2, 500: 1 },
        injectedErrors: 1,
        shed: 0,
        inFlight: 0,
        maxInFlight: 1,
        realtime: { socketsOpen: 0, socketsOpened: 0, edits: 0, droppedEdits: 0, sent: 0, streams: 0, streamEvents: 0, brokenStreams: 0 },
      });
      // the same, over HTTP, for a demo running in another process; not counted itself
      expect((await call(`${server.url}/_demo/stats`)).body).toEqual(JSON.parse(JSON.stringify(stats)));
      expect(server.stats().requests).toBe(8);
    } finally {
      await server.close();
    }
  });

  it('sheds with 503 beyond shedAbove requests in service', async () => {
    const server = await startDemoServer({ capacity: { shedAbove: 5 }, routes: { health: { medianMs: 800, spread: 0 } } });
    try {
      const statuses = (await Promise.all(Array.from({ length: 12 }, () => call(`${server.url}/health`)))).map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(5);
      expect(statuses.filter((s) => s === 503)).toHaveLength(7);
      expect(server.stats().shed).toBe(7);
    } finally {
      await server.close();
    }
  });

  it('close() ends promptly with requests still in service', async () => {
    const server = await startDemoServer({ routes: { health: { medianMs: 5000, spread: 0 } } });
    const pending = fetch(`${server.url}/health`).catch((error: unknown) => error);
    while (server.stats().inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe('demo-main', () => {
  it('prints the ready line, serves, and returns 0 on SIGTERM', async () => {
    const out: string[] = [];
    const handlers = new Map<string, () => void>();
    const exit = runDemoMain(['--port', '0'], {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => out.push(`ERR ${text}`) },
      onSignal: (signal, handler) => handlers.set(signal, handler),
    });
    while (out.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^perfctl demo listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    const url = out[0]!.slice(DEMO_READY_PREFIX.length).trim();
    expect((await call(`${url}/health`)).status).toBe(200);
    handlers.get('SIGTERM')?.();
    expect(await exit).toBe(0);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it('exits 3 with a hint when the port is taken', async () => {
    const taken = await startDemoServer({});
    try {
      const err: string[] = [];
      const code = await runDemoMain(['--port', String(taken.port)], {
        stdout: { write: () => undefined },
        stderr: { write: (text: string) => err.push(text) },
        onSignal: () => undefined,
      });
      expect(code).toBe(3);
      expect(err.join('')).toMatch(/cannot listen on 127\.0\.0\.1:\d+: .*port is taken/);
    } finally {
      await taken.close();
    }
  });

  it('exits 2 on a bad argument', async () => {
    const err: string[] = [];
    const code = await runDemoMain(['--port', 'x'], {
      stdout: { write: () => undefined },
      stderr: { write: (text: string) => err.push(text) },
      onSignal: () => undefined,
    });
    expect(code).toBe(2);
    expect(err.join('')).toMatch(/usage: perfctl demo/);
  });

  const built = path.resolve(import.meta.dirname, '../../dist/demo/demo-main.js');
  it.skipIf(!existsSync(built))('as a child process (dist/demo/demo-main.js): one line, then a clean exit on SIGINT', async () => {
    const child = spawn(process.execPath, [built, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let stdout = '';
      child.stdout.setEncoding('utf8');
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: string) => {
          stdout += chunk;
          if (stdout.includes('\n')) resolve(stdout.split('\n')[0] ?? '');
        });
        child.once('exit', (code) => reject(new Error(`demo exited early with ${code}`)));
      });
      expect(line).toMatch(/^perfctl demo listening on http:\/\/127\.0\.0\.1:\d+$/);
      const url = line.slice(DEMO_READY_PREFIX.length);
      expect((await call(`${url}/api/challenges/1`)).status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stdout).toBe(`${line}\n`);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
