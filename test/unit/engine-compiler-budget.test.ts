// Which loads raise V8's interrupt budget, and that the default is back once the last of them ends.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/engine/plan.js';
import {
  DEFAULT_INTERRUPT_BUDGET,
  holdLowRateBudget,
  isLowRate,
  LOW_RATE_INTERRUPT_BUDGET,
  mayRaiseBudget,
} from '../../src/engine/compiler-budget.js';

const open = (...levels: number[]) => buildPlan('open', levels.map((level, i) => ({ name: `s${i}`, durationMs: 5000, fromLevel: i === 0 ? level : levels[i - 1]!, toLevel: level })));
const closed = (users: number) => buildPlan('closed', [{ name: 's', durationMs: 5000, fromLevel: users, toLevel: users }]);

describe('isLowRate', () => {
  const cases: Array<[string, ReturnType<typeof buildPlan>, number, boolean]> = [
    ['100/s', open(100), 1, true],
    ['500/s', open(500), 1, true],
    ['501/s (arrivals under 2 ms apart)', open(501), 1, false],
    ['1,000/s', open(1000), 1, false],
    ['a ramp from 100/s to 5,000/s: its peak counts', open(100, 5000), 1, false],
    ['a spike to 3,000/s after a quiet stage', open(200, 200, 3000), 1, false],
    ['2,000/s over 4 shards (500/s each)', open(2000), 4, true],
    ['a ramp from 0 to 500/s', open(0, 500), 1, true],
    ['10 users, closed model (their rate is the service\'s)', closed(10), 1, false],
  ];
  it.each(cases)('%s', (_name, plan, slices, expected) => {
    expect(isLowRate(plan, slices)).toBe(expected);
  });
});

describe('mayRaiseBudget', () => {
  const v8 = '11.3.244.8-node.38';
  const cases: Array<[string, string[], string | undefined, boolean]> = [
    [v8, [], undefined, true],
    [v8, ['--max-old-space-size=4096'], '--enable-source-maps', true],
    [v8, ['--interrupt-budget=1000'], undefined, false],
    [v8, ['--interrupt_budget=1000'], undefined, false],
    [v8, [], '--enable-source-maps --interrupt-budget=9999', false],
    [v8, ['--interrupt-budget-for-feedback-allocation=10'], undefined, true],
    // another V8 has another default: perfctl could not put it back
    ['12.4.254.21-node.33', [], undefined, false],
  ];
  it.each(cases)('V8 %s, execArgv %j, NODE_OPTIONS %j -> %s', (version, execArgv, nodeOptions, expected) => {
    expect(mayRaiseBudget(version, execArgv, nodeOptions)).toBe(expected);
  });
});

describe('holdLowRateBudget', () => {
  it('raises the budget once for loads at once, and restores the default when the last ends', () => {
    const set: string[] = [];
    const first = holdLowRateBudget((flags) => set.push(flags));
    const second = holdLowRateBudget((flags) => set.push(flags));
    expect(set).toEqual([`--interrupt-budget=${LOW_RATE_INTERRUPT_BUDGET}`]);
    first();
    first(); // a second release of the same hold changes nothing
    expect(set).toHaveLength(1);
    second();
    expect(set).toEqual([`--interrupt-budget=${LOW_RATE_INTERRUPT_BUDGET}`, `--interrupt-budget=${DEFAULT_INTERRUPT_BUDGET}`]);
    // and a later load raises it again
    holdLowRateBudget((flags) => set.push(flags))();
    expect(set).toHaveLength(4);
  });

  it("keeps V8's own default: the value restored is what node reports", async () => {
    const { execFileSync } = await import('node:child_process');
    const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    expect(options).toContain(`default: --interrupt-budget=${DEFAULT_INTERRUPT_BUDGET}\n`);
  });
});
