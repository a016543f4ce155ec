// `ws:` and `sse:` requests and steps (SPEC §2): a WebSocket session held for `hold` with
// `messages` on a schedule, or a server-sent event stream read to its end or `until`. Checked
// here, once: one of `text`/`json`, a path or ws(s) URL, `{{ seq }}` only where messages are.

import { readDuration } from './duration.js';
import { parseJsonPath } from './json-path.js';
import { has, isRecord } from './read-values.js';
import type { Report } from './read-values.js';
import { hasTemplate, parseTemplate, templateSyntaxHint, type TemplateRef } from './template.js';
import type { MessageMatch, MessagePart, MessageTemplate, StreamSpec, Template, TemplateEncoding, TemplatePart, WsMessagesSpec } from './types.js';
import type { FieldPath } from './yaml-source.js';

/** keys of an HTTP request that a `ws:` or `sse:` one does not have */
const httpOnlyKeys = ['path', 'method', 'json', 'body'] as const;
const streamOnlyKeys = ['hold', 'messages', 'until'] as const;

export interface StreamContext {
  report: Report;
  /**
   * What a reference other than `{{ seq }}` stands for (flows: a capture, a data column, an env
   * variable), or null after reporting why it stands for nothing.
   */
  resolve: (ref: TemplateRef, path: FieldPath) => TemplatePart | null;
}

/** In `requests:` nothing is captured and no data row is read: only `{{ seq }}` (and ${ENV}, already interpolated). */
export function requestRefResolver(report: Report): StreamContext['resolve'] {
  return (ref, path) => {
    report(path, `{{ ${ref.text} }}: a request in \`requests\` has no captured values or data rows`, 'use {{ seq }} (the message number), ${NAME} for the environment, or put the step in a flow');
    return null;
  };
}

/** true when the item is a WebSocket or SSE request (it has `ws` or `sse`) */
export function isStreamItem(item: Record<string, unknown>): boolean {
  return has(item, 'ws') || has(item, 'sse');
}

/** Checks a `ws:`/`sse:` item; undefined after a report that leaves nothing to run. */
export function readStream(item: Record<string, unknown>, path: FieldPath, ctx: StreamContext): StreamSpec | undefined {
  const { report } = ctx;
  if (has(item, 'ws') && has(item, 'sse')) {
    report([...path, 'sse'], 'has both `ws` and `sse`', 'a step is a WebSocket session or an event stream: split it in two');
    return undefined;
  }
  const kind = has(item, 'ws') ? 'ws' : 'sse';
  for (const key of httpOnlyKeys) {
    if (!has(item, key)) continue;
    const hint = kind === 'ws' ? 'a WebSocket step sends `messages: { send: ... }` after the handshake' : 'an event stream is a GET of `sse: /path`';
    report([...path, key], `a \`${kind}:\` step has no \`${key}\``, hint);
  }
  if (kind === 'sse') {
    for (const key of ['hold', 'messages'] as const) if (has(item, key)) report([...path, key], `an \`sse:\` step has no \`${key}\``, 'it reads the stream to its end or to `until`');
  } else if (has(item, 'until')) {
    report([...path, 'until'], 'a `ws:` step has no `until`', 'a WebSocket session ends after `hold`; `messages.reply` says what answers a message');
  }
  const rawUrl = item[kind];
  if (typeof rawUrl !== 'string' || rawUrl === '') return undefined; // the schema reports the type
  const urlPath = [...path, kind];
  checkStreamUrl(kind, rawUrl, urlPath, report);
  const url = plainTemplate(rawUrl, 'path', urlPath, ctx);
  const headers: Record<string, Template> = {};
  if (isRecord(item['headers'])) {
    for (const [key, value] of Object.entries(item['headers'])) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
      headers[key.toLowerCase()] = plainTemplate(String(value), 'none', [...path, 'headers', key], ctx);
    }
  }
  if (kind === 'sse') {
    const until = isRecord(item['until']) ? readMatch(item['until'], [...path, 'until'], ctx, ['event', 'contains', 'json']) : null;
    return { kind: 'sse', url, headers, until: until ?? null };
  }
  let holdMs: number | null = null;
  if (has(item, 'hold')) {
    const hold = readDuration(item['hold']);
    if (!hold.ok) report([...path, 'hold'], hold.message, hold.hint);
    else if (hold.value === 0) report([...path, 'hold'], 'must be more than 0s', 'how long each socket stays open, e.g. "30s"');
    else holdMs = hold.value;
  }
  const messages = isRecord(item['messages']) ? readMessages(item['messages'], [...path, 'messages'], ctx) : null;
  return { kind: 'ws', url, headers, holdMs, messages: messages ?? null };
}

function checkStreamUrl(kind: 'ws' | 'sse', text: string, path: FieldPath, report: Report): void {
  if (text.startsWith('/') || text.startsWith('{{')) return;
  const schemes = kind === 'ws' ? ['ws:', 'wss:'] : ['http:', 'https:'];
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url && schemes.includes(url.protocol)) return;
  const hint =
    kind === 'ws'
      ? url && (url.protocol === 'http:' || url.protocol === 'https:')
        ? `write "${text.replace(/^http/i, 'ws')}"`
        : 'a path (/ws/room), joined to baseUrl as ws:// or wss://, or a ws(s):// URL'
      : 'a path (/events), joined to baseUrl, or an http(s) URL';
  report(path, `"${text}" must start with / or be a ${kind === 'ws' ? 'ws(s)' : 'http(s)'} URL`, hint);
}

