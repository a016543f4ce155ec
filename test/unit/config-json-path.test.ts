// The JSONPath subset of captures: parsed once at load, evaluated per response.
import { describe, expect, it } from 'vitest';
import { evaluateJsonPath, parseJsonPath } from '../../src/config/json-path.js';

const body = { token: 'abc', user: { id: 7, 'display-name': 'Ada' }, items: [{ id: 'i1' }, { id: 'i2' }], empty: null, ok: true };

describe('parseJsonPath', () => {
  it.each([
    ['$', []],
    ['$.token', ['token']],
    ['$.items[0].id', ['items', 0, 'id']],
    ['$.items[-1].id', ['items', -1, 'id']],
    ["$['display-name']", ['display-name']],
    ['$.user["display-name"]', ['user', 'display-name']],
    [' $.a.b ', ['a', 'b']],
  ])('%s -> %j', (expression, segments) => {
    expect(parseJsonPath(expression)).toEqual({ ok: true, value: segments });
  });

  it.each([
    ['token', 'it must start with $'],
    ['$.', 'a name is expected'],
    ['$.items[*]', 'only [0] and'],
    ['$..id', 'a name is expected'],
    ['$.a b', 'unexpected " "'],
  ])('%s is not a path: %s', (expression, why) => {
    const read = parseJsonPath(expression);
    expect(read.ok).toBe(false);
    if (!read.ok) {
      expect(read.message).toContain(why);
      expect(read.hint).toContain('$.items[0].id');
    }
  });
});

describe('evaluateJsonPath', () => {
  const at = (expression: string): unknown => {
    const read = parseJsonPath(expression);
    if (!read.ok) throw new Error(read.message);
    return evaluateJsonPath(body, read.value);
  };

  it.each([
    ['$.token', 'abc'],
    ['$.user.id', 7],
    ["$.user['display-name']", 'Ada'],
    ['$.items[1].id', 'i2'],
    ['$.items[-1].id', 'i2'],
    ['$.ok', true],
    ['$.empty', null],
  ])('%s -> %j', (expression, value) => {
    expect(at(expression)).toEqual(value);
  });

  it.each(['$.missing', '$.items[5].id', '$.token.length', '$.user[0]', '$.items.id', '$.constructor'])('%s leads nowhere', (expression) => {
    expect(at(expression)).toBeUndefined();
  });

  it('reads nothing from a body that is not JSON', () => {
    expect(evaluateJsonPath(undefined, ['token'])).toBeUndefined();
  });
});
