// The output folder is made ready before any load is sent: created, tested for writing and
// locked, so an unwritable `--out` or a second run into the same folder is an input error
// (exit 2) found at once, never after an hour of load.
import { constants } from 'node:fs';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { usageError } from '../errors.js';

export const LOCK_FILE = '.perfctl.lock';

export interface OutDirLock {
  readonly dir: string;
  /** removes the lock (idempotent) */
  release(): Promise<void>;
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * `mkdir -p`, one level at a time: Node's own recursive mkdir never returns for a path under
 * /proc (it keeps retrying ENOENT), which is exactly where an unwritable --out may point.
 */
async function makeFolders(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = resolve(dir); ; at = dirname(at)) {
    try {
      if ((await stat(at)).isDirectory()) break;
      throw Object.assign(new Error(`${at} is not a folder`), { code: 'ENOTDIR' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(at) === at) throw error;
      missing.unshift(at);
    }
  }
  for (const folder of missing) {
    await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}

/** Creates `dir`, checks that it can be written, and takes its lock (a stale lock of a dead run is taken over). */
export async function prepareOutDir(dir: string): Promise<OutDirLock> {
  try {
    await makeFolders(dir);
  } catch (error) {
    throw usageError(`--out ${dir}: cannot create the folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); nothing was sent`, 'choose a folder you can write to');
  }
  const lockPath = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL);
      try {
        await handle.writeFile(`${process.pid}\n`);
      } finally {
        await handle.close();
      }
      let released = false;
      return {
        dir,
        async release() {
          if (released) return;
          released = true;
          await rm(lockPath, { force: true });
        },
      };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        throw usageError(`--out ${dir}: the folder cannot be written (${code ?? (error as Error).message}); nothing was sent`, 'choose a folder you can write to');
      }
      const owner = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw usageError(`--out ${dir}: another perfctl run (pid ${owner}) is writing into this folder; nothing was sent`, 'give each run its own --out');
      }
      // the run that held it is gone: take the lock over
      await rm(lockPath, { force: true });
    }
  }
  throw usageError(`--out ${dir}: could not take the folder's lock; nothing was sent`);
}
