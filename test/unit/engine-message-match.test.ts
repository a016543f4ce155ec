// Pure pieces of the WebSocket/SSE sessions: message templates, reply matching, the SSE parser.
import { describe, expect, it } from 'vitest';
import type { MessageMatch, MessageTemplate } from '../../src/config/types.js';
import { createMatcher, PendingReplies, renderMessage } from '../../src/engine/message-match.js';
import { SseParser } from '../../src/engine/sse-parser.js';

const seqOnly: MessageTemplate = { source: '{{ seq }}', parts: [{ kind: 'seq' }], encoding: 'none' };
const byId: MessageMatch = { kind: 'json', fields: [{ expression: '$.id', path: ['id'], value: seqOnly }] };

interface Entry {
  seq: number;
  expected: string;
  answered: boolean;
}
const entry = (seq: number, matcher = createMatcher(byId)): Entry => ({ seq, expected: matcher.expected(seq), answered: false });

describe('renderMessage', () => {
  it.each([
    [{ source: '', parts: [{ kind: 'text', text: 'a' }, { kind: 'seq' }, { kind: 'text', text: 'b' }], encoding: 'none' } as MessageTemplate, 7, 'a7b'],
    [{ source: '', parts: [{ kind: 'text', text: '{"u":"' }, { kind: 'capture', name: 'u' }, { kind: 'text', text: '"}' }], encoding: 'json' } as MessageTemplate, 1, '{"u":"say \\"hi\\""}'],
  ])('%#', (template, seq, expected) => {
    expect(renderMessage(template, seq, () => 'say "hi"')).toBe(expected);
  });
});

describe('matchers', () => {
  it.each([
    ['json field equal as text', byId, 3, '{"id":"3","op":"edit"}', true],
    ['json number matches its text', byId, 3, '{"id":3}', true],
    ['json other id', byId, 3, '{"id":"4"}', false],
    ['not JSON', byId, 3, 'hello', false],
    ['field missing', byId, 3, '{"op":"edit"}', false],
    ['exact text', { kind: 'text', text: { source: '', parts: [{ kind: 'text', text: 'ack ' }, { kind: 'seq' }], encoding: 'none' } } as MessageMatch, 2, 'ack 2', true],
    ['exact text, more', { kind: 'text', text: { source: '', parts: [{ kind: 'text', text: 'ack ' }, { kind: 'seq' }], encoding: 'none' } } as MessageMatch, 2, 'ack 22', false],
    ['contains', { kind: 'contains', text: { source: '', parts: [{ kind: 'text', text: 'ok' }], encoding: 'none' } } as MessageMatch, 1, 'is ok now', true],
  ])('%s', (_name, match, seq, incoming, answers) => {
    const matcher = createMatcher(match);
    const pending = new PendingReplies<Entry>(matcher);
    pending.add(entry(seq, matcher));
    expect(pending.take(incoming)?.seq).toBe(answers ? seq : undefined);
  });

  it('an answer is taken once; the oldest unanswered expires first', () => {
    const pending = new PendingReplies<Entry>(createMatcher(byId));
    for (const seq of [1, 2, 3]) pending.add(entry(seq));
    expect(pending.take('{"id":"2"}')?.seq).toBe(2);
    expect(pending.take('{"id":"2"}')).toBeUndefined();
    expect(pending.expire((e) => e.seq <= 2).map((e) => e.seq)).toEqual([1]);
    expect(pending.oldest()?.seq).toBe(3);
    expect(pending.take('{"id":"1"}')).toBeUndefined();
    expect(pending.drain().map((e) => e.seq)).toEqual([3]);
    expect(pending.oldest()).toBeUndefined();
  });
});

describe('SseParser', () => {
  it.each([
    ['one event', ['data: hi\n\n'], [{ event: 'message', data: 'hi' }]],
    ['named, two data lines', ['event: chunk\ndata: a\ndata: b\n\n'], [{ event: 'chunk', data: 'a\nb' }]],
    ['split anywhere, CRLF split', ['da', 'ta: x\r', '\n\r', '\nevent: done\ndata:\n\n'], [{ event: 'message', data: 'x' }, { event: 'done', data: '' }]],
    ['comments and unknown fields skipped; no data, no event', [': ping\nid: 4\n\nretry: 10\n\n'], []],
    ['unfinished event waits', ['data: half'], []],
  ])('%s', (_name, chunks, events) => {
    const parser = new SseParser();
    expect(chunks.flatMap((chunk) => parser.push(chunk))).toEqual(events);
  });
});
