// A real HTTP server on 127.0.0.1 that issues tokens and rejects requests without one, for the
// flow tests: it records what it saw (emails logged in, requests per path, 401s, the
// authorization values), so captures and data rows can be held against it.
import http from 'node:http';
import { listenOnLoopback } from './listen.js';

export interface AuthSeen {
  /** every email that logged in, with how many times */
  logins: Record<string, number>;
  byPath: Record<string, number>;
  /** requests answered 401: no or an unknown token */
  unauthorized: number;
  /** authorization header values of the requests that needed one, as received */
  authorizations: string[];
  /** request bodies of POST /login, as received */
  loginBodies: string[];
  /** POST /echo requests as received: body, cookie and x-csrf headers */
  echoes: Array<{ body: string; cookie: string | undefined; csrf: string | undefined }>;
}

export interface AuthServer {
  url: string;
  seen: AuthSeen;
  close(): Promise<void>;
}

export interface AuthServerOptions {
  /** these emails log in with 200 but get no token in the body (a capture finds nothing) */
  noTokenFor?: string[];
  /** answer every request after this many ms */
  delayMs?: number;
}

/**
 * POST /login {email, password} -> {token, user: {id, email}} and a `set-cookie: sid=...`;
 * GET /profile, GET /items, POST /echo need `authorization: Bearer <token>` (401 without);
 * GET /page returns an HTML form with a csrf value.
 */
export async function startAuthServer(options: AuthServerOptions = {}): Promise<AuthServer> {
  const seen: AuthSeen = { logins: {}, byPath: {}, unauthorized: 0, authorizations: [], loginBodies: [], echoes: [] };
  const tokens = new Map<string, string>();
  const noToken = new Set(options.noTokenFor ?? []);
  let issued = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      seen.byPath[path] = (seen.byPath[path] ?? 0) + 1;
      const raw = Buffer.concat(chunks).toString('utf8');
      const reply = (status: number, body: unknown, headers: Record<string, string | string[]> = {}): void => {
        const send = (): void => {
          const html = typeof body === 'string';
          res.writeHead(status, { 'content-type': html ? 'text/html' : 'application/json', ...headers });
          res.end(html ? body : JSON.stringify(body));
        };
        if (options.delayMs) setTimeout(send, options.delayMs);
        else send();
      };
      if (req.method === 'POST' && path === '/login') {
        seen.loginBodies.push(raw);
        let email = '';
        try {
          email = String((JSON.parse(raw) as { email?: unknown }).email ?? '');
        } catch {
          return reply(400, { error: 'not JSON' });
        }
        seen.logins[email] = (seen.logins[email] ?? 0) + 1;
        if (noToken.has(email)) return reply(200, { user: { email } });
        issued += 1;
        const token = `tok-${issued}-${Math.random().toString(36).slice(2, 12)}`;
        tokens.set(token, email);
        return reply(200, { token, user: { id: `u${issued}`, email } }, { 'set-cookie': [`sid=s${issued}; Path=/; HttpOnly`, `theme=dark; Path=/`] });
      }
      if (req.method === 'GET' && path === '/page') {
        return reply(200, '<form><input type="hidden" name="csrf" value="c-42"></form>');
      }
      const authorization = req.headers.authorization ?? '';
      seen.authorizations.push(authorization);
      const email = tokens.get(/^Bearer (.+)$/.exec(authorization)?.[1] ?? '');
      if (email === undefined) {
        seen.unauthorized += 1;
        return reply(401, { error: 'no valid token' });
      }
      if (path === '/echo') seen.echoes.push({ body: raw, cookie: req.headers.cookie, csrf: req.headers['x-csrf'] as string | undefined });
      if (path === '/profile' || path === '/items' || path === '/echo') {
        return reply(200, { email, path, url: req.url, cookie: req.headers.cookie ?? null, body: raw });
      }
      return reply(404, { error: 'not found' });
    });
  });
  const { url, close } = await listenOnLoopback(server);
  return { url, seen, close };
}
