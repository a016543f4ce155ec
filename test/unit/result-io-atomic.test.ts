import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/result/write-atomic.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'perfctl-atomic-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('creates missing directories and leaves only the file, no temp file', async () => {
    const path = join(dir, 'a', 'b', 'result.json');
    await writeFileAtomic(path, '{"x":1}\n');
    expect(await readFile(path, 'utf8')).toBe('{"x":1}\n');
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['result.json']);
  });

  it('replaces an existing file whole', async () => {
    const path = join(dir, 'replace.txt');
    await writeFileAtomic(path, 'x'.repeat(100_000));
    await writeFileAtomic(path, 'short');
    expect(await readFile(path, 'utf8')).toBe('short');
    expect((await readdir(dir)).filter((f) => f.includes('replace'))).toEqual(['replace.txt']);
  });

  it('writes bytes as well as text', async () => {
    const path = join(dir, 'bytes.bin');
    await writeFileAtomic(path, new Uint8Array([0, 1, 2, 255]));
    expect([...(await readFile(path))]).toEqual([0, 1, 2, 255]);
  });

  it('on failure removes its temp file and keeps what was there', async () => {
    const sub = join(dir, 'fail');
    await mkdir(join(sub, 'report.html'), { recursive: true }); // a directory where the file should go
    await expect(writeFileAtomic(join(sub, 'report.html'), '<html>')).rejects.toThrow();
    expect(await readdir(sub)).toEqual(['report.html']);
  });

  it('concurrent writers never leave a mixed file', async () => {
    const path = join(dir, 'race.txt');
    const bodies = ['a', 'b', 'c', 'd'].map((ch) => ch.repeat(50_000));
    await Promise.all(bodies.map((b) => writeFileAtomic(path, b)));
    expect(bodies).toContain(await readFile(path, 'utf8'));
    expect((await readdir(dir)).filter((f) => f.includes('race'))).toEqual(['race.txt']);
  });
});