function readMessages(raw: Record<string, unknown>, path: FieldPath, ctx: StreamContext): WsMessagesSpec | undefined {
  const { report } = ctx;
  const rate = typeof raw['rate'] === 'number' && raw['rate'] > 0 ? raw['rate'] : undefined;
  let timeoutMs: number | null = null;
  if (has(raw, 'timeout')) {
    const timeout = readDuration(raw['timeout']);
    if (!timeout.ok) report([...path, 'timeout'], timeout.message, timeout.hint);
    else if (timeout.value === 0) report([...path, 'timeout'], 'must be more than 0s', 'how long a reply may take, e.g. "5s"');
    else timeoutMs = timeout.value;
  }
  const send = isRecord(raw['send']) ? readSend(raw['send'], [...path, 'send'], ctx) : undefined;
  const reply = isRecord(raw['reply']) ? readMatch(raw['reply'], [...path, 'reply'], ctx, ['text', 'json', 'contains']) : null;
  if (rate === undefined || send === undefined || reply === undefined) return undefined; // reported (here or by the schema)
  return { rate, send, reply, timeoutMs };
}

function readSend(raw: Record<string, unknown>, path: FieldPath, ctx: StreamContext): MessageTemplate | undefined {
  if (has(raw, 'json') && has(raw, 'text')) {
    ctx.report([...path, 'text'], 'has both `json` and `text`', 'a message is sent as JSON (`json`) or as written (`text`): keep one');
    return undefined;
  }
  if (raw['json'] !== undefined) return messageTemplate(JSON.stringify(raw['json']), 'json', [...path, 'json'], ctx);
  if (typeof raw['text'] === 'string') return messageTemplate(raw['text'], 'none', [...path, 'text'], ctx);
  ctx.report(path, '`send` needs `text` or `json`', 'e.g. send: { json: { id: "{{ seq }}", op: edit } }');
  return undefined;
}

/** `reply:` or `until:`: exactly one of the `allowed` forms */
function readMatch(raw: Record<string, unknown>, path: FieldPath, ctx: StreamContext, allowed: ReadonlyArray<'text' | 'json' | 'contains' | 'event'>): MessageMatch | undefined {
  const given = allowed.filter((key) => has(raw, key));
  if (given.length !== 1) {
    const written = allowed.map((key) => `\`${key}\``).join(', ');
    if (given.length === 0) ctx.report(path, `needs one of ${written}`);
    else ctx.report([...path, given[1]!], `has both \`${given[0]}\` and \`${given[1]}\``, `keep one of ${written}`);
    return undefined;
  }
  const key = given[0]!;
  const value = raw[key];
  if (key === 'event') return typeof value === 'string' && value !== '' ? { kind: 'event', name: value } : undefined;
  if (key === 'text' || key === 'contains') return typeof value === 'string' ? { kind: key, text: messageTemplate(value, 'none', [...path, key], ctx) } : undefined;
  if (!isRecord(value)) return undefined; // the schema reports the type
  const fields: Extract<MessageMatch, { kind: 'json' }>['fields'] = [];
  for (const [expression, expected] of Object.entries(value)) {
    const parsed = parseJsonPath(expression);
    if (!parsed.ok) {
      ctx.report([...path, 'json', expression], parsed.message, parsed.hint);
      continue;
    }
    const text = typeof expected === 'string' ? expected : JSON.stringify(expected);
    fields.push({ expression, path: parsed.value, value: messageTemplate(text, 'none', [...path, 'json', expression], ctx) });
  }
  return { kind: 'json', fields };
}

/** a message field: literal text, `{{ seq }}`, and what ctx.resolve makes of other references */
function messageTemplate(text: string, encoding: TemplateEncoding, path: FieldPath, ctx: StreamContext): MessageTemplate {
  const parts: MessagePart[] = [];
  const pushText = (value: string): void => {
    const last = parts[parts.length - 1];
    if (last?.kind === 'text') last.text += value;
    else if (value !== '') parts.push({ kind: 'text', text: value });
  };
  if (!hasTemplate(text)) return { source: text, parts: text === '' ? [] : [{ kind: 'text', text }], encoding };
  const parsed = parseTemplate(text);
  for (const written of parsed.malformed) ctx.report(path, `"${written}" is not a template reference`, templateSyntaxHint);
  for (const part of parsed.parts) {
    if (part.kind === 'text') pushText(part.text);
    else if (part.ref.scope === undefined && part.ref.name === 'seq') parts.push({ kind: 'seq' });
    else {
      const resolved = ctx.resolve(part.ref, path);
      if (resolved === null) continue;
      if (resolved.kind === 'text') pushText(encoding === 'json' ? JSON.stringify(resolved.text).slice(1, -1) : resolved.text);
      else parts.push(resolved);
    }
  }
  return { source: text, parts, encoding };
}

/** the URL and headers: a message template without `{{ seq }}` (it numbers messages, not sockets) */
function plainTemplate(text: string, encoding: TemplateEncoding, path: FieldPath, ctx: StreamContext): Template {
  const compiled = messageTemplate(text, encoding, path, ctx);
  const parts: TemplatePart[] = [];
  for (const part of compiled.parts) {
    if (part.kind !== 'seq') parts.push(part);
    else ctx.report(path, '{{ seq }} numbers the messages of a socket', 'use it in `messages.send` and `messages.reply`');
  }
  return { source: text, parts, encoding };
}

/** the keys only a `ws:`/`sse:` step has, for the message on an HTTP step that uses one */
export function streamKeysOn(item: Record<string, unknown>): string[] {
  return streamOnlyKeys.filter((key) => has(item, key));
}
