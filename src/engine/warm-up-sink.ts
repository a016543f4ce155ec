// perfctl's own loopback HTTP/1.1 server for the socket warm-up (run-load.ts): it answers every
// request with a small 200, so the request loop's socket path (Node's net internals, the raw
// client, the executor) is optimised before t = 0 while the service sees none of it. It runs in
// a worker thread: its server-side sockets then teach the run's isolate nothing (their feedback
// would mix with the client's), and its work is not done on the run's event loop.
import { Worker } from 'node:worker_threads';

export interface WarmUpSink {
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  /**
   * The warm-up is over: the sink's thread goes to nice 19 and stays idle, keeping its
   * connections, until close(); resolves with the thread's nice value (19 where Linux allows it).
   */
  rest(): Promise<number>;
  /** Stops the server; resolves with how many requests it answered. */
  close(): Promise<number>;
}

/**
 * Splits what a connection has sent so far into whole requests: returns how many are complete
 * and the bytes of the incomplete one. A body is framed by content-length, or ends with the
 * last chunk. (Runs in the sink's thread as its source text: it uses nothing from outside.)
 */
export function takeRequests(pending: string): { complete: number; rest: string } {
  let complete = 0;
  let from = 0;
  for (;;) {
    const headEnd = pending.indexOf('\r\n\r\n', from);
    if (headEnd < 0) break;
    const head = pending.slice(from, headEnd).toLowerCase();
    let end = headEnd + 4;
    if (/\r\ntransfer-encoding:[^\r]*chunked/.test(head)) {
      const last = pending.indexOf('\r\n0\r\n\r\n', headEnd + 2);
      if (last < 0) break;
      end = last + 7;
    } else {
      const length = /\r\ncontent-length:[ \t]*(\d+)/.exec(head);
      end += length ? Number(length[1]) : 0;
      if (end > pending.length) break;
    }
    complete++;
    from = end;
  }
  return { complete, rest: pending.slice(from) };
}

const SINK_SOURCE = `
const net = require('node:net');
const { parentPort } = require('node:worker_threads');
const takeRequests = ${takeRequests.toString()};
const ANSWER = Buffer.from('HTTP/1.1 200 OK\\r\\ncontent-type: text/plain\\r\\ncontent-length: 2\\r\\nkeep-alive: timeout=5\\r\\n\\r\\nok', 'latin1');
let answered = 0;
const sockets = new Set();
const server = net.createServer((socket) => {
  sockets.add(socket);
  socket.setNoDelay(true);
  let pending = '';
  socket.on('data', (chunk) => {
    const { complete, rest } = takeRequests(pending + chunk.toString('latin1'));
    pending = rest;
    for (let i = 0; i < complete; i++) socket.write(ANSWER);
    answered += complete;
  });
  socket.on('error', () => undefined);
  socket.on('close', () => sockets.delete(socket));
});
server.on('error', (error) => parentPort.postMessage({ failed: String(error) }));
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (message) => {
  if (message === 'rest') {
    // pid 0 is this thread on Linux: the run's own thread is never slowed by an idle sink
    const os = require('node:os');
    try { os.setPriority(0, 19); } catch {}
    return parentPort.postMessage({ nice: os.getPriority(0) });
  }
  for (const socket of sockets) socket.destroy();
  server.close(() => parentPort.postMessage({ answered }));
});
`;

/** Starts the sink in its own thread; resolves once it listens on a loopback port. */
export function startWarmUpSink(): Promise<WarmUpSink> {
  const worker = new Worker(SINK_SOURCE, { eval: true });
  return new Promise<WarmUpSink>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (message: { port?: number; failed?: string }) => {
      if (message.port === undefined) {
        void worker.terminate();
        return reject(new Error(message.failed ?? 'the warm-up sink did not start'));
      }
      // one question at a time; a thread that died answers nothing, and the run must not wait for it
      const ask = <T>(question: string, answer: (reply: T) => number): Promise<number> =>
        new Promise<number>((done) => {
          const onExit = (): void => done(0);
          worker.once('exit', onExit);
          worker.once('message', (reply: T) => {
            worker.off('exit', onExit);
            done(answer(reply));
          });
          worker.postMessage(question);
        });
      resolve({
        origin: `http://127.0.0.1:${message.port}`,
        rest: () => ask<{ nice?: number }>('rest', (reply) => reply.nice ?? 0),
        close: () =>
          ask<{ answered?: number }>('close', (last) => {
            void worker.terminate();
            return last.answered ?? 0;
          }),
      });
    });
  });
}
