// Starts an http.Server on a free 127.0.0.1 port and gives its URL and a close that also
// ends kept-alive connections (so a test never waits for them to time out).
import type http from 'node:http';
import type { AddressInfo } from 'node:net';

export async function listenOnLoopback(server: http.Server): Promise<{ url: string; close: () => Promise<void> }> {
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
