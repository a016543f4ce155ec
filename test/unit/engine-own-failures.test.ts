// perfctl's own resource failures make a run inconclusive; the connection cap follows the fd limit.
import { describe, expect, it } from 'vitest';
import { judgeOwnFailures } from '../../src/engine/generator-health.js';
import { connectionCap } from '../../src/engine/run-load.js';
import { createCell } from '../../src/metrics/cell.js';

function cellWith(errorKinds: Record<string, number>, flow = false) {
  const cell = createCell('get', 0, flow);
  cell.errorKinds = errorKinds;
  return cell;
}

describe('own failures', () => {
  it.each([
    [{ ECONNREFUSED: 5, status: 2 }, null],
    [{ EMFILE: 3 }, /3 EMFILE/],
    [{ ENFILE: 1, timeout: 4 }, /1 ENFILE/],
  ])('%o → %s', (kinds, expected) => {
    const reason = judgeOwnFailures([cellWith(kinds)]);
    if (expected === null) expect(reason).toBeNull();
    else expect(reason).toMatch(expected);
  });

  it('ignores flow cells (their steps are counted already)', () => {
    expect(judgeOwnFailures([cellWith({ EMFILE: 2 }, true)])).toBeNull();
  });

  it.each([
    [1024, 768],
    [20_000, 10_000],
    [200, 64],
  ])('connection cap for an fd limit of %i is %i', (limit, cap) => {
    expect(connectionCap(limit)).toBe(cap);
  });
});
