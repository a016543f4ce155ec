// A short connectivity probe before any load: a service that refuses every connection
// from the start is a clear message and exit 3, not a run full of ECONNREFUSED.
import net from 'node:net';
import { nodeTls } from './lazy-builtins.js';
import type { TlsSettings } from './transport.js';

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

/**
 * For an https service, one TLS handshake with the run's settings: a certificate perfctl would
 * refuse on every request is one clear message before the load (null when it is accepted, or
 * the origin is plain http).
 */
export async function probeTls(origin: string, settings: TlsSettings | undefined): Promise<string | null> {
  const url = new URL(origin);
  if (url.protocol !== 'https:') return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const servername = settings?.servername ?? (net.isIP(host) === 0 ? host : undefined);
  return new Promise((resolve) => {
    const socket = nodeTls().connect({
      host,
      port: Number(url.port || 443),
      ...(servername !== undefined ? { servername } : {}),
      rejectUnauthorized: settings?.insecure !== true,
      ...(settings?.ca !== undefined ? { ca: settings.ca } : {}),
      ...(settings?.cert !== undefined ? { cert: settings.cert, key: settings.key } : {}),
      timeout: 5000,
    });
    socket.once('secureConnect', () => {
      socket.destroy();
      resolve(null);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(null); // slowness is the load's to measure
    });
    socket.once('error', (error: Error & { code?: string }) => {
      socket.destroy();
      // a refused connection was the TCP probe's to report; only certificate and handshake failures here
      resolve(/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME|ALTNAME/.test(error.code ?? '') ? `${error.message} (${error.code})` : null);
    });
  });
}
