// Names for what an importer creates: request, step and flow names are result groups and must be
// unique across a profile, so each comes from one registry; and the base URL every output starts with.

/** `Browse and Search` -> `browse-and-search` */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/\{\{\s*([^}]*?)\s*\}\}/g, '$1')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** `GET /api/users/me?x=1` -> `get-users-me`: the method and the path's words, without `api` and versions */
export function requestSlug(method: string, path: string): string {
  let pathText = path;
  try {
    if (/^[a-z]+:\/\//i.test(path)) pathText = new URL(path).pathname;
  } catch {
    // a template in the host: keep the text
  }
  // a template names a word by its last identifier (`{{ setup.user_id }}` -> user-id); a function call none
  pathText = pathText.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_whole, inner: string) => (/\(/.test(inner) ? '' : (inner.split('.').pop() ?? ''))).replace(/\$\{[^}]*\}/g, '');
  const words = (pathText.split('?')[0] ?? '')
    .split('/')
    .map((segment) => slug(segment))
    .filter((segment) => segment !== '' && segment !== 'api' && !/^v\d+$/.test(segment));
  return [method.toLowerCase(), ...words].join('-').slice(0, 60).replace(/-+$/, '');
}

export class NameRegistry {
  private readonly used = new Set<string>();

  /** `name`, or `name-2`, `name-3` when it is taken */
  take(name: string): string {
    const base = name === '' ? 'request' : name;
    let candidate = base;
    for (let n = 2; this.used.has(candidate); n += 1) candidate = `${base}-${n}`;
    this.used.add(candidate);
    return candidate;
  }
}

/** the output's base URL: --base-url, else the source's, else the demo's address; overridable by the environment */
export function baseUrlValue(given: string | undefined, fromSource: string | undefined): string {
  const url = (given ?? fromSource ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
  return `\${PERFCTL_BASE_URL:-${url}}`;
}

/** an absolute URL split at its origin; null for a relative one */
export function splitUrl(url: string): { origin: string; path: string } | null {
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]+)(.*)$/i.exec(url);
  if (!match) return null;
  const path = match[2] ?? '';
  return { origin: match[1] ?? '', path: path === '' ? '/' : path.startsWith('/') ? path : `/${path}` };
}
