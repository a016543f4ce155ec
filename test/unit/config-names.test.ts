import { describe, expect, it } from 'vitest';
import { didYouMeanHint, editDistance, suggest } from '../../src/config/did-you-mean.js';
import { matchesGlob } from '../../src/config/glob.js';

describe('matchesGlob', () => {
  it.each([
    ['login', 'login', true],
    ['login', 'log*', true],
    ['login', 'log?n', true],
    ['login', 'log?', false],
    ['POST /api/auth/login', 'POST /api/*', true],
    ['list.json', 'list.json', true],
    ['listxjson', 'list.json', false],
    ['a(b)', 'a(*)', true],
    ['Login', 'login', false],
    ['anything', '*', true],
  ])('%s ~ %s is %s', (name, pattern, expected) => {
    expect(matchesGlob(name, pattern)).toBe(expected);
  });
});

describe('did you mean', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('PSOT', 'POST')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('ignores case, - and _', () => {
    expect(suggest('base_url', ['baseUrl', 'stages'])).toBe('baseUrl');
    expect(suggest('thinktime', ['thinkTime'])).toBe('thinkTime');
  });

  it('suggests nothing when nothing is close', () => {
    expect(suggest('zzz', ['stages', 'requests'])).toBeUndefined();
    expect(didYouMeanHint('zzz', ['a', 'b'])).toBe('expected one of: a, b');
    expect(didYouMeanHint('durration', ['duration', 'rate'])).toBe('did you mean `duration`?');
  });
});
