// The bundled demo service: a small HTTP API modelled on the seed documents (CodeMentor AI's
// challenges and submissions), with realistic, slightly variable latency, a small error rate and a
// capacity beyond which latency grows, so that perfctl's profiles have something to show.
// The user journeys' endpoints (/api/me, /api/submissions/:id, /api/tutor/chat, /api/collab/...)
// require `authorization: Bearer <token>` with a token from POST /api/auth/login (401 without).
// node:http only; latency is waited with setTimeout, never burnt on the CPU.

import { createHash } from 'node:crypto';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { createDualListener } from './demo-listener.js';
import { makeSelfSignedCertificate } from './self-signed-cert.js';
import {
  createDemoModel,
  DEMO_ROUTES,
  type CapacityModel,
  type DemoDecision,
  type DemoRoute,
  type RouteBehaviour,
} from './demo-model.js';
import { createRealtime, type RealtimeStats } from './demo-realtime.js';

export type { DemoRoute } from './demo-model.js';

export interface DemoServerOptions {
  /** 0 (the default) picks a free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** PRNG seed for latencies and injected errors (default 1) */
  seed?: number;
  /** multiplies every latency; 0 answers at once */
  latencyScale?: number;
  /** per-route overrides of median latency, spread and error rate */
  routes?: Partial<Record<DemoRoute, Partial<RouteBehaviour>>>;
  /** overrides of the capacity model (see demo-model.ts) */
  capacity?: Partial<CapacityModel>;
  /**
   * HTTPS with a self-signed certificate made at start-up: h2 or HTTP/1.1 by ALPN. Without it the
   * port speaks HTTP/1.1 and h2c (prior knowledge) alike.
   */
  tls?: boolean;
}

/** A route of the service, or `notFound` for anything else (404 and 405 answers). */
export type DemoStatsRoute = DemoRoute | 'notFound';

export interface DemoStats {
  /** every request received, whatever its route */
  requests: number;
  byRoute: Record<DemoStatsRoute, number>;
  /** responses sent, by status code */
  byStatus: Record<string, number>;
  /** 500s injected by the error model */
  injectedErrors: number;
  /** 503s sent because too many requests were in service */
  shed: number;
  inFlight: number;
  maxInFlight: number;
  /** the WebSocket collaboration and SSE tutor endpoints (demo-realtime.ts) */
  realtime: RealtimeStats;
}

export interface DemoServer {
  url: string;
  port: number;
  /** with `tls`: the certificate it serves (PEM), for clients that want to trust it */
  certificate?: string;
  close(): Promise<void>;
  stats(): DemoStats;
}

export interface Challenge {
  id: number;
  title: string;
  difficulty: 'easy' | 'medium' | 'hard';
  language: string;
  tags: string[];
  points: number;
}

const CHALLENGE_COUNT = 50;
/** tokens remembered for the authenticated endpoints; the oldest are forgotten beyond this */
const MAX_SESSIONS = 100_000;
const MAX_BODY_BYTES = 1_000_000;
const STATS_PATH = '/_demo/stats';

const TOPICS = [
  'Two Sum',
  'Reverse a Linked List',
  'Binary Search',
  'Valid Parentheses',
  'Merge Intervals',
  'LRU Cache',
  'Word Ladder',
  'Top K Frequent',
  'Longest Substring',
  'Course Schedule',
];
const LANGUAGES = ['python', 'javascript', 'typescript', 'go', 'java'];
const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
const TAGS = ['arrays', 'strings', 'graphs', 'dynamic-programming', 'hashing', 'algorithm'];

/** The fixed catalogue: the same 50 challenges on every start, whatever the seed. */
export const DEMO_CHALLENGES: readonly Challenge[] = Array.from({ length: CHALLENGE_COUNT }, (_, i) => {
  const id = i + 1;
  const difficulty = DIFFICULTIES[i % DIFFICULTIES.length] ?? 'easy';
  return {
    id,
    title: `${TOPICS[i % TOPICS.length]} #${Math.floor(i / TOPICS.length) + 1}`,
    difficulty,
    language: LANGUAGES[i % LANGUAGES.length] ?? 'python',
    tags: [TAGS[i % TAGS.length] ?? 'algorithm', TAGS[(i + 3) % TAGS.length] ?? 'algorithm'],
    points: (DIFFICULTIES.indexOf(difficulty) + 1) * 100,
  };
});

type Json = Record<string, unknown>;
interface Reply {
  status: number;
  body: Json;
  headers?: Record<string, string>;
}

class BadBody extends Error {}

