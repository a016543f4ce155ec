// An HTTP/2 server in clear text (h2c, prior knowledge) on loopback for the protocol tests:
// counts streams and sessions, answers /refuse with RST_STREAM REFUSED_STREAM, /reset with
// RST_STREAM INTERNAL_ERROR, and /slow after `slowMs`. With `goaway`, the session's `atStream`-th
// stream sends GOAWAY (its `code`) naming the `lastStream`-th as the last it will process: the
// streams after it are never answered (nor counted as answered), as a server going away does.
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';

export interface H2cServer {
  url: string;
  seen: {
    streams: number;
    sessions: number;
    maxConcurrent: number;
    byPath: Record<string, number>;
    /** streams answered with a status */
    answered: number;
    /** GOAWAYs sent, and the streams in service (at or below the last stream) when one went out */
    goaways: number;
    inServiceAtGoaway: number;
  };
  close(): Promise<void>;
}

export interface GoawayPlan {
  /** on the session's n-th stream (1-based), once per server */
  atStream: number;
  /** the last stream (1-based, of that session) it will process */
  lastStream: number;
  code: number;
}

export async function startH2cServer(options: { maxConcurrentStreams?: number; slowMs?: number; goaway?: GoawayPlan } = {}): Promise<H2cServer> {
  const server = http2.createServer({ settings: { maxConcurrentStreams: options.maxConcurrentStreams ?? 100 } });
  const seen = { streams: 0, sessions: 0, maxConcurrent: 0, byPath: {} as Record<string, number>, answered: 0, goaways: 0, inServiceAtGoaway: 0 };
  /** per session: its streams in arrival order, and the last stream id it still processes */
  const ordinal = new WeakMap<http2.ServerHttp2Session, number>();
  const lastProcessed = new WeakMap<http2.ServerHttp2Session, number>();
  const inService = new Set<http2.ServerHttp2Stream>();
  let active = 0;
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    seen.sessions++;
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, headers) => {
    const path = String(headers[':path']);
    const session = stream.session!;
    const n = (ordinal.get(session) ?? 0) + 1;
    ordinal.set(session, n);
    const plan = options.goaway;
    if (plan && seen.goaways === 0 && n === plan.atStream) {
      // stream ids of one client go 1, 3, 5...: the lastStream-th is id 2 * lastStream - 1
      const lastId = 2 * plan.lastStream - 1;
      seen.goaways++;
      seen.inServiceAtGoaway = [...inService].filter((s) => s.session === session && (s.id ?? 0) <= lastId).length;
      lastProcessed.set(session, lastId);
      session.goaway(plan.code, lastId);
    }
    const last = lastProcessed.get(session);
    if (last !== undefined && (stream.id ?? 0) > last) {
      // past the GOAWAY's last stream: never processed
      stream.on('error', () => undefined);
      return;
    }
    seen.streams++;
    seen.byPath[path] = (seen.byPath[path] ?? 0) + 1;
    active++;
    seen.maxConcurrent = Math.max(seen.maxConcurrent, active);
    inService.add(stream);
    stream.on('close', () => {
      active--;
      inService.delete(stream);
    });
    // a stream this server refuses or resets errors on its own side too: that is the point here
    stream.on('error', () => undefined);
    if (path === '/refuse') return stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
    if (path === '/reset') return stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    const answer = (): void => {
      if (stream.destroyed) return;
      seen.answered++;
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
