// A cookie jar for one user (closed model) or one flow iteration (open model), as a browser keeps
// one (RFC 6265, the parts a load test meets): name=value with its domain, path, expiry and the
// Secure flag. `cookie` headers are built from it for each request, `set-cookie` answers fill it.

interface Cookie {
  name: string;
  value: string;
  /** lower-case; with hostOnly the exact host, else the host and its subdomains */
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
  /** ms since the epoch; Infinity for a session cookie */
  expiresAt: number;
}

export class CookieJar {
  private cookies: Cookie[] = [];

  get size(): number {
    return this.cookies.length;
  }

  /** Stores the `set-cookie` values of a response to `url`. */
  store(url: URL, setCookies: readonly string[], nowMs = Date.now()): void {
    for (const header of setCookies) {
      const cookie = parseSetCookie(header, url, nowMs);
      if (cookie === null) continue;
      this.cookies = this.cookies.filter((c) => !(c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path));
      if (cookie.expiresAt > nowMs) this.cookies.push(cookie);
    }
  }

  /** The `cookie` header for a request to `url`, or '' when no cookie applies. */
  header(url: URL, nowMs = Date.now()): string {
    if (this.cookies.length === 0) return '';
    const host = url.hostname.toLowerCase();
    const path = url.pathname || '/';
    const secure = url.protocol === 'https:';
    let text = '';
    // longer paths first (RFC 6265 §5.4)
    const matching = this.cookies
      .filter((c) => c.expiresAt > nowMs && domainMatches(c, host) && pathMatches(c.path, path) && (!c.secure || secure))
      .sort((a, b) => b.path.length - a.path.length);
    for (const cookie of matching) text += `${text === '' ? '' : '; '}${cookie.name}=${cookie.value}`;
    return text;
  }
}

function parseSetCookie(header: string, url: URL, nowMs: number): Cookie | null {
  const parts = header.split(';');
  const pair = parts[0]!;
  const eq = pair.indexOf('=');
  if (eq <= 0) return null;
  const name = pair.slice(0, eq).trim();
  const value = pair.slice(eq + 1).trim();
  if (name === '') return null;
  const host = url.hostname.toLowerCase();
  const cookie: Cookie = { name, value, domain: host, hostOnly: true, path: defaultPath(url.pathname), secure: false, expiresAt: Infinity };
  let maxAgeSeen = false;
  for (let i = 1; i < parts.length; i++) {
    const attribute = parts[i]!;
    const at = attribute.indexOf('=');
    const key = (at < 0 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    const attrValue = at < 0 ? '' : attribute.slice(at + 1).trim();
    if (key === 'domain' && attrValue !== '') {
      const domain = attrValue.replace(/^\./, '').toLowerCase();
      // a server may set a cookie for itself or a parent domain, never for another site
      if (host !== domain && !host.endsWith(`.${domain}`)) return null;
      cookie.domain = domain;
      cookie.hostOnly = false;
    } else if (key === 'path' && attrValue.startsWith('/')) {
      cookie.path = attrValue;
    } else if (key === 'secure') {
      cookie.secure = true;
    } else if (key === 'max-age' && /^-?\d+$/.test(attrValue)) {
      maxAgeSeen = true;
      const seconds = Number(attrValue);
      cookie.expiresAt = seconds <= 0 ? -Infinity : nowMs + seconds * 1000;
    } else if (key === 'expires' && !maxAgeSeen) {
      const at = Date.parse(attrValue);
      if (!Number.isNaN(at)) cookie.expiresAt = at;
    }
  }
  return cookie;
}

/** the directory of the request path (RFC 6265 §5.1.4) */
function defaultPath(path: string): string {
  if (!path.startsWith('/')) return '/';
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

function domainMatches(cookie: Cookie, host: string): boolean {
  return cookie.hostOnly ? host === cookie.domain : host === cookie.domain || host.endsWith(`.${cookie.domain}`);
}

function pathMatches(cookiePath: string, path: string): boolean {
  if (path === cookiePath) return true;
  if (!path.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || path[cookiePath.length] === '/';
}
