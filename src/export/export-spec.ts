// `--export <kind>=<where>`, `--export-linger <dur>` and `--checkpoint <dur|off>`: checked before
// anything is sent (a bad one is exit 2).
import { parseDuration } from '../config/duration.js';
import { usageError } from '../errors.js';

export type ExportSpec =
  | { kind: 'prometheus'; host: string; port: number }
  | { kind: 'otlp'; url: string }
  | { kind: 'ndjson'; file: string }
  | { kind: 'statsd'; host: string; port: number };

export type ExportKind = ExportSpec['kind'];

const DEFAULT_PORTS = { prometheus: 9464, statsd: 8125 } as const;
const DEFAULT_OTLP_URL = 'http://127.0.0.1:4318';
const EXAMPLE = 'e.g. --export prometheus=127.0.0.1:9464, otlp=http://127.0.0.1:4318, ndjson=live.ndjson, statsd=127.0.0.1:8125';

/** `HOST:PORT`, `[v6]:PORT`, `:PORT` or `PORT`; the host defaults to 127.0.0.1 (loopback). */
export function parseHostPort(text: string, defaultPort: number, flag: string): { host: string; port: number } {
  const trimmed = text.trim();
  let host = '127.0.0.1';
  let portText = '';
  const v6 = /^\[([^\]]+)\](?::(\d*))?$/.exec(trimmed);
  if (v6) {
    host = v6[1]!;
    portText = v6[2] ?? '';
  } else if (trimmed.indexOf(':') !== trimmed.lastIndexOf(':')) {
    throw usageError(`${flag}: write an IPv6 address in brackets, got "${text}"`, 'e.g. [::1]:9464');
  } else if (/^\d*$/.test(trimmed)) portText = trimmed;
  else if (trimmed.startsWith(':')) portText = trimmed.slice(1);
  else {
    const colon = trimmed.lastIndexOf(':');
    host = colon > 0 ? trimmed.slice(0, colon) : trimmed;
    portText = colon > 0 ? trimmed.slice(colon + 1) : '';
  }
  const port = portText === '' ? defaultPort : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`${flag}: port must be a number from 0 to 65535, got "${portText}"`);
  if (host === '') throw usageError(`${flag}: no host in "${text}"`);
  return { host, port };
}

export function parseExportSpec(text: string): ExportSpec {
  const eq = text.indexOf('=');
  const kind = (eq < 0 ? text : text.slice(0, eq)).trim().toLowerCase();
  const where = eq < 0 ? '' : text.slice(eq + 1).trim();
  const flag = `--export ${kind}`;
  switch (kind) {
    case 'prometheus':
    case 'statsd':
      return { kind, ...parseHostPort(where, DEFAULT_PORTS[kind], flag) };
    case 'otlp': {
      const url = where === '' ? DEFAULT_OTLP_URL : where;
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw usageError(`${flag}: "${url}" is not a URL`, 'e.g. --export otlp=http://127.0.0.1:4318');
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw usageError(`${flag}: the URL must be http or https, got "${parsed.protocol}"`);
      return { kind, url };
    }
    case 'ndjson':
      if (where === '') throw usageError(`${flag}: name the file`, 'e.g. --export ndjson=live.ndjson');
      return { kind, file: where };
    default:
      throw usageError(`--export: unknown kind "${kind}"; valid kinds: prometheus, otlp, ndjson, statsd`, EXAMPLE);
  }
}

export function parseExportSpecs(list: readonly string[] | undefined): ExportSpec[] {
  const specs = (list ?? []).map(parseExportSpec);
  const seen = new Set<string>();
  for (const spec of specs) {
    const key = JSON.stringify(spec);
    if (seen.has(key)) throw usageError(`--export: ${spec.kind} is given twice with the same destination`);
    seen.add(key);
  }
  return specs;
}

/** `--checkpoint`: a duration of at least 1 s, or `off` (null). Default 10 s. */
export function parseCheckpoint(text: string | undefined): number | null {
  if (text === undefined) return 10_000;
  if (text.trim().toLowerCase() === 'off') return null;
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (error) {
    throw usageError(`--checkpoint: ${(error as Error).message}`, 'e.g. --checkpoint 30s, or --checkpoint off');
  }
  if (ms < 1000) throw usageError(`--checkpoint must be at least 1s (or off), got "${text}"`);
  return ms;
}

/** `--export-linger`: how long /metrics stays up after the end (default 15 s; 0 for none). */
export function parseLinger(text: string | undefined): number {
  if (text === undefined) return 15_000;
  try {
    return parseDuration(text);
  } catch (error) {
    throw usageError(`--export-linger: ${(error as Error).message}`, 'e.g. --export-linger 15s, or 0s');
  }
}
