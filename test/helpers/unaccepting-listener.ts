// A TCP listener that never accepts while the load runs (a service whose accept loop is stuck):
// the kernel completes handshakes only up to the listen backlog, further connects hang. Python,
// because Node accepts every connection by itself. count() then accepts what is queued and reads
// it, so a test knows how many requests actually reached the service.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const SCRIPT = `
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(int(sys.argv[1]))
print(s.getsockname()[1], flush=True)
sys.stdin.readline()
s.setblocking(False)
data, reading, quiet_since = {}, set(), time.time()
while time.time() - quiet_since < 0.5:
    while True:
        try:
            c, _ = s.accept()
        except BlockingIOError:
            break
        c.setblocking(False); data[c] = b""; reading.add(c); quiet_since = time.time()
    for c in list(reading):
        try:
            b = c.recv(65536)
        except BlockingIOError:
            continue
        except OSError:
            b = b""
        if b:
            data[c] += b; quiet_since = time.time()
        else:
            reading.discard(c)
    time.sleep(0.002)
print(len(data), sum(v.count(b" HTTP/1.1\\r\\n") for v in data.values()), flush=True)
`;

export interface UnacceptingListener {
  url: string;
  /** accepts everything queued, reads it, and stops: connections and requests the service got */
  count(): Promise<{ connections: number; requests: number }>;
  stop(): void;
}

export async function startUnacceptingListener(backlog: number): Promise<UnacceptingListener> {
  const child = spawn('python3', ['-c', SCRIPT, String(backlog)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const next = (): Promise<string> =>
    new Promise((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', () => reject(new Error('the unaccepting listener exited')));
    });
  const port = Number(await next());
  return {
    url: `http://127.0.0.1:${port}`,
    async count() {
      const answer = next();
      child.stdin!.write('go\n');
      const [connections, requests] = (await answer).split(' ').map(Number);
      return { connections: connections!, requests: requests! };
    },
    stop: () => void child.kill('SIGKILL'),
  };
}
