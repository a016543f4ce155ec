// The demo service's real-time endpoints (the only demo module that uses `ws`):
//
//   WS  /ws/collab[/:room]   collaborative editing: every message (an edit) is answered to its
//                            sender with `ack: true` and sent to everyone else in the room with
//                            `from`, after the model's `collabSocket` latency (the seeds: p50 < 50 ms);
//                            its error rate drops the edit (the sender's reply never comes). Without a
//                            room, connections are seated four to a room.
//   GET /api/tutor/stream    the AI tutor's answer as server-sent events: a first chunk after the
//                            model's think time, then 6-12 chunks ~150 ms apart (~1-3 s in all),
//                            then `event: done`; its error rate cuts the stream halfway.
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { DemoModel } from './demo-model.js';
import { mulberry32 } from './demo-model.js';

export interface RealtimeStats {
  socketsOpen: number;
  socketsOpened: number;
  /** edits received from clients */
  edits: number;
  /** edits dropped by the error model */
  droppedEdits: number;
  /** messages sent to clients (acks and broadcasts) */
  sent: number;
  streams: number;
  streamEvents: number;
  brokenStreams: number;
}

export interface Realtime {
  stats(): RealtimeStats;
  /** `upgrade` handler for the HTTP server(s) */
  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  /** answers /api/tutor/stream; false when the path is not its own */
  stream(req: http.IncomingMessage, res: http.ServerResponse, path: string): boolean;
  close(): void;
}

/** connections without a room share one with this many others */
const SEATS_PER_ROOM = 4;
const MAX_ROOM_NAME = 64;
const TUTOR_WORDS = ['Start', 'by', 'sorting', 'the', 'array;', 'then', 'walk', 'two', 'pointers', 'towards', 'each', 'other', 'and', 'compare', 'their', 'sum', 'with', 'the', 'target.'];

export function createRealtime(model: DemoModel, seed: number): Realtime {
  const random = mulberry32(seed ^ 0x5eed);
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 });
  const rooms = new Map<string, Set<WebSocket>>();
  const timers = new Set<NodeJS.Timeout>();
  const s: RealtimeStats = { socketsOpen: 0, socketsOpened: 0, edits: 0, droppedEdits: 0, sent: 0, streams: 0, streamEvents: 0, brokenStreams: 0 };
  let unseated = 0;
  /** edits received and not yet answered: the load the capacity model sees */
  let editsInService = 0;

  const later = (ms: number, fn: () => void): void => {
    if (ms <= 0 || model.latencyScale === 0) return fn();
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const join = (ws: WebSocket, room: string, who: number): void => {
    let members = rooms.get(room);
    if (!members) rooms.set(room, (members = new Set()));
    members.add(ws);
    ws.on('close', () => {
      s.socketsOpen--;
      members.delete(ws);
      if (members.size === 0) rooms.delete(room);
    });
    ws.on('message', (data, isBinary) => {
      s.edits++;
      // an edit is far cheaper than an HTTP request: the capacity model sees one in eight of them
      // (it saturates near 8,000 edits/s instead of 1,000 requests/s)
      const decision = model.decide('collabSocket', Math.ceil((editsInService + 1) / 8));
      if (decision.kind === 'shed' || decision.fail) {
        s.droppedEdits++;
        return;
      }
      let edit: Record<string, unknown>;
      try {
        const parsed: unknown = JSON.parse(data.toString());
        edit = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { text: parsed };
      } catch {
        edit = { text: isBinary ? '' : data.toString() };
      }
      editsInService++;
      later(decision.delayMs, () => {
        editsInService--;
        if (ws.readyState === ws.OPEN) {
          ws.send(JSON.stringify({ ...edit, ack: true, room }));
          s.sent++;
        }
        const broadcast = JSON.stringify({ ...edit, from: who, room });
        for (const other of members) {
          if (other === ws || other.readyState !== other.OPEN) continue;
          other.send(broadcast);
          s.sent++;
        }
      });
    });
  };

  return {
    stats: () => ({ ...s }),
    upgrade(req, socket, head) {
      const path = new URL(req.url ?? '/', 'http://demo.invalid').pathname;
      const match = /^\/ws\/collab(?:\/([^/]{1,64}))?\/?$/.exec(path);
      if (!match) {
        socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        const who = ++s.socketsOpened;
        s.socketsOpen++;
        const room = match[1] !== undefined ? decodeURIComponent(match[1]).slice(0, MAX_ROOM_NAME) : `seat-${Math.floor(unseated++ / SEATS_PER_ROOM)}`;
        join(ws, room, who);
      });
    },
    stream(req, res, path) {
      if (path !== '/api/tutor/stream') return false;
      s.streams++;
      const decision = model.decide('tutorStream', s.streams);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      if (decision.kind === 'shed') {
        res.end('event: error\ndata: overloaded\n\n');
        return true;
      }
      const chunks = 6 + Math.floor(random() * 7);
      const breakAt = decision.fail ? Math.ceil(chunks / 2) : -1;
      let n = 0;
      let open = true;
      res.on('close', () => (open = false));
      const next = (): void => {
        if (!open) return;
        n++;
        if (n === breakAt) {
          s.brokenStreams++;
          res.destroy();
          return;
        }
        if (n > chunks) {
          s.streamEvents++;
          res.end('event: done\ndata: {"done":true}\n\n');
          return;
        }
        const words = TUTOR_WORDS.slice((n - 1) % TUTOR_WORDS.length, ((n - 1) % TUTOR_WORDS.length) + 3).join(' ');
        s.streamEvents++;
        res.write(`event: chunk\ndata: ${JSON.stringify({ n, text: words })}\n\n`);
        later(120 + random() * 80 * (model.latencyScale || 1), next);
      };
      later(decision.delayMs, next);
      return true;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
