// An HTTP/2 server in clear text (h2c, prior knowledge) on loopback for the protocol tests:
// counts streams and sessions, answers /refuse with RST_STREAM REFUSED_STREAM, /reset with
// RST_STREAM INTERNAL_ERROR, and /slow after `slowMs`.
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';

export interface H2cServer {
  url: string;
  seen: { streams: number; sessions: number; maxConcurrent: number; byPath: Record<string, number> };
  close(): Promise<void>;
}

export async function startH2cServer(options: { maxConcurrentStreams?: number; slowMs?: number } = {}): Promise<H2cServer> {
  const server = http2.createServer({ settings: { maxConcurrentStreams: options.maxConcurrentStreams ?? 100 } });
  const seen = { streams: 0, sessions: 0, maxConcurrent: 0, byPath: {} as Record<string, number> };
  let active = 0;
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    seen.sessions++;
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, headers) => {
    const path = String(headers[':path']);
    seen.streams++;
    seen.byPath[path] = (seen.byPath[path] ?? 0) + 1;
    active++;
    seen.maxConcurrent = Math.max(seen.maxConcurrent, active);
    stream.on('close', () => active--);
    // a stream this server refuses or resets errors on its own side too: that is the point here
    stream.on('error', () => undefined);
    if (path === '/refuse') return stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
    if (path === '/reset') return stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    const answer = (): void => {
      if (stream.destroyed) return;
      stream.respond({ ':status': 200, 'content-type': 'application/json' });
      stream.end('{"ok":true}');
    };
    if (path === '/slow') setTimeout(answer, options.slowMs ?? 50);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        server.close(() => resolve());
      }),
  };
}
