// One port, both HTTP versions, for the demo service: in clear text a connection that opens with
// HTTP/2's preface ("PRI * HTTP/2.0", prior knowledge) is h2c, anything else HTTP/1.1 (and its
// WebSocket upgrades); over TLS (`--tls`) ALPN decides, `h2` or `http/1.1`. The two servers only
// see connections handed to them; this module owns the listening socket and closes everything.
import type http from 'node:http';
import type http2 from 'node:http2';
import net from 'node:net';
import { Duplex } from 'node:stream';
import tls from 'node:tls';

const PREFACE = Buffer.from('PRI * HTTP/2.0', 'latin1');

export interface DualListener {
  server: net.Server;
  /** ends every connection (the servers' own keep-alive would hold close() open) */
  closeAll(): void;
}

export function createDualListener(
  http1: http.Server,
  h2: http2.Http2Server,
  secure?: { cert: string; key: string },
): DualListener {
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  let server: net.Server;
  if (secure) {
    server = tls.createServer({ ...secure, ALPNProtocols: ['h2', 'http/1.1'] }, (socket) => {
      track(socket);
      if (socket.alpnProtocol === 'h2') h2.emit('connection', socket);
      else http1.emit('connection', socket);
    });
    // a client that fails the handshake is its own problem, never the demo's
    server.on('tlsClientError', (_error, socket) => socket.destroy());
  } else {
    server = net.createServer((socket) => {
      track(socket);
      sniff(socket, (first, isH2) => {
        if (isH2) {
          h2.emit('connection', relay(socket, first));
          return;
        }
        socket.pause();
        socket.unshift(first);
        http1.emit('connection', socket);
        socket.resume();
      });
    });
  }
  return {
    server,
    closeAll: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** Reads until the first bytes tell HTTP/2's preface from an HTTP/1.1 request line. */
function sniff(socket: net.Socket, decide: (first: Buffer, isH2: boolean) => void): void {
  let seen: Buffer = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    const compared = Math.min(seen.length, PREFACE.length);
    const matches = seen.subarray(0, compared).equals(PREFACE.subarray(0, compared));
    if (matches && compared < PREFACE.length) return; // too short to tell yet
    socket.off('data', onData);
    socket.off('error', onError);
    decide(seen, matches);
  };
  const onError = (): void => void socket.destroy();
  socket.on('data', onData);
  socket.on('error', onError);
}

/**
 * node:http2 reads a TCP socket through its native handle, so bytes already read in JavaScript
 * (the sniffed preface) would be lost: it gets this stream instead, which replays them first.
 */
function relay(socket: net.Socket, first: Buffer): Duplex {
  const duplex = new Duplex({
    read: () => void socket.resume(),
    write: (chunk: Buffer, _encoding, callback) => void socket.write(chunk, callback),
    final: (callback) => {
      socket.end();
      callback();
    },
    destroy: (error, callback) => {
      socket.destroy();
      callback(error);
    },
  });
  socket.on('data', (chunk: Buffer) => {
    if (!duplex.push(chunk)) socket.pause();
  });
  socket.on('end', () => duplex.push(null));
  socket.on('error', (error) => duplex.destroy(error));
  socket.on('close', () => duplex.destroy());
  duplex.push(first);
  return duplex;
}
