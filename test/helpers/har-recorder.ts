// Records a HAR (1.2, Chrome's shape: pageref, _resourceType, headers, cookies, postData,
// response content) of a user session against the demo service, for the HAR import's fixture
// and tests. A front server on loopback plays the web app: it serves the static assets (css, js,
// fonts, images) and proxies /api and /health to the demo, so every entry has one host, as a
// browser's recording of a single-page app does. The session: log in, browse, submit, ask the
// tutor, collaborate; 18 API calls and 12 assets; the user's pauses are added to the clock.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface Header {
  name: string;
  value: string;
}
export interface HarEntry {
  pageref: string;
  startedDateTime: string;
  time: number;
  _resourceType: string;
  request: { method: string; url: string; httpVersion: string; headers: Header[]; queryString: Header[]; cookies: Header[]; headersSize: number; bodySize: number; postData?: { mimeType: string; text: string } };
  response: { status: number; statusText: string; httpVersion: string; headers: Header[]; cookies: Header[]; content: { size: number; mimeType: string; text?: string }; redirectURL: string; headersSize: number; bodySize: number };
  cache: Record<string, never>;
  timings: { blocked: number; dns: number; connect: number; send: number; wait: number; receive: number; ssl: number };
}
export interface Har {
  log: { version: string; creator: { name: string; version: string }; pages: { startedDateTime: string; id: string; title: string; pageTimings: Record<string, number> }[]; entries: HarEntry[] };
}

const assets: Record<string, string> = {
  '/static/app.css': 'text/css',
  '/static/app.js': 'application/javascript',
  '/static/vendor.js': 'application/javascript',
  '/static/editor.js': 'application/javascript',
  '/static/fonts/inter.woff2': 'font/woff2',
  '/static/fonts/mono.woff2': 'font/woff2',
  '/static/img/logo.svg': 'image/svg+xml',
  '/static/img/avatar.png': 'image/png',
  '/static/img/challenge-7.png': 'image/png',
  '/static/img/challenge-12.png': 'image/png',
  '/static/img/challenge-3.png': 'image/png',
  '/favicon.ico': 'image/x-icon',
};
const resourceType = (mime: string): string => (mime.startsWith('image/') ? 'image' : mime.startsWith('font/') ? 'font' : mime === 'text/css' ? 'stylesheet' : 'script');

