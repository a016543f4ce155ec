// A WebSocket echo server on loopback for the protocol tests: echoes every message, counts what
// it saw, and can stall (hold every answer until the stall ends) or close sockets with a code.
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { listenOnLoopback } from './listen.js';

export interface WsEchoServer {
  /** ws://127.0.0.1:port */
  url: string;
  /** http://127.0.0.1:port (a baseUrl) */
  httpUrl: string;
  seen: { connections: number; messages: number; echoed: number; maxOpen: number };
  /** hold every answer until `ms` from now, then send them all */
  stallFor(ms: number): void;
  /** close every open socket with this code */
  closeAll(code: number): void;
  close(): Promise<void>;
}

export async function startWsEchoServer(options: { reject?: number } = {}): Promise<WsEchoServer> {
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const seen = { connections: 0, messages: 0, echoed: 0, maxOpen: 0 };
  let stallUntil = 0;
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (request, socket, head) => {
    if (options.reject) {
      // an upgrade's socket has no error listener of the server's any more: a client that drops the
      // connection on reading the refusal (perfctl does) can reset it, an uncaught ECONNRESET here
      socket.on('error', () => socket.destroy());
      socket.end(`HTTP/1.1 ${options.reject} Nope\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      seen.connections++;
      sockets.add(ws);
      seen.maxOpen = Math.max(seen.maxOpen, sockets.size);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data, isBinary) => {
        seen.messages++;
        const answer = (): void => {
          if (ws.readyState !== ws.OPEN) return;
          seen.echoed++;
          ws.send(data, { binary: isBinary });
        };
        const wait = stallUntil - performance.now();
        if (wait > 0) setTimeout(answer, wait);
        else answer();
      });
    });
  });
  const listening = await listenOnLoopback(server);
  return {
    url: listening.url.replace(/^http/, 'ws'),
    httpUrl: listening.url,
    seen,
    stallFor: (ms) => (stallUntil = performance.now() + ms),
    closeAll: (code) => {
      for (const ws of sockets) ws.close(code);
    },
    close: async () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await listening.close();
    },
  };
}
