// A HAR recording (a browser's network tab, "Save all as HAR") -> a perfctl profile with one flow:
// the recorded requests in order, think times from the gaps between them, static assets left out
// unless asked for. Secrets never reach the output: cookies become ${COOKIE}, an authorization
// becomes a capture from the response that issued its token (or ${TOKEN}), password fields
// ${PASSWORD}; a value an earlier response returned (an id in a later URL) becomes a capture.

import { block, commented } from './emit-yaml.js';
import { formatDuration } from './limit-values.js';
import { baseUrlValue, NameRegistry, requestSlug, splitUrl } from './names.js';
import { ImportInputError } from './types.js';
import type { Conversion, ImportOptions, SourceRemark } from './types.js';

interface HarHeader {
  name: string;
  value: string;
}
interface HarEntry {
  pageref?: string;
  startedDateTime: string;
  time: number;
  _resourceType?: string;
  request: { method: string; url: string; headers?: HarHeader[]; postData?: { mimeType?: string; text?: string; params?: { name: string; value?: string }[] } };
  response: { status: number; headers?: HarHeader[]; content?: { mimeType?: string; text?: string; encoding?: string } };
}

/** gaps shorter than this are the browser's own pace, not a user's */
const MIN_THINK_MS = 500;

const assetTypes = new Set(['image', 'font', 'stylesheet', 'script', 'media', 'manifest', 'texttrack']);
const assetExtension = /\.(png|jpe?g|gif|webp|avif|svg|ico|bmp|woff2?|ttf|otf|eot|css|m?js|map|mp4|webm|mp3|wav)$/i;
const assetMime = /^(image\/|font\/|audio\/|video\/|text\/css|(application|text)\/(x-)?javascript|application\/font|application\/x-font)/i;

/** headers a browser adds on its own, or that perfctl sets itself */
const droppedHeaders = /^(:|host$|connection$|content-length$|accept-encoding$|accept-language$|user-agent$|referer$|origin$|sec-|pragma$|cache-control$|upgrade-insecure-requests$|priority$|dnt$|te$|if-none-match$|if-modified-since$)/i;
const secretHeader = /^(authorization|proxy-authorization|cookie|x-api-key|x-auth-token|x-csrf-token|x-xsrf-token|api-key)$/i;
const secretField = /pass(word)?|secret|token|api[-_]?key|credential/i;

export function isStaticAsset(entry: HarEntry): boolean {
  if (entry._resourceType && assetTypes.has(entry._resourceType)) return true;
  const mime = entry.response?.content?.mimeType ?? '';
  if (assetMime.test(mime)) return true;
  let pathname = entry.request.url;
  try {
    pathname = new URL(entry.request.url).pathname;
  } catch {
    // keep the text
  }
  return assetExtension.test(pathname);
}

/** a gap as a think time: under 0.5 s none, to 100 ms under 10 s, to the second above */
export function thinkFromGap(gapMs: number): string | null {
  if (!(gapMs >= MIN_THINK_MS)) return null;
  const rounded = gapMs < 10_000 ? Math.round(gapMs / 100) * 100 : Math.round(gapMs / 1000) * 1000;
  return formatDuration(rounded);
}

interface Entries {
  har: { log: { entries: HarEntry[]; pages?: { id: string; title?: string }[]; creator?: { name?: string } } };
  /** line of each entry in the file, for remarks */
  lines: number[];
}

function readHar(text: string): Entries {
  let har: Entries['har'];
  try {
    har = JSON.parse(text) as Entries['har'];
  } catch (error) {
    throw new ImportInputError(`not JSON: ${(error as Error).message}`, { line: 1, col: 1 });
  }
  if (!Array.isArray(har?.log?.entries)) throw new ImportInputError('not a HAR file: it has no log.entries', { line: 1, col: 1 });
  // each entry's line: the n-th `"startedDateTime"` key in the text (entries are objects in order)
  const lines: number[] = [];
  const lineStarts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lineStarts.push(at + 1);
  const lineOf = (offset: number): number => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
  const entriesAt = text.indexOf('"entries"');
  for (let at = text.indexOf('"startedDateTime"', entriesAt); at >= 0 && lines.length < har.log.entries.length; at = text.indexOf('"startedDateTime"', at + 1)) lines.push(lineOf(at));
  return { har, lines };
}

