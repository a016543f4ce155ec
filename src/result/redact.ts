// Secrets never reach a report (SPEC §9): secret header values and the values of secret
// environment variables are replaced by *** wherever they appear.
export const REDACTED = '***';

const SECRET_HEADERS = new Set(['authorization', 'cookie', 'x-api-key', 'proxy-authorization']);

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

/** Returns a deep copy of `value` with every secret string (and every secret header value) replaced. */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  const usable = secrets.filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return key !== undefined && isSecretHeader(key) ? REDACTED : redactText(v, usable);
    if (Array.isArray(v)) return v.map((item) => walk(item));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, k)]));
    }
    return v;
  };
  return walk(value) as T;
}

export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 3 && out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}
