// Which forward proxy an origin goes through: the profile's `http.proxy`, else HTTP_PROXY /
// HTTPS_PROXY (either case) with NO_PROXY's exceptions, as curl and most clients read them.

/**
 * The proxy URL for `origin`, or undefined for a direct connection. `configured` is the
 * profile's `http.proxy` ("" = none, even if the environment names one).
 */
export function proxyFor(origin: string, configured: string | undefined, env: Record<string, string | undefined>): string | undefined {
  const url = new URL(origin);
  if (configured !== undefined) return configured === '' || bypassed(url, env) ? undefined : configured;
  const secure = url.protocol === 'https:';
  const fromEnv = secure ? (env['HTTPS_PROXY'] ?? env['https_proxy']) : (env['HTTP_PROXY'] ?? env['http_proxy']);
  if (fromEnv === undefined || fromEnv === '') return undefined;
  return bypassed(url, env) ? undefined : fromEnv;
}

/** NO_PROXY: `*`, or hosts and domains (`example.com`, `.example.com`), each optionally with `:port` */
function bypassed(url: URL, env: Record<string, string | undefined>): boolean {
  const list = env['NO_PROXY'] ?? env['no_proxy'] ?? '';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const raw of list.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const match = /^(.*?)(?::(\d+))?$/.exec(entry)!;
    const name = match[1]!.replace(/^\*?\./, '').replace(/^\[|\]$/g, '');
    if (match[2] !== undefined && match[2] !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}
