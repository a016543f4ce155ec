// `{{ ... }}` templates: parsed once at load into literal text and references; values are encoded
// for where they go (a JSON string, a URL path).
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../src/config/normalise-flows.js';
import { encodeTemplateValue, parseTemplate, templateRefs } from '../../src/config/template.js';
import type { TemplatePart } from '../../src/config/types.js';

describe('parseTemplate', () => {
  it('splits text and references, with or without spaces', () => {
    expect(parseTemplate('Bearer {{ token }}')).toEqual({
      parts: [
        { kind: 'text', text: 'Bearer ' },
        { kind: 'ref', ref: { name: 'token', text: 'token' } },
      ],
      malformed: [],
    });
    expect(parseTemplate('/u/{{row.id}}/x{{ env.HOME }}').parts).toEqual([
      { kind: 'text', text: '/u/' },
      { kind: 'ref', ref: { scope: 'row', name: 'id', text: 'row.id' } },
      { kind: 'text', text: '/x' },
      { kind: 'ref', ref: { scope: 'env', name: 'HOME', text: 'env.HOME' } },
    ]);
  });

  it('keeps a {{ without a closing }} as text, and reports a closed one that is not a reference', () => {
    expect(parseTemplate('a {{ b')).toEqual({ parts: [{ kind: 'text', text: 'a {{ b' }], malformed: [] });
    expect(parseTemplate('{{ a b }} and {{ x.y.z }}')).toEqual({
      parts: [{ kind: 'text', text: '{{ a b }} and {{ x.y.z }}' }],
      malformed: ['{{ a b }}', '{{ x.y.z }}'],
    });
  });

  it('lists the references of a text', () => {
    expect(templateRefs('{{ a }}-{{ row.b }}').map((ref) => ref.text)).toEqual(['a', 'row.b']);
    expect(templateRefs('plain')).toEqual([]);
  });
});

describe('compileTemplate', () => {
  const resolve = (ref: { scope?: string; name: string }): TemplatePart | null => {
    if (ref.scope === 'env') return { kind: 'text', text: `"${ref.name}"` };
    if (ref.scope) return { kind: 'data', source: ref.scope, column: ref.name };
    return ref.name === 'unknown' ? null : { kind: 'capture', name: ref.name };
  };

  it('compiles once into literal parts and variables, joining adjacent text (environment values are text)', () => {
    expect(compileTemplate('Bearer {{ token }} {{ env.X }}!', 'none', resolve)).toEqual({
      source: 'Bearer {{ token }} {{ env.X }}!',
      encoding: 'none',
      parts: [
        { kind: 'text', text: 'Bearer ' },
        { kind: 'capture', name: 'token' },
        { kind: 'text', text: ' "X"!' },
      ],
    });
  });

  it('encodes an environment value for a JSON body or a path', () => {
    expect(compileTemplate('{"a":"{{ env.X }}"}', 'json', resolve).parts).toEqual([{ kind: 'text', text: '{"a":"\\"X\\""}' }]);
    expect(compileTemplate('/p/{{ row.id }}', 'path', resolve).parts).toEqual([
      { kind: 'text', text: '/p/' },
      { kind: 'data', source: 'row', column: 'id' },
    ]);
  });

  it('leaves out a reference that resolves to nothing (its issue is reported)', () => {
    expect(compileTemplate('a{{ unknown }}b', 'none', resolve).parts).toEqual([{ kind: 'text', text: 'ab' }]);
  });
});

describe('encodeTemplateValue', () => {
  it.each([
    ['none', 'a "b"\n', 'a "b"\n'],
    ['json', 'a "b"\\\n', 'a \\"b\\"\\\\\\n'],
    ['path', 'Lovelace, Ada', 'Lovelace,%20Ada'],
    ['path', 'i-1/x?y=%20', 'i-1/x?y=%20'],
    ['path', 'Zoë', 'Zo%C3%AB'],
  ] as const)('%s: %j -> %j', (encoding, value, written) => {
    expect(encodeTemplateValue(value, encoding)).toBe(written);
  });
});
