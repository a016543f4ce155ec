// The built CLI compiles its own files with V8's code cache from the run before (src/compile-cache.ts):
// the first command writes the cache, the next uses it, a damaged or foreign one is never trusted,
// and the output is the same either way.
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, describeRun, makeTempDir, removeTempDir, repoRoot, runCli } from '../helpers/cli.js';

let dir: string | undefined;
beforeAll(() => assertBuilt());
afterEach(() => {
  removeTempDir(dir);
  dir = undefined;
});

const profile = join(repoRoot, 'test', 'fixtures', 'config', 'valid', 'ramp-and-jump.yaml');
/** `perfctl validate` loads the CLI, the profile loader, the YAML parser and the precompiled validators */
const validate = (cacheDir: string, extra: Record<string, string> = {}) =>
  runCli(['validate', profile], { env: { PERFCTL_CACHE_DIR: cacheDir, PERFCTL_COMPILE_CACHE: 'debug', PERFCTL_TEST_TOKEN: 't', ...extra } });
const counts = (stderr: string): { used: number; missed: number } => {
  const m = /compile cache: (\d+) used, (\d+) missed/.exec(stderr);
  if (!m) throw new Error(`no compile cache line in: ${stderr}`);
  return { used: Number(m[1]), missed: Number(m[2]) };
};

describe('compile cache (built CLI)', () => {
  it('is written by the first command and used by the next, with the same output', async () => {
    dir = makeTempDir('perfctl-cc-');
    const first = await validate(dir);
    expect(first.code, describeRun(first)).toBe(0);
    const made = counts(first.stderr);
    expect(made.used).toBe(0);
    expect(made.missed).toBeGreaterThan(3);
    const entriesDir = join(dir, 'compile', `node-${process.version}-${process.arch}`);
    const entries = readdirSync(entriesDir);
    expect(entries.filter((f) => f.endsWith('.v8cache'))).toHaveLength(made.missed);
    expect(entries.filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const second = await validate(dir);
    expect(second.code, describeRun(second)).toBe(0);
    expect(counts(second.stderr)).toEqual({ used: made.missed, missed: 0 });
    expect(second.stdout).toBe(first.stdout);

    // entries V8 refuses (damaged) are compiled as usual, replaced, and the output is unchanged
    for (const name of entries) {
      const path = join(entriesDir, name);
      const entry = readFileSync(path);
      writeFileSync(path, Buffer.concat([entry.subarray(0, 16), Buffer.alloc(entry.length - 16, 7)]));
    }
    const damaged = await validate(dir);
    expect(damaged.code, describeRun(damaged)).toBe(0);
    expect(counts(damaged.stderr)).toEqual({ used: 0, missed: made.missed });
    expect(damaged.stdout).toBe(first.stdout);
    const repaired = await validate(dir);
    expect(counts(repaired.stderr)).toEqual({ used: made.missed, missed: 0 });
  }, 60_000);

  it('keeps one cache per command', async () => {
    dir = makeTempDir('perfctl-cc-');
    await validate(dir);
    const version = await runCli(['--version'], { env: { PERFCTL_CACHE_DIR: dir, PERFCTL_COMPILE_CACHE: 'debug' } });
    expect(version.code, describeRun(version)).toBe(0);
    expect(counts(version.stderr).used).toBe(0);
  }, 60_000);

  it('is not read from a folder other users can write to, nor when turned off', async () => {
    dir = makeTempDir('perfctl-cc-');
    await validate(dir);
    const entriesDir = join(dir, 'compile', `node-${process.version}-${process.arch}`);
    chmodSync(entriesDir, 0o777);
    const shared = await validate(dir);
    expect(shared.code, describeRun(shared)).toBe(0);
    // not installed at all: nothing counted, nothing written
    expect(shared.stderr).not.toMatch(/compile cache/);
    expect(shared.stdout).toMatch(/valid/i);
    chmodSync(entriesDir, 0o700);

    const off = await validate(dir, { PERFCTL_COMPILE_CACHE: '0' });
    expect(off.code, describeRun(off)).toBe(0);
    expect(off.stderr).not.toMatch(/compile cache/);
  }, 60_000);
});