/** the values of a response body, with their JSON paths: the sources of captures */
function responseValues(entry: HarEntry): Map<string, string> {
  const values = new Map<string, string>();
  const content = entry.response?.content;
  if (!content?.text || !/json/i.test(content.mimeType ?? '')) return values;
  let data: unknown;
  try {
    data = JSON.parse(content.encoding === 'base64' ? Buffer.from(content.text, 'base64').toString('utf8') : content.text);
  } catch {
    return values;
  }
  const walk = (value: unknown, path: string, depth: number): void => {
    if (depth > 4) return;
    if (typeof value === 'string' || typeof value === 'number') {
      const text = String(value);
      // short or common values (1, true, "ok") would match by chance
      if (looksLikeId(text) && !values.has(text)) values.set(text, path);
    } else if (Array.isArray(value)) {
      value.slice(0, 3).forEach((item, index) => walk(item, `${path}[${index}]`, depth + 1));
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) walk(item, /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}['${key}']`, depth + 1);
    }
  };
  walk(data, '$', 0);
  return values;
}

/** a value that names something the server made (an id, a token), not a word of the API */
const looksLikeId = (text: string): boolean => text.length >= 4 && (/\d/.test(text) || text.length >= 12);

/** a capture's name: `$.token` -> token; a bare `id` after what the step made (`POST /api/submissions` -> submission_id) */
function captureName(jsonPath: string, stepPath: string): string {
  const keys = jsonPath.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
  const key = keys[keys.length - 1] ?? 'value';
  if (!/^(id|uuid|key|slug)$/i.test(key)) return key;
  const words = (stepPath.split('?')[0] ?? '').split('/').filter((word) => /^[A-Za-z][\w-]*$/.test(word) && word !== 'api');
  const noun = (words[words.length - 1] ?? '').replace(/-/g, '_').replace(/ies$/, 'y').replace(/s$/, '');
  return noun ? `${noun}_${key}` : key;
}

interface Source {
  step: Record<string, unknown>;
  values: Map<string, string>;
}

export function importHar(text: string, options: ImportOptions): Conversion {
  const { har, lines } = readHar(text);
  const leftOut: SourceRemark[] = [];
  const notes: SourceRemark[] = [];
  const placeholders = new Map<string, string>();
  const at = (index: number): { line: number; col: number } => ({ line: lines[index] ?? 1, col: 1 });
  const entries = har.log.entries.map((entry, index) => ({ entry, index })).filter(({ entry }) => entry?.request?.url);
  entries.sort((a, b) => Date.parse(a.entry.startedDateTime) - Date.parse(b.entry.startedDateTime) || a.index - b.index);

  const kept: typeof entries = [];
  let assets = 0;
  for (const item of entries) {
    const { entry, index } = item;
    if (!/^https?:\/\//i.test(entry.request.url)) {
      const scheme = entry.request.url.split(':')[0] ?? '';
      if (/^wss?$/i.test(scheme)) leftOut.push({ ...at(index), construct: `${entry.request.method} ${entry.request.url}`, advice: 'a WebSocket: write a ws: step by hand' });
      continue;
    }
    if (!options.includeAssets && isStaticAsset(entry)) {
      assets += 1;
      continue;
    }
    kept.push(item);
  }
  if (kept.length === 0) throw new ImportInputError('the recording has no request to convert', { line: 1, col: 1 }, assets > 0 ? `all ${assets} are static assets: keep them with --include-assets` : undefined);
  if (assets > 0) notes.push({ line: lines[0] ?? 1, col: 1, construct: `${assets} static asset${assets === 1 ? '' : 's'} (images, fonts, stylesheets, scripts)`, advice: 'left out: a CDN or the browser cache serves them; keep them with --include-assets' });

  // the base URL: the host most requests went to
  const origins = new Map<string, number>();
  for (const { entry } of kept) {
    const split = splitUrl(entry.request.url);
    if (split) origins.set(split.origin, (origins.get(split.origin) ?? 0) + 1);
  }
  const origin = [...origins.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];

  const names = new NameRegistry();
  const captureNames = new NameRegistry();
  const sources: Source[] = [];
  const steps: unknown[] = [];
  let previousEnd: number | null = null;
  let requests = 0;

  /** a value a step sends, as a capture of the response that returned it; null when none did */
  const captured = (value: string): string | null => {
    // the first response that returned it: the one that made it (a later one only echoes it)
    for (const source of sources) {
      const path = source.values.get(value);
      if (path === undefined) continue;
      const capture = (source.step['capture'] ?? {}) as Record<string, string>;
      const existing = Object.entries(capture).find(([, written]) => written === path);
      if (existing) return existing[0];
      const name = captureNames.take(captureName(path, String(source.step['path'] ?? '')));
      source.step['capture'] = { ...capture, [name]: path };
      return name;
    }
    return null;
  };
  const placeholder = (name: string, what: string): string => {
    placeholders.set(name, what);
    return `\${${name}}`;
  };

  for (const { entry, index } of kept) {
    const started = Date.parse(entry.startedDateTime);
    if (previousEnd !== null && Number.isFinite(started)) {
      const think = thinkFromGap(started - previousEnd);
      if (think) steps.push(commented({ think }, `gap before entry ${index + 1}`));
    }
    if (Number.isFinite(started)) previousEnd = Math.max(previousEnd ?? 0, started + (Number.isFinite(entry.time) ? Math.max(0, entry.time) : 0));

    const split = splitUrl(entry.request.url);
    let path = split && split.origin === origin ? split.path : entry.request.url;
    // ids an earlier response returned: /api/submissions/sub_12 -> /api/submissions/{{ id }}
    path = path.replace(/([/=])([^/?&#=]{4,})/g, (whole, separator: string, segment: string) => {
      const name = captured(decodeURIComponent(segment));
      return name ? `${separator}{{ ${name} }}` : whole;
    });
    path = path.replace(/([?&])([^=&#]+)=([^&#]*)/g, (whole, separator: string, key: string, value: string) =>
      secretField.test(key) && !value.startsWith('{{') ? `${separator}${key}=${placeholder(key.replace(/\W+/g, '_').toUpperCase(), `the ${key} query parameter (recorded, not written)`)}` : whole,
    );

    const method = entry.request.method.toUpperCase();
    const step: Record<string, unknown> = { name: names.take(requestSlug(method, path.replace(/\{\{[^}]*\}\}/g, ''))) };
    if (method !== 'GET') step['method'] = method;
    step['path'] = path;
    const headers: Record<string, string> = {};
    for (const header of entry.request.headers ?? []) {
      const name = header.name.toLowerCase();
      if (droppedHeaders.test(name)) continue;
      if (name === 'cookie') {
        headers[name] = placeholder('COOKIE', 'the cookies of a logged-in browser session (recorded, not written)');
      } else if (name === 'authorization' || name === 'proxy-authorization') {
        const bearer = /^(Bearer|Token|Basic)\s+(.+)$/i.exec(header.value);
        const token = bearer ? captured(bearer[2]!) : null;
        headers[name] = bearer && token ? `${bearer[1]} {{ ${token} }}` : bearer ? `${bearer[1]} ${placeholder('TOKEN', 'the token of the recorded session (recorded, not written)')}` : placeholder('TOKEN', 'the authorization of the recorded session (recorded, not written)');
      } else if (secretHeader.test(name)) {
        headers[name] = placeholder(name.replace(/\W+/g, '_').toUpperCase(), `the ${name} header (recorded, not written)`);
      } else {
        headers[name] = header.value;
      }
    }
    const post = entry.request.postData;
    if (post && (post.text !== undefined || post.params)) {
      const mime = post.mimeType ?? '';
      if (/json/i.test(mime) && post.text !== undefined) {
        try {
          step['json'] = scrubJson(JSON.parse(post.text), (value) => captured(value), (key) => placeholder(key.replace(/\W+/g, '_').toUpperCase(), `the ${key} sent by the recorded session (recorded, not written)`));
        } catch {
          step['body'] = post.text;
        }
      } else if (/x-www-form-urlencoded/i.test(mime)) {
        const params = post.params ?? [...new URLSearchParams(post.text ?? '')].map(([name, value]) => ({ name, value }));
        step['body'] = params
          .map(({ name, value = '' }) => `${encodeURIComponent(name)}=${secretField.test(name) ? placeholder(name.replace(/\W+/g, '_').toUpperCase(), `the ${name} field (recorded, not written)`) : encodeURIComponent(value)}`)
          .join('&');
      } else if (/multipart/i.test(mime)) {
        leftOut.push({ ...at(index), construct: `${method} ${path}: multipart body`, advice: 'file uploads are not converted: write the body by hand' });
      } else if (post.text !== undefined) {
        step['body'] = post.text;
      }
    }
    if (Object.keys(headers).length > 0) step['headers'] = headers;
    const status = entry.response?.status ?? 0;
    if (status >= 400 || status === 0) notes.push({ ...at(index), construct: `${method} ${path}`, advice: status === 0 ? 'recorded without an answer: kept' : `recorded with status ${status}: kept, and perfctl counts it as an error` });

    sources.push({ step, values: responseValues(entry) });
    steps.push(commented(block(step), `entry ${index + 1} (${options.file}:${lines[index] ?? '?'})`));
    requests += 1;
  }

  const flowName = har.log.pages?.[0]?.title ? requestSlug('', har.log.pages[0].title).replace(/^-/, '') || 'recording' : 'recording';
  const creator = har.log.creator?.name ? ` (recorded by ${har.log.creator.name})` : '';
  const document: Record<string, unknown> = {
    name: options.file.replace(/\.har$/i, '').replace(/[^A-Za-z0-9_-]+/g, '-') || 'recording',
    description: `Imported from the HAR recording ${options.file}${creator}`,
    baseUrl: commented(baseUrlValue(options.baseUrl, origin), origin && !options.baseUrl ? 'the recorded host' : undefined),
    stages: [commented({ name: 'hold', duration: '1m', vus: 1 }, 'one user replaying the recording: set the load you want')],
    flows: [block({ name: flowName, steps })],
  };
  notes.push({ line: 1, col: 1, construct: 'the load', advice: 'a recording has none: one user for 1m stands in (stages:)' });
  const thinks = steps.length - requests;
  return {
    output: 'profile',
    document,
    header: [`Imported by perfctl from the HAR recording ${options.file}; comments name the entries. No cookie,`, 'token or password of the recording is written here: set the placeholders before the run.'],
    leftOut,
    notes,
    placeholders: [...placeholders].map(([name, what]) => ({ name, what })),
    summary: `1 flow of ${requests} request${requests === 1 ? '' : 's'} and ${thinks} think time${thinks === 1 ? '' : 's'} from ${entries.length} entries${assets > 0 ? ` (${assets} static assets left out)` : ''}`,
  };
}

/** a JSON body with secret fields as placeholders and recorded values as captures */
function scrubJson(value: unknown, captured: (value: string) => string | null, placeholder: (key: string) => string, key = ''): unknown {
  if (typeof value === 'string') {
    if (secretField.test(key)) return placeholder(key);
    const name = value.length >= 4 ? captured(value) : null;
    return name ? `{{ ${name} }}` : value;
  }
  if (typeof value === 'number' && secretField.test(key)) return placeholder(key);
  if (Array.isArray(value)) return value.map((item) => scrubJson(item, captured, placeholder, key));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, scrubJson(item, captured, placeholder, name)]));
  return value;
}
