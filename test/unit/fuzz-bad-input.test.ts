// Property-based fuzzing of every input perfctl reads (profile YAML, target tables, result.json):
// whatever the bytes, the answer is a list of positioned problems (exit 2) or a valid input,
// never an exception (exit 3, "internal error"). Bounded for CI: a few hundred cases each,
// with a fixed seed so a failure reproduces.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { checkProfileText, checkTargetsText } from '../../src/config/check-source.js';
import { decodeResult } from '../../src/result/read-result.js';
import { buildPlan } from '../../src/engine/plan.js';
import { planLimitProblem } from '../../src/engine/plan-limits.js';
import { createPacer } from '../../src/engine/pacer.js';
import { PerfctlError } from '../../src/errors.js';
import { makeResult, spread } from '../helpers/result-fixture.js';
import type { InputIssue } from '../../src/errors.js';

const SEED = 20261201;
const RUNS = 250;

const VALID_PROFILE = {
  name: 'fuzz',
  baseUrl: 'http://127.0.0.1:8080',
  stages: [
    { name: 'warm', duration: '10s', rate: 5 },
    { name: 'peak', duration: '20s', from: 5, rate: 50 },
  ],
  requests: [
    { name: 'list', path: '/items?page={{ iteration }}', weight: 3 },
    { name: 'add', method: 'POST', path: '/items', json: { title: 'x', n: 1 }, expect: { status: [201] } },
  ],
  timeout: '5s',
  targets: [{ name: 'all', p95: '200ms', errorRate: '1%' }],
};

