// nginx (Debian's nginx-light) on a free loopback port with its own config in a temp dir: gzip
// on, a chain of redirects, a cookie login, a static page; the access log says what it served.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));

export interface TestNginx {
  url: string;
  /** one entry per request: status, bytes sent (head and body, as on the wire) and the uri */
  log: () => Array<{ status: number; bytes: number; uri: string }>;
  /** the log once it has at least `count` entries (nginx writes an entry just after the response) */
  logOf: (count: number) => Promise<Array<{ status: number; bytes: number; uri: string }>>;
  /**
   * the entries of requests tagged `?tag=<tag>` (redirects keep the query), once there are `count`
   * of them, with the tag taken off their uri: a test's own entries, whatever entries of earlier
   * requests nginx writes after it has read the log (it writes each just after its response)
   */
  entriesTagged: (tag: string, count: number) => Promise<Array<{ status: number; bytes: number; uri: string }>>;
  stop: () => Promise<void>;
}

/** a page large enough to be worth compressing, with a marker to expect */
export const PAGE = `<html><body>${'<p>perfctl gzip test: the quick brown fox.</p>\n'.repeat(400)}<p id="marker">nginx-gzip-ok</p></body></html>\n`;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startNginx(): Promise<TestNginx> {
  if (NGINX === undefined) throw new Error('nginx is not installed: apt-get install -y nginx-light (.ci/run does it)');
  const dir = mkdtempSync(join(tmpdir(), 'perfctl-nginx-'));
  const root = join(dir, 'www');
  mkdirSync(root);
  writeFileSync(join(root, 'page.html'), PAGE);
  const port = await freePort();
  const logFile = join(dir, 'access.log');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  log_format served '$status $bytes_sent $request_uri';
  access_log ${logFile} served;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  types { text/html html; }
  gzip on;
  gzip_types text/html;
  gzip_min_length 100;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location = /r1 { return 302 /r2$is_args$args; }
    location = /r2 { return 302 /r3$is_args$args; }
    location = /r3 { return 302 /page.html$is_args$args; }
    location = /login { add_header Set-Cookie "session=abc123; Path=/; HttpOnly"; return 200 "logged in"; }
    location = /private {
      if ($cookie_session != "abc123") { return 401 "who are you"; }
      return 200 "private page";
    }
  }
}
`,
  );
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  // ready once it accepts connections
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) break;
    if (Date.now() - started > 10_000) throw new Error(`nginx did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const log = (): Array<{ status: number; bytes: number; uri: string }> =>
    (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const [status, bytes, uri] = line.split(' ');
        return { status: Number(status), bytes: Number(bytes), uri: uri ?? '' };
      });
  return {
    url: `http://127.0.0.1:${port}`,
    logOf: async (count) => {
      for (let waited = 0; log().length < count && waited < 2000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      return log();
    },
    entriesTagged: async (tag, count) => {
      const suffix = `?tag=${tag}`;
      const tagged = () => log().filter((e) => e.uri.endsWith(suffix)).map((e) => ({ ...e, uri: e.uri.slice(0, -suffix.length) }));
      for (let waited = 0; tagged().length < count && waited < 5000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      return tagged();
    },
    log: () =>
      (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => {
          const [status, bytes, uri] = line.split(' ');
          return { status: Number(status), bytes: Number(bytes), uri: uri ?? '' };
        }),
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
