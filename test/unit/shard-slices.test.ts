// Property: for random plans (open and closed; holds, ramps up and down, instant jumps) and any
// n in 1..8, the n shards' slices together are exactly the unsharded schedule: every arrival
// once, at the same due time; and the users of the closed model add up at every instant.
// Shards with worker threads inside them (shard i of n, worker j of N) too.
import { describe, expect, it } from 'vitest';
import { buildPlan, levelAt, type Plan } from '../../src/engine/plan.js';
import { createPacer, sliceOfLevel } from '../../src/engine/pacer.js';
import type { LoadModel, StageSpec } from '../../src/config/types.js';

/** mulberry32: a small seeded generator, so a failing case can be replayed from its seed */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomPlan(next: () => number, model: LoadModel): Plan {
  const stages: StageSpec[] = [];
  let level = Math.floor(next() * 50);
  const count = 1 + Math.floor(next() * 5);
  for (let i = 0; i < count; i++) {
    const kind = next();
    const to = model === 'open' ? Math.round(next() * 300 * 10) / 10 : Math.floor(next() * 40);
    if (kind < 0.25) {
      // an instant jump
      stages.push({ name: `jump-${i}`, durationMs: 0, fromLevel: to, toLevel: to });
    } else {
      const durationMs = 100 + Math.floor(next() * 3000);
      // a hold or a ramp (up or down)
      stages.push({ name: `s-${i}`, durationMs, fromLevel: kind < 0.5 ? to : level, toLevel: to });
    }
    level = to;
  }
  if (stages.every((s) => s.durationMs === 0)) stages.push({ name: 'hold', durationMs: 500, fromLevel: level, toLevel: level });
  return buildPlan(model, stages);
}

function schedule(plan: Plan, slice: { index: number; count: number }): number[] {
  const pacer = createPacer(plan, slice);
  return Array.from({ length: pacer.total }, (_, i) => pacer.dueMs(i));
}

const CASES = 300;

describe('the union of the shards is the unsharded plan', () => {
  it(`open model: ${CASES} random plans, n in 1..8 — every arrival exactly once, at its due time`, () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const next = random(seed);
      const plan = randomPlan(next, 'open');
      const n = 1 + Math.floor(next() * 8);
      const whole = schedule(plan, { index: 0, count: 1 });
      const slices = Array.from({ length: n }, (_, i) => schedule(plan, { index: i, count: n }));
      const union = slices.flat().sort((a, b) => a - b);
      expect(union, `seed ${seed}, n ${n}`).toEqual(whole);
      // the slices are as equal as whole arrivals allow
      const sizes = slices.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes), `seed ${seed}`).toBeLessThanOrEqual(1);
    }
  });

  it(`open model with worker threads in each shard: the n·N slices are still the whole plan`, () => {
    for (let seed = 1; seed <= CASES / 3; seed++) {
      const next = random(10_000 + seed);
      const plan = randomPlan(next, 'open');
      const n = 1 + Math.floor(next() * 8);
      const workers = 1 + Math.floor(next() * 4);
      const whole = schedule(plan, { index: 0, count: 1 });
      const parts: number[] = [];
      // as run-workers.ts slices them: worker j of shard i takes i + n·j of n·N
      for (let i = 0; i < n; i++) for (let j = 0; j < workers; j++) parts.push(...schedule(plan, { index: i + n * j, count: n * workers }));
      expect(parts.sort((a, b) => a - b), `seed ${seed}, n ${n}, workers ${workers}`).toEqual(whole);
    }
  });

  it(`closed model: ${CASES} random plans, n in 1..8 — the shards' users add up to the plan's at every instant`, () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const next = random(20_000 + seed);
      const plan = randomPlan(next, 'closed');
      const n = 1 + Math.floor(next() * 8);
      for (let t = 0; t <= plan.totalMs; t += 50) {
        const level = levelAt(plan, t);
        const parts = Array.from({ length: n }, (_, i) => sliceOfLevel(level, { index: i, count: n }));
        expect(parts.reduce((a, b) => a + b, 0), `seed ${seed}, n ${n}, t ${t}`).toBe(Math.round(level));
        expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('the property can fail: a slice scheme that drops a remainder is caught', () => {
    // a wrong split (floor of total/n per shard, as a naive splitter would) loses arrivals
    const plan = buildPlan('open', [{ name: 'hold', durationMs: 1000, fromLevel: 10, toLevel: 10 }]);
    const whole = schedule(plan, { index: 0, count: 1 });
    const naive = Array.from({ length: 3 }, (_, i) => schedule(plan, { index: i, count: 3 }).slice(0, Math.floor(whole.length / 3))).flat();
    expect(naive.sort((a, b) => a - b)).not.toEqual(whole);
  });
});