// values that have broken parsers before: templates of object keys, aliases, huge numbers, env refs
const nasty = fc.constantFrom<unknown>(
  '{{ constructor }}', '{{ toString }}', '{{ __proto__ }}', '{{', '}}', '${', '${UNSET}', '${HOME:-x}', '$${x}',
  '1e400', 1e400, -1, 0, 1e10, Number.MAX_SAFE_INTEGER, NaN, '', ' ', '\u0000', '\r\nEvil: 1', '30', '5 m', 'ms',
  null, true, [], {}, [[]], { '': 1 }, '__proto__', 'constructor', '*', '&', '!!binary', '%', '@', '`',
);
const value: fc.Arbitrary<unknown> = fc.oneof(nasty, fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const key = fc.oneof(fc.constantFrom('name', 'duration', 'rate', 'vus', 'from', 'path', 'method', 'json', 'body', 'headers', 'weight', 'expect', 'status', 'p95', 'p99', 'errorRate', 'requests', 'phase', 'stages', 'targets', 'flows', 'steps', 'capture', 'think', 'data', 'timeout', 'thinkTime', 'maxInFlight', 'baseUrl', '__proto__', 'constructor'), fc.string({ maxLength: 8 }));

/** the valid profile with one value somewhere replaced, added or removed */
const mutatedProfile = fc
  .tuple(fc.array(fc.oneof(key, fc.nat({ max: 3 }).map(String)), { minLength: 1, maxLength: 4 }), fc.oneof(value, fc.constant(undefined)))
  .map(([path, replacement]) => {
    const copy = structuredClone(VALID_PROFILE) as Record<string, unknown>;
    let node: Record<string, unknown> = copy;
    // own properties only, set with defineProperty: a `__proto__` key is data here, never the prototype
    for (const step of path.slice(0, -1)) {
      const next = Object.hasOwn(node, step) ? node[step] : undefined;
      if (next !== null && typeof next === 'object') node = next as Record<string, unknown>;
      else {
        const fresh = {};
        Object.defineProperty(node, step, { value: fresh, enumerable: true, writable: true, configurable: true });
        node = fresh;
      }
    }
    const last = path[path.length - 1]!;
    if (replacement === undefined) delete node[last];
    else Object.defineProperty(node, last, { value: replacement, enumerable: true, writable: true, configurable: true });
    return stringify(copy);
  });

/** raw text damage: a slice cut out, a character inserted, a line duplicated */
const damagedText = fc
  .tuple(fc.nat(), fc.nat({ max: 20 }), fc.constantFrom(':', '-', ' ', '\t', '{', '[', '"', "'", '&a', '*a', '<<: *a', '\n', '#', '|', '>'))
  .map(([at, length, insert]) => {
    const text = stringify(VALID_PROFILE);
    const i = at % text.length;
    return text.slice(0, i) + insert + text.slice(i + length);
  });

function expectWellFormed(issues: InputIssue[]): void {
  for (const issue of issues) {
    expect(typeof issue.message).toBe('string');
    expect(issue.message.length).toBeGreaterThan(0);
    expect(issue.message).not.toContain('\n');
    expect(Number.isInteger(issue.line) && issue.line >= 0).toBe(true);
    expect(Number.isInteger(issue.col) && issue.col >= 0).toBe(true);
  }
}

async function checkProfile(text: string): Promise<void> {
  const { profile, issues } = await checkProfileText(text, '/tmp/fuzz.yaml', 'fuzz.yaml', { cwd: '/tmp', env: { HOME: '/root' }, defaultName: 'fuzz' });
  expectWellFormed(issues);
  if (issues.length > 0) return;
  // a profile without problems must plan: limits checked, the pacer answers
  const plan = buildPlan(profile.model, profile.stages);
  if (planLimitProblem(plan) !== null) return;
  if (plan.model === 'open') expect(Number.isFinite(createPacer(plan).dueMs(0)) || createPacer(plan).total === 0).toBe(true);
}

describe('fuzzing the inputs (bounded, seeded)', () => {
  it(`profile YAML with one value changed: issues or a valid plan, never an exception (${RUNS} cases)`, async () => {
    await fc.assert(fc.asyncProperty(mutatedProfile, checkProfile), { seed: SEED, numRuns: RUNS });
  });

  it(`profile YAML damaged as text: issues or a valid plan, never an exception (${RUNS} cases)`, async () => {
    await fc.assert(fc.asyncProperty(damagedText, checkProfile), { seed: SEED, numRuns: RUNS });
  });

  it(`target tables with random rows: issues or rows, never an exception (${RUNS} cases)`, () => {
    const row = fc.dictionary(key, value, { maxKeys: 5 });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 4 }), (rows) => {
        const { issues } = checkTargetsText(stringify({ targets: rows }), 'fuzz.targets.yaml', {});
        expectWellFormed(issues);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it(`result.json with one field changed or cut: exit 2 naming the file, or a valid result (${RUNS} cases)`, () => {
    const base = makeResult({ profileName: 'fuzz', cells: [{ group: 'a', phase: 'main', latenciesMs: spread(50, 1, 30) }] });
    const text = JSON.stringify(base);
    const paths = fc.array(fc.oneof(fc.constantFrom('totals', 'histograms', 'cells', 'total', 'latency', 'requests', 'timeline', 'profile', 'verdict', 'schemaVersion', 'tool', '0'), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(paths, fc.oneof(value, fc.constant(undefined)), fc.nat(), fc.boolean(), (path, replacement, cut, truncate) => {
        let input: string;
        if (truncate) input = text.slice(0, cut % text.length);
        else {
          const copy = JSON.parse(text) as Record<string, unknown>;
          let node: unknown = copy;
          for (const step of path.slice(0, -1)) node = node !== null && typeof node === 'object' && Object.hasOwn(node, step) ? (node as Record<string, unknown>)[step] : undefined;
          if (node !== null && typeof node === 'object') {
            Object.defineProperty(node, path[path.length - 1]!, { value: replacement, enumerable: true, writable: true, configurable: true });
          }
          input = JSON.stringify(copy);
        }
        try {
          decodeResult(input, 'fuzz/result.json');
        } catch (error) {
          expect(error).toBeInstanceOf(PerfctlError);
          expect((error as PerfctlError).exitCode).toBe(2);
          expect((error as PerfctlError).message.startsWith('fuzz/result.json: ')).toBe(true);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
