import { describe, expect, it } from 'vitest';
import { WeightedMix } from '../../src/engine/request-mix.js';

describe('weighted request mix', () => {
  it('gives each request its exact share over every full cycle: 70/20/10 over 100 picks', () => {
    const mix = new WeightedMix([
      { name: 'list', weight: 70 },
      { name: 'item', weight: 20 },
      { name: 'login', weight: 10 },
    ]);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 100; i++) {
      const name = mix.next().name;
      counts[name] = (counts[name] ?? 0) + 1;
    }
    expect(counts).toEqual({ list: 70, item: 20, login: 10 });
  });

  it('interleaves instead of sending runs: 1:1 alternates', () => {
    const mix = new WeightedMix([
      { name: 'a', weight: 1 },
      { name: 'b', weight: 1 },
    ]);
    expect(Array.from({ length: 4 }, () => mix.next().name)).toEqual(['a', 'b', 'a', 'b']);
  });
});
