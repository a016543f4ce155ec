// Python's http.server on a free loopback port, speaking HTTP/1.0 with close-delimited bodies
// (no content-length): the oldest framing a load test meets.
import { spawn } from 'node:child_process';
import net from 'node:net';

const SCRIPT = `
import http.server, sys
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    def do_GET(self):
        body = ("python http/1.0 close-delimited " + self.path).encode()
        self.send_response(200)
        self.send_header("content-type", "text/plain")
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        sys.stderr.write("served\\n"); sys.stderr.flush()
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
`;

export async function startPythonHttp10(): Promise<{ url: string; served: () => number; stop: () => Promise<void> }> {
  const child = spawn('python3', ['-c', SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'] });
  let served = 0;
  child.stderr.on('data', (chunk: Buffer) => (served += chunk.toString().split('served').length - 1));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('exit', () => reject(new Error('python3 http.server exited')));
  });
  // wait until it accepts
  await new Promise<void>((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve();
    });
    socket.on('error', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${port}`,
    served: () => served,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    },
  };
}
