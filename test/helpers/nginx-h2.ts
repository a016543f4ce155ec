// nginx with HTTP/2 over TLS on a free loopback port, for the HTTP/2 tests and the bench: a
// self-signed certificate for 127.0.0.1 made with openssl in a temp dir, an access log that
// records each request's protocol, started in the foreground and stopped by close().
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NginxH2 {
  /** https://127.0.0.1:port */
  url: string;
  /** the certificate (PEM file) to trust: NODE_EXTRA_CA_CERTS for a perfctl child process */
  certFile: string;
  /** the access log's lines: "protocol status path" (kept after close) */
  accessLog(): string[];
  close(): Promise<void>;
}

/** nginx is in /usr/sbin, which a user's PATH may leave out */
function nginxBinary(): string {
  return existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
}

export function nginxAvailable(): boolean {
  return spawnSync(nginxBinary(), ['-v']).status === 0 && spawnSync('openssl', ['version']).status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A certificate for 127.0.0.1 (and localhost), valid for a day. */
export function makeCertificate(dir: string): { certFile: string; keyFile: string } {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const made = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', keyFile, '-out', certFile,
  ]);
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr.toString()}`);
  return { certFile, keyFile };
}

export async function startNginxH2(options: { workers?: number } = {}): Promise<NginxH2> {
  const dir = mkdtempSync(join(tmpdir(), 'perfctl-nginx-h2-'));
  const { certFile, keyFile } = makeCertificate(dir);
  const port = await freePort();
  const log = join(dir, 'access.log');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
worker_processes ${options.workers ?? 1};
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  log_format proto '$server_protocol $status $request_uri';
  access_log ${log} proto;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:${port} ssl http2;
    ssl_certificate ${certFile};
    ssl_certificate_key ${keyFile};
    http2_max_concurrent_streams 128;
    location / { default_type application/json; return 200 '{"ok":true}'; }
  }
}
`,
  );
  const child: ChildProcess = spawn(nginxBinary(), ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // ready once it accepts connections
  const deadline = Date.now() + 5000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not start: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  let finalLog: string[] | undefined;
  const readLog = (): string[] => {
    try {
      return readFileSync(log, 'utf8').split('\n').filter((line) => line !== '');
    } catch {
      return [];
    }
  };
  return {
    url: `https://127.0.0.1:${port}`,
    certFile,
    accessLog: () => finalLog ?? readLog(),
    close: () =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          finalLog ??= readLog();
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        // QUIT: a graceful stop that writes the access log out
        child.kill('SIGQUIT');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