export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const host = options.host ?? '127.0.0.1';
  const model = createDemoModel({
    seed: options.seed,
    latencyScale: options.latencyScale,
    routes: options.routes,
    capacity: options.capacity,
  });

  const byRoute = Object.fromEntries(
    [...DEMO_ROUTES, 'notFound'].map((route) => [route, 0]),
  ) as Record<DemoStatsRoute, number>;
  const byStatus: Record<string, number> = {};
  let requests = 0;
  let injectedErrors = 0;
  let shed = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let submissionSeq = 0;
  let collabSeq = 0;
  /** token -> user, for the endpoints that require a login */
  const sessions = new Map<string, DemoUser>();
  const remember = (reply: Reply): Reply => {
    const token = reply.body['token'];
    if (reply.status === 200 && typeof token === 'string' && !sessions.has(token)) {
      if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value as string);
      sessions.set(token, reply.body['user'] as DemoUser);
    }
    return reply;
  };
  /** the user of a valid `Bearer` token, or a 401 */
  const authed = (authorization: string | undefined, answer: (user: DemoUser) => Reply): Reply => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const user = token === undefined ? undefined : sessions.get(token);
    if (user === undefined) {
      return {
        status: 401,
        body: { error: token === undefined ? 'authorization: Bearer <token> is required' : 'the token is not valid' },
        headers: { 'www-authenticate': 'Bearer' },
      };
    }
    return answer(user);
  };
  const pendingTimers = new Set<NodeJS.Timeout>();
  const startedAtMs = Date.now();
  const realtime = createRealtime(model, options.seed ?? 1);

  const stats = (): DemoStats => ({
    requests,
    byRoute: { ...byRoute },
    byStatus: { ...byStatus },
    injectedErrors,
    shed,
    inFlight,
    maxInFlight,
    realtime: realtime.stats(),
  });

  const send = (res: http.ServerResponse, reply: Reply): void => {
    if (res.destroyed || res.writableEnded) return;
    const payload = JSON.stringify(reply.body);
    byStatus[reply.status] = (byStatus[reply.status] ?? 0) + 1;
    res.writeHead(reply.status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(payload),
      ...reply.headers,
    });
    res.end(payload);
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://demo.invalid');
    const method = req.method ?? 'GET';

    if (url.pathname === STATS_PATH) {
      // introspection for tools and tests: not counted, no latency
      req.resume();
      send(res, { status: 200, body: stats() as unknown as Json });
      return;
    }

    if (url.pathname === '/api/tutor/stream' && method === 'GET') {
      // a streamed answer: its own timing (demo-realtime.ts), counted as one request
      requests += 1;
      byRoute.tutorStream += 1;
      byStatus['200'] = (byStatus['200'] ?? 0) + 1;
      req.resume();
      realtime.stream(req, res, url.pathname);
      return;
    }

    requests += 1;
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let finished = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      inFlight -= 1;
      if (timer) {
        clearTimeout(timer);
        pendingTimers.delete(timer);
      }
    };
    res.once('finish', finish);
    res.once('close', finish);

    const match = matchRoute(method, url.pathname);
    byRoute[match.route] += 1;
    const decision: DemoDecision =
      match.route === 'notFound' ? model.decideMinor(inFlight) : model.decide(match.route, inFlight);

    if (decision.kind === 'shed') {
      shed += 1;
      req.resume();
      send(res, {
        status: 503,
        body: { error: 'service overloaded, try again later' },
        headers: { 'retry-after': '1' },
      });
      return;
    }

    const arrivedAtMs = performance.now();
    readBody(req).then(
      (raw) => {
        let reply: Reply;
        if (decision.fail) {
          injectedErrors += 1;
          reply = { status: 500, body: { error: 'internal error (injected by the demo service)' } };
        } else {
          try {
            reply = match.answer(raw, url, req.headers.authorization);
          } catch (error) {
            reply =
              error instanceof BadBody
                ? { status: 400, body: { error: error.message } }
                : { status: 500, body: { error: 'internal error' } };
          }
        }
        reply.headers = { ...reply.headers, 'x-demo-delay-ms': decision.delayMs.toFixed(3) };
        const remainingMs = decision.delayMs - (performance.now() - arrivedAtMs);
        if (remainingMs <= 0 || model.latencyScale === 0) {
          send(res, reply);
          return;
        }
        timer = setTimeout(() => {
          if (timer) pendingTimers.delete(timer);
          timer = undefined;
          send(res, reply);
        }, remainingMs);
        pendingTimers.add(timer);
      },
      (error: unknown) => {
        const tooLarge = error instanceof BadBody;
        send(res, {
          status: tooLarge ? 413 : 400,
          body: { error: tooLarge ? error.message : 'could not read the request body' },
        });
      },
    );
  };

  interface Match {
    route: DemoStatsRoute;
    answer(rawBody: string, url: URL, authorization: string | undefined): Reply;
  }

  const matchRoute = (method: string, pathname: string): Match => {
    const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
    const allow = (allowed: string[], match: Match): Match =>
      allowed.includes(method)
        ? match
        : {
            route: 'notFound',
            answer: () => ({
              status: 405,
              body: { error: `method ${method} not allowed on ${path}` },
              headers: { allow: allowed.join(', ') },
            }),
          };

    if (path === '/health') {
      return allow(['GET', 'HEAD'], {
        route: 'health',
        answer: () => ({
          status: 200,
          body: { status: 'ok', uptimeMs: Date.now() - startedAtMs, inFlight },
        }),
      });
    }
    if (path === '/api/auth/login') {
      return allow(['POST'], { route: 'login', answer: (raw) => remember(login(raw)) });
    }
    if (path === '/api/challenges') {
      return allow(['GET', 'HEAD'], { route: 'listChallenges', answer: (_raw, url) => listChallenges(url) });
    }
    const item = /^\/api\/challenges\/([^/]+)$/.exec(path);
    if (item) {
      const id = decodeURIComponent(item[1] ?? '');
      return allow(['GET', 'HEAD'], { route: 'getChallenge', answer: () => getChallenge(id) });
    }
    if (path === '/api/submissions') {
      return allow(['POST'], {
        route: 'createSubmission',
        answer: (raw) => {
          submissionSeq += 1;
          return createSubmission(raw, submissionSeq);
        },
      });
    }
    if (path === '/api/me') {
      return allow(['GET'], { route: 'me', answer: (_raw, _url, auth) => authed(auth, (user) => ({ status: 200, body: { ...user } })) });
    }
    const submission = /^\/api\/submissions\/([^/]+)$/.exec(path);
    if (submission) {
      const id = decodeURIComponent(submission[1] ?? '');
      return allow(['GET'], { route: 'getSubmission', answer: (_raw, _url, auth) => authed(auth, () => getSubmission(id, submissionSeq)) });
    }
    if (path === '/api/tutor/chat') {
      return allow(['POST'], { route: 'tutorChat', answer: (raw, _url, auth) => authed(auth, (user) => tutorChat(raw, user)) });
    }
    if (path === '/api/collab/sessions') {
      return allow(['POST'], {
        route: 'createCollabSession',
        answer: (raw, _url, auth) =>
          authed(auth, (user) => {
            collabSeq += 1;
            return createCollabSession(raw, user, collabSeq);
          }),
      });
    }
    const edit = /^\/api\/collab\/sessions\/([^/]+)\/edits$/.exec(path);
    if (edit) {
      const id = decodeURIComponent(edit[1] ?? '');
      return allow(['POST'], { route: 'collabEdit', answer: (raw, _url, auth) => authed(auth, () => collabEdit(raw, id, collabSeq)) });
    }
    return {
      route: 'notFound',
      answer: () => ({ status: 404, body: { error: `no route for ${method} ${path}` } }),
    };
  };

  const server = http.createServer(handle);
  server.keepAliveTimeout = 10_000;
  // HTTP/2 streams take the same handler through node:http2's compatibility API (the realtime
  // stream writes events with res.write either way; WebSocket stays on HTTP/1.1 upgrades)
  const h2 = http2.createServer({ settings: { maxConcurrentStreams: 256 } }, handle as unknown as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void);
  h2.on('sessionError', () => undefined);
  const certificate = options.tls ? makeSelfSignedCertificate() : undefined;
  const listener = createDualListener(server, h2, certificate);
  server.on('upgrade', (req, socket, head) => {
    requests += 1;
    byRoute.collabSocket += 1;
    realtime.upgrade(req, socket, head);
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    listener.server.once('error', onError);
    listener.server.listen({ port: options.port ?? 0, host, backlog: 4096 }, () => {
      listener.server.off('error', onError);
      resolve();
    });
  });

  const address = listener.server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;

  return {
    url: `${certificate ? 'https' : 'http'}://${urlHost}:${address.port}`,
    port: address.port,
    ...(certificate ? { certificate: certificate.cert } : {}),
    stats,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        for (const pending of pendingTimers) clearTimeout(pending);
        pendingTimers.clear();
        realtime.close();
        listener.server.close((error) => (error ? reject(error) : resolve()));
        listener.closeAll();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BadBody(`request body larger than ${MAX_BODY_BYTES} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJsonObject(raw: string): Json {
  if (raw.trim() === '') throw new BadBody('a JSON body is required');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new BadBody('the body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadBody('the body must be a JSON object');
  }
  return value as Json;
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function login(raw: string): Reply {
  const body = parseJsonObject(raw);
  const missing = ['email', 'password'].filter((field) => !nonEmptyString(body[field]));
  if (missing.length > 0) {
    return { status: 400, body: { error: `missing field(s): ${missing.join(', ')}` } };
  }
  const email = String(body.email);
  const digest = createHash('sha256').update(email).digest('hex');
  return {
    status: 200,
    body: {
      token: `demo.${digest.slice(0, 32)}`,
      expiresIn: 3600,
      user: {
        id: `u_${digest.slice(0, 12)}`,
        email,
        name: email.split('@')[0] ?? email,
      },
    },
  };
}

function listChallenges(url: URL): Reply {
  const difficulty = url.searchParams.get('difficulty');
  const search = url.searchParams.get('search')?.toLowerCase();
  const limit = clampInt(url.searchParams.get('limit'), 20, 1, 100);
  const page = clampInt(url.searchParams.get('page'), 1, 1, 10_000);
  const matching = DEMO_CHALLENGES.filter(
    (c) =>
      (!difficulty || c.difficulty === difficulty) &&
      (!search || c.title.toLowerCase().includes(search) || c.tags.some((t) => t.includes(search))),
  );
  const items = matching.slice((page - 1) * limit, page * limit);
  return { status: 200, body: { items, total: matching.length, page, limit } };
}

function getChallenge(id: string): Reply {
  const challenge = /^\d+$/.test(id) ? DEMO_CHALLENGES[Number(id) - 1] : undefined;
  if (!challenge) return { status: 404, body: { error: `challenge ${id} not found` } };
  return {
    status: 200,
    body: {
      ...challenge,
      description: `Solve "${challenge.title}" in ${challenge.language}.`,
      starterCode: 'def solution():\n    pass\n',
    },
  };
}

function createSubmission(raw: string, seq: number): Reply {
  const body = parseJsonObject(raw);
  const missing: string[] = [];
  const challengeId = Number(body.challengeId);
  if (body.challengeId === undefined || body.challengeId === null || body.challengeId === '') {
    missing.push('challengeId');
  }
  if (!nonEmptyString(body.code)) missing.push('code');
  if (missing.length > 0) {
    return { status: 400, body: { error: `missing field(s): ${missing.join(', ')}` } };
  }
  if (!Number.isInteger(challengeId) || !DEMO_CHALLENGES[challengeId - 1]) {
    return { status: 404, body: { error: `challenge ${String(body.challengeId)} not found` } };
  }
  const id = `sub_${seq}`;
  return {
    status: 201,
    headers: { location: `/api/submissions/${id}` },
    body: {
      id,
      challengeId,
      language: nonEmptyString(body.language) ? body.language : 'python',
      status: 'queued',
      createdAt: new Date().toISOString(),
    },
  };
}

interface DemoUser {
  id: string;
  email: string;
  name: string;
}

function getSubmission(id: string, lastSeq: number): Reply {
  const seq = /^sub_(\d+)$/.exec(id)?.[1];
  if (seq === undefined || Number(seq) < 1 || Number(seq) > lastSeq) return { status: 404, body: { error: `submission ${id} not found` } };
  const passed = Number(seq) % 5 !== 0;
  return { status: 200, body: { id, status: passed ? 'passed' : 'failed', tests: { passed: passed ? 10 : 7, total: 10 } } };
}

function tutorChat(raw: string, user: DemoUser): Reply {
  const body = parseJsonObject(raw);
  if (!nonEmptyString(body.message)) return { status: 400, body: { error: 'missing field(s): message' } };
  const challenge = /^\d+$/.test(String(body.challengeId ?? '')) ? DEMO_CHALLENGES[Number(body.challengeId) - 1] : undefined;
  const topic = challenge ? `"${challenge.title}"` : 'this problem';
  return {
    status: 200,
    body: {
      reply: `${user.name}, for ${topic} start from a brute-force solution, then look for repeated work you can cache.`,
      challengeId: challenge?.id ?? null,
      usage: { promptTokens: String(body.message).length, completionTokens: 24 },
    },
  };
}

function createCollabSession(raw: string, user: DemoUser, seq: number): Reply {
  const body = raw.trim() === '' ? {} : parseJsonObject(raw);
  const challengeId = Number(body.challengeId ?? 1);
  const id = `collab_${seq}`;
  return {
    status: 201,
    headers: { location: `/api/collab/sessions/${id}` },
    body: { id, challengeId: Number.isInteger(challengeId) ? challengeId : 1, owner: user.id, participants: [user.id], version: 0 },
  };
}

function collabEdit(raw: string, id: string, lastSeq: number): Reply {
  const seq = /^collab_(\d+)$/.exec(id)?.[1];
  if (seq === undefined || Number(seq) < 1 || Number(seq) > lastSeq) return { status: 404, body: { error: `session ${id} not found` } };
  const body = parseJsonObject(raw);
  if (!nonEmptyString(body.text)) return { status: 400, body: { error: 'missing field(s): text' } };
  return { status: 200, body: { id, applied: true, version: Number(seq) + String(body.text).length } };
}

function clampInt(raw: string | null, fallback: number, min: number, max: number): number {
  if (raw === null || !/^\d+$/.test(raw)) return fallback;
  return Math.min(max, Math.max(min, Number(raw)));
}
