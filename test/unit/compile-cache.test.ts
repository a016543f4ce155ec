import { describe, expect, it } from 'vitest';
import { commandOf, compileCacheDir, entryName, packEntry, unpackEntry } from '../../src/compile-cache.js';

describe('compile cache: where it goes', () => {
  it.each([
    ['the user cache folder under HOME', {}, '/home/ana', '/home/ana/.cache/perfctl/compile/node-v20.20.2-x64'],
    ['XDG_CACHE_HOME first', { XDG_CACHE_HOME: '/xdg' }, '/home/ana', '/xdg/perfctl/compile/node-v20.20.2-x64'],
    ['PERFCTL_CACHE_DIR before everything', { PERFCTL_CACHE_DIR: '/c', XDG_CACHE_HOME: '/xdg' }, '/home/ana', '/c/compile/node-v20.20.2-x64'],
    ['off with PERFCTL_COMPILE_CACHE=0', { PERFCTL_COMPILE_CACHE: '0', PERFCTL_CACHE_DIR: '/c' }, '/home/ana', undefined],
    ['nowhere without a home or a folder given', {}, '', undefined],
    ['an empty PERFCTL_CACHE_DIR is not a folder', { PERFCTL_CACHE_DIR: '' }, '/home/ana', '/home/ana/.cache/perfctl/compile/node-v20.20.2-x64'],
  ] as const)('%s', (_what, env, home, expected) => {
    expect(compileCacheDir(env, home, 'v20.20.2', 'x64')).toBe(expected);
  });

  it('keeps a cache per Node version and architecture', () => {
    expect(compileCacheDir({}, '/h', 'v20.20.2', 'x64')).not.toBe(compileCacheDir({}, '/h', 'v20.19.0', 'x64'));
    expect(compileCacheDir({}, '/h', 'v20.20.2', 'x64')).not.toBe(compileCacheDir({}, '/h', 'v20.20.2', 'arm64'));
  });
});

describe('compile cache: entries', () => {
  it.each([
    [['run', 'spike', '--demo'], 'run'],
    [['report', 'a.json'], 'report'],
    [['--version'], 'other'],
    [[], 'other'],
    [['../../etc'], 'other'],
  ] as const)('argv %j is command %s', (argv, command) => {
    expect(commandOf(argv)).toBe(command);
  });

  it('names one entry per file and command, the same every time', () => {
    const names = new Set([entryName('/p/dist/bundle/perfctl.cjs', 'run'), entryName('/p/dist/bundle/perfctl.cjs', 'report'), entryName('/p/dist/bundle/io.cjs', 'run')]);
    expect(names.size).toBe(3);
    expect(entryName('/p/dist/bundle/io.cjs', 'run')).toBe(entryName('/p/dist/bundle/io.cjs', 'run'));
    expect(entryName('/p/a.cjs', 'run')).toMatch(/^[0-9a-f]{32}\.v8cache$/);
  });

  it('gives back the cached data only for the file it was made from', () => {
    const data = Buffer.from('v8 code cache bytes');
    const entry = packEntry(1234, 1700000000123.5, data);
    expect(unpackEntry(entry, 1234, 1700000000123.5)?.equals(data)).toBe(true);
    for (const [size, mtimeMs] of [
      [1235, 1700000000123.5],
      [1234, 1700000000124.5],
    ]) {
      expect(unpackEntry(entry, size!, mtimeMs!)).toBeUndefined();
    }
    expect(unpackEntry(undefined, 1234, 1700000000123.5)).toBeUndefined();
    expect(unpackEntry(entry.subarray(0, 16), 1234, 1700000000123.5)).toBeUndefined();
    expect(unpackEntry(Buffer.alloc(3), 1234, 1700000000123.5)).toBeUndefined();
  });
});
