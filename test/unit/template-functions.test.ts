// Template functions: parsed with the templates, checked at load, drawn from a seeded stream.
import { describe, expect, it } from 'vitest';
import { checkCall } from '../../src/config/template-functions.js';
import { parseTemplate } from '../../src/config/template.js';
import { createRng, drawPause, drawRandom } from '../../src/engine/random.js';

describe('parseTemplate: calls', () => {
  it.each([
    ['{{ uuid() }}', 'uuid', []],
    ['{{randomInt(1, 100)}}', 'randomInt', ['1', '100']],
    ['{{ randomItem(red, "green, light", \'blue\') }}', 'randomItem', ['red', 'green, light', 'blue']],
    ['{{ randomItem(\\"a\\", \\"b\\") }}', 'randomItem', ['a', 'b']], // as a JSON body escapes them
    ['{{ randomString(12) }}', 'randomString', ['12']],
  ])('%s', (text, name, args) => {
    expect(parseTemplate(text).parts).toEqual([{ kind: 'ref', ref: { name, args, text: text.slice(2, -2).trim() } }]);
  });

  it('an unclosed quote is not a call', () => {
    expect(parseTemplate('{{ randomItem("a, b) }}').malformed).toEqual(['{{ randomItem("a, b) }}']);
  });
});

describe('checkCall', () => {
  it.each([
    ['uuid', [], { kind: 'random', fn: { name: 'uuid' } }],
    ['timestamp', [], { kind: 'timestamp' }],
    ['randomInt', ['-5', '5'], { kind: 'random', fn: { name: 'randomInt', min: -5, max: 5 } }],
    ['randomString', ['8'], { kind: 'random', fn: { name: 'randomString', length: 8 } }],
    ['randomItem', ['a', 'b'], { kind: 'random', fn: { name: 'randomItem', items: ['a', 'b'] } }],
  ])('%s(%j)', (name, args, part) => {
    expect(checkCall(name, args)).toEqual({ ok: true, part });
  });

  it.each([
    ['uuid', ['1'], /uuid\(\) takes no arguments/],
    ['randomInt', ['1'], /randomInt takes two whole numbers/],
    ['randomInt', ['1.5', '3'], /randomInt takes two whole numbers/],
    ['randomInt', ['9', '1'], /the range runs backwards/],
    ['randomString', ['0'], /randomString takes one length/],
    ['randomItem', [], /randomItem needs at least one item/],
    ['randomint', ['1', '2'], /there is no template function "randomint"/],
  ])('%s(%j) is refused', (name, args, message) => {
    const check = checkCall(name, args);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toMatch(message);
  });

  it('suggests the function meant', () => {
    const check = checkCall('randomint', ['1', '2']);
    expect(check.ok ? '' : check.hint).toMatch(/randomInt/);
  });
});

describe('the seeded stream', () => {
  const draw = (seed: number, user: number, iteration: number): string[] => {
    const rng = createRng(seed, user, iteration);
    return [drawRandom({ name: 'uuid' }, rng), drawRandom({ name: 'randomInt', min: 1, max: 6 }, rng), drawRandom({ name: 'randomString', length: 10 }, rng)];
  };

  it('the same (seed, user, iteration) draws the same values; any other draws others', () => {
    expect(draw(7, 1, 0)).toEqual(draw(7, 1, 0));
    expect(draw(7, 1, 0)).not.toEqual(draw(8, 1, 0));
    expect(draw(7, 1, 0)).not.toEqual(draw(7, 2, 0));
    expect(draw(7, 1, 0)).not.toEqual(draw(7, 1, 1));
  });

  it('uuid() is a version-4 UUID; randomInt stays in its range and reaches both ends; randomString uses letters and digits', () => {
    const rng = createRng(1, 1, 1);
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      expect(drawRandom({ name: 'uuid' }, rng)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(drawRandom({ name: 'randomInt', min: 1, max: 6 }, rng));
      expect(drawRandom({ name: 'randomString', length: 5 }, rng)).toMatch(/^[A-Za-z0-9]{5}$/);
    }
    expect([...seen].sort()).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('randomItem picks every item about equally often', () => {
    const rng = createRng(3, 0, 0);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 30_000; i++) counts[drawRandom({ name: 'randomItem', items: ['a', 'b', 'c'] }, rng)]!++;
    for (const count of Object.values(counts)) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it('a think range is drawn within its bounds; a fixed pause is the pause', () => {
    const rng = createRng(1, 2, 3);
    for (let i = 0; i < 100; i++) {
      const pause = drawPause(500, 1500, rng);
      expect(pause).toBeGreaterThanOrEqual(500);
      expect(pause).toBeLessThan(1500);
    }
    expect(drawPause(200, 200, rng)).toBe(200);
  });
});
