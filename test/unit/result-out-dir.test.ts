// The output folder is checked and locked before any load is sent.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, prepareOutDir } from '../../src/result/out-dir.js';

const temp = (): string => mkdtempSync(join(tmpdir(), 'perfctl-out-'));

describe('prepareOutDir', () => {
  it('creates a nested folder, locks it with this pid and unlocks on release', async () => {
    const dir = join(temp(), 'a', 'b');
    const lock = await prepareOutDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    await lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it.each([
    ['a folder that cannot be created', '/proc/nope/out', /cannot create the folder/],
    ['a folder that cannot be written', '/proc', /cannot be written/],
  ])('%s: exit 2, nothing sent', async (_name, dir, message) => {
    await expect(prepareOutDir(dir)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(message) });
  });

  it('a folder another live run holds: exit 2 naming its pid', async () => {
    const dir = temp();
    writeFileSync(join(dir, LOCK_FILE), `${process.ppid}\n`);
    await expect(prepareOutDir(dir)).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining(`pid ${process.ppid}`) });
  });

  it('a stale lock of a run that is gone is taken over', async () => {
    const dir = temp();
    writeFileSync(join(dir, LOCK_FILE), '999999999\n');
    const lock = await prepareOutDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    await lock.release();
  });
});
