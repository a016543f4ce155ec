// A short connectivity probe before any load: a service that refuses every connection
// from the start is a clear message and exit 3, not a run full of ECONNREFUSED.
import net from 'node:net';

export async function probeTcp(origin: string, attempts = 3, waitMs = 300): Promise<string | null> {
  const url = new URL(origin);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let lastError = '';
  for (let attempt = 0; attempt < attempts; attempt++) {
    lastError = await connectOnce(host, port);
    if (lastError === '') return null;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
  return lastError;
}

function connectOnce(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('ETIMEDOUT');
    });
    socket.once('error', (error: Error & { code?: string }) => resolve(error.code ?? error.message));
  });
}
