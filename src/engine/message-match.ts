// Pure: WebSocket/SSE message templates rendered per message (`{{ seq }}`, captured values, data
// columns), and the matching of incoming messages against what answers them (`reply:`, `until:`).
// A `text` or `json` reply is looked up by a key (the expected text, or the expected field values
// joined), so a socket with many messages outstanding finds each answer in one map lookup.
import { evaluateJsonPath } from '../config/json-path.js';
import { encodeTemplateValue } from '../config/template.js';
import type { MessageMatch, MessageTemplate, TemplatePart } from '../config/types.js';

/** what a template part other than text and `{{ seq }}` stands for (a flow's captured value or data column) */
export type PartLookup = (part: Exclude<TemplatePart, { kind: 'text' }>) => string;

const noLookup: PartLookup = () => '';

export function renderMessage(template: MessageTemplate, seq: number, lookup: PartLookup = noLookup): string {
  let text = '';
  for (const part of template.parts) {
    if (part.kind === 'text') text += part.text;
    else if (part.kind === 'seq') text += String(seq);
    else {
      text += encodeTemplateValue(lookup(part), template.encoding);
    }
  }
  return text;
}

/** A reply/until rule made ready for one socket: the key a message is expected under, and the key of an incoming one. */
export interface Matcher {
  /** by key (text, json) or by a scan (contains, event) */
  keyed: boolean;
  /** the key the answer to message `seq` will have; for a scan, the text to look for */
  expected(seq: number): string;
  /** the key of an incoming message, or undefined when it cannot answer anything (not JSON, a field missing) */
  keyOf(data: string, event?: string): string | undefined;
  /** for a scan: does this incoming message answer the one expecting `expected` */
  answers(expected: string, data: string, event?: string): boolean;
}

export function createMatcher(match: MessageMatch, lookup: PartLookup = noLookup): Matcher {
  switch (match.kind) {
    case 'text':
      return { keyed: true, expected: (seq) => renderMessage(match.text, seq, lookup), keyOf: (data) => data, answers: (expected, data) => expected === data };
    case 'json':
      return {
        keyed: true,
        expected: (seq) => match.fields.map((field) => renderMessage(field.value, seq, lookup)).join('\u0000'),
        keyOf: (data) => {
          let root: unknown;
          try {
            root = JSON.parse(data);
          } catch {
            return undefined;
          }
          const values: string[] = [];
          for (const field of match.fields) {
            const value = evaluateJsonPath(root, field.path);
            if (value === undefined) return undefined;
            values.push(typeof value === 'string' ? value : JSON.stringify(value));
          }
          return values.join('\u0000');
        },
        answers: () => false,
      };
    case 'contains':
      return { keyed: false, expected: (seq) => renderMessage(match.text, seq, lookup), keyOf: () => undefined, answers: (expected, data) => data.includes(expected) };
    case 'event':
      return { keyed: false, expected: () => match.name, keyOf: () => undefined, answers: (expected, _data, event) => event === expected };
  }
}

/** The messages of one socket waiting for their answer, oldest first. */
export class PendingReplies<T extends { expected: string; answered: boolean }> {
  private readonly byKey = new Map<string, T[]>();
  /** in send order: timeouts are found from the front */
  readonly queue: T[] = [];
  private head = 0;

  constructor(private readonly matcher: Matcher) {}

  get size(): number {
    return this.queue.length - this.head;
  }

  add(entry: T): void {
    this.queue.push(entry);
    if (!this.matcher.keyed) return;
    const list = this.byKey.get(entry.expected);
    if (list) list.push(entry);
    else this.byKey.set(entry.expected, [entry]);
  }

  /** the oldest message this incoming one answers (taken out), or undefined */
  take(data: string, event?: string): T | undefined {
    let found: T | undefined;
    if (this.matcher.keyed) {
      const key = this.matcher.keyOf(data, event);
      const list = key === undefined ? undefined : this.byKey.get(key);
      if (!list) return undefined;
      found = list.shift();
      if (list.length === 0) this.byKey.delete(key!);
    } else {
      for (let i = this.head; i < this.queue.length; i++) {
        const entry = this.queue[i]!;
        if (!entry.answered && this.matcher.answers(entry.expected, data, event)) {
          found = entry;
          break;
        }
      }
    }
    if (found) found.answered = true;
    this.compact();
    return found;
  }

  /** takes out, oldest first, the messages for which `expired` holds (their reply is late) */
  expire(expired: (entry: T) => boolean): T[] {
    const out: T[] = [];
    while (this.head < this.queue.length) {
      const entry = this.queue[this.head]!;
      if (entry.answered) {
        this.head++;
        continue;
      }
      if (!expired(entry)) break;
      this.head++;
      entry.answered = true;
      this.unlink(entry);
      out.push(entry);
    }
    this.compact();
    return out;
  }

  /** every unanswered message, taken out */
  drain(): T[] {
    return this.expire(() => true);
  }

  /** the oldest unanswered message */
  oldest(): T | undefined {
    for (let i = this.head; i < this.queue.length; i++) if (!this.queue[i]!.answered) return this.queue[i];
    return undefined;
  }

  private unlink(entry: T): void {
    if (!this.matcher.keyed) return;
    const list = this.byKey.get(entry.expected);
    if (!list) return;
    const at = list.indexOf(entry);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.byKey.delete(entry.expected);
  }

  private compact(): void {
    while (this.head < this.queue.length && this.queue[this.head]!.answered) this.head++;
    if (this.head > 64 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}