/** the web app in front of the demo: assets here, the API proxied */
async function startFront(demoUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const mime = assets[path];
    if (mime) {
      res.writeHead(200, { 'content-type': mime, 'cache-control': 'max-age=3600' });
      res.end(Buffer.alloc(64, 1));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && name !== 'host' && name !== 'connection') headers[name] = value;
      const upstream = http.request(`${demoUrl}${req.url ?? '/'}`, { method: req.method, headers }, (answer) => {
        const out: Record<string, string> = {};
        for (const [name, value] of Object.entries(answer.headers)) if (typeof value === 'string' && name !== 'connection' && name !== 'keep-alive') out[name] = value;
        // the app's session cookie, set at login as a browser would keep it
        if (path === '/api/auth/login') out['set-cookie'] = 'session=sess-5f2a9c1e77d04b3a; Path=/; HttpOnly';
        res.writeHead(answer.statusCode ?? 502, out);
        answer.pipe(res);
      });
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const browserHeaders = (origin: string): Header[] => [
  { name: 'Accept-Encoding', value: 'gzip, deflate, br' },
  { name: 'Accept-Language', value: 'en-GB,en;q=0.9' },
  { name: 'User-Agent', value: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' },
  { name: 'Referer', value: `${origin}/` },
  { name: 'sec-ch-ua-platform', value: '"Linux"' },
];

export async function recordDemoHar(demoUrl: string, startedAt = new Date('2026-11-30T09:00:00.000Z')): Promise<Har> {
  const front = await startFront(demoUrl);
  const entries: HarEntry[] = [];
  let clock = startedAt.getTime();
  let token = '';
  const cookie = '_ga=GA1.1.1234567890.1764493200; session=sess-5f2a9c1e77d04b3a';

  const send = async (method: string, path: string, options: { json?: unknown; auth?: boolean; asset?: boolean; withCookie?: boolean } = {}): Promise<{ status: number; body: any; headers: Record<string, string> }> => {
    const url = `${front.url}${path}`;
    const headers: Header[] = [...browserHeaders(front.url), { name: 'Accept', value: options.asset ? '*/*' : 'application/json' }];
    if (options.withCookie !== false && !options.asset) headers.push({ name: 'Cookie', value: cookie });
    if (options.auth) headers.push({ name: 'Authorization', value: `Bearer ${token}` });
    const text = options.json === undefined ? undefined : JSON.stringify(options.json);
    if (text !== undefined) headers.push({ name: 'Content-Type', value: 'application/json' });
    const started = performance.now();
    const response = await fetch(url, { method, headers: Object.fromEntries(headers.filter((header) => header.name !== 'Accept-Encoding').map((header) => [header.name, header.value])), ...(text !== undefined ? { body: text } : {}) });
    const bodyText = await response.text();
    const time = Math.round((performance.now() - started) * 1000) / 1000;
    const responseHeaders: Header[] = [...response.headers.entries()].map(([name, value]) => ({ name, value }));
    const mime = response.headers.get('content-type') ?? 'application/octet-stream';
    const query = new URL(url).searchParams;
    entries.push({
      pageref: 'page_1',
      startedDateTime: new Date(clock).toISOString(),
      time,
      _resourceType: options.asset ? resourceType(mime) : 'fetch',
      request: {
        method,
        url,
        httpVersion: 'HTTP/1.1',
        headers,
        queryString: [...query.entries()].map(([name, value]) => ({ name, value })),
        cookies: options.withCookie !== false && !options.asset ? cookie.split('; ').map((pair) => ({ name: pair.split('=')[0]!, value: pair.split('=')[1]! })) : [],
        headersSize: -1,
        bodySize: text?.length ?? 0,
        ...(text !== undefined ? { postData: { mimeType: 'application/json', text } } : {}),
      },
      response: {
        status: response.status,
        statusText: response.statusText,
        httpVersion: 'HTTP/1.1',
        headers: responseHeaders,
        cookies: [],
        content: { size: bodyText.length, mimeType: mime, ...(options.asset ? {} : { text: bodyText }) },
        redirectURL: '',
        headersSize: -1,
        bodySize: bodyText.length,
      },
      cache: {},
      timings: { blocked: 0.5, dns: -1, connect: -1, send: 0.1, wait: Math.max(0, time - 1), receive: 0.4, ssl: -1 },
    });
    clock += Math.ceil(time);
    return { status: response.status, body: /json/.test(mime) && bodyText ? JSON.parse(bodyText) : null, headers: Object.fromEntries(response.headers.entries()) };
  };
  /** the browser fetches these side by side: a few ms apart */
  const burst = async (paths: string[]): Promise<void> => {
    for (const path of paths) {
      await send('GET', path, { asset: true });
      clock += 3;
    }
  };
  const think = (ms: number): void => void (clock += ms);

  try {
    await burst(['/static/app.css', '/static/vendor.js', '/static/app.js', '/static/fonts/inter.woff2', '/static/img/logo.svg', '/favicon.ico']);
    think(4200); // typing the email and password
    const login = await send('POST', '/api/auth/login', { json: { email: 'ada@example.com', password: 'correct-horse-battery-staple' }, withCookie: false });
    token = String(login.body.token);
    await send('GET', '/api/me', { auth: true });
    await burst(['/static/img/avatar.png']);
    await send('GET', '/api/challenges?difficulty=medium', { auth: true });
    await burst(['/static/img/challenge-7.png', '/static/img/challenge-12.png', '/static/img/challenge-3.png']);
    think(2740);
    await send('GET', '/api/challenges/7', { auth: true });
    think(1260);
    await send('GET', '/api/challenges/12', { auth: true });
    think(880);
    await send('GET', '/api/challenges?search=algorithm', { auth: true });
    await send('GET', '/api/challenges/3', { auth: true });
    think(12_350); // writing the solution
    const submission = await send('POST', '/api/submissions', { json: { challengeId: 3, code: 'def solution(): return True', language: 'python' }, auth: true });
    think(1530);
    await send('GET', `/api/submissions/${String(submission.body.id)}`, { auth: true });
    think(3120);
    await send('POST', '/api/tutor/chat', { json: { message: 'Why did my solution fail?', challengeId: 3 }, auth: true });
    think(6480); // reading the answer
    await send('POST', '/api/tutor/chat', { json: { message: 'Can you give me a hint about the edge cases?', challengeId: 3 }, auth: true });
    think(2050);
    await burst(['/static/editor.js', '/static/fonts/mono.woff2']);
    const session = await send('POST', '/api/collab/sessions', { json: { challengeId: 3 }, auth: true });
    think(940);
    await send('POST', `/api/collab/sessions/${String(session.body.id)}/edits`, { json: { text: 'def solution():' }, auth: true });
    think(610);
    await send('POST', `/api/collab/sessions/${String(session.body.id)}/edits`, { json: { text: '    return True' }, auth: true });
    think(1800);
    await send('GET', '/api/me', { auth: true });
    await send('GET', '/api/challenges?limit=5', { auth: true });
    think(2200);
    await send('GET', `/api/submissions/${String(submission.body.id)}`, { auth: true });
    await send('GET', '/health', { withCookie: false });
  } finally {
    await front.close();
  }
  return {
    log: {
      version: '1.2',
      creator: { name: 'WebInspector', version: '537.36' },
      pages: [{ startedDateTime: startedAt.toISOString(), id: 'page_1', title: 'CodeMentor AI', pageTimings: { onContentLoad: 310, onLoad: 480 } }],
      entries,
    },
  };
}
