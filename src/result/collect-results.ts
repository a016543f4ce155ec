// Results named on the command line: files, or directories holding them (`result.json`, and
// `result-1.json` … from `run --repeat`, at any depth up to MAX_DEPTH). Every way an input
// is unusable is an input error (exit 2) naming the file and why.
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { usageError } from '../errors.js';
import { readResult } from './read-result.js';
import type { Result } from './types.js';

const MAX_DEPTH = 4;
const RESULT_FILE = /^result(-\d+)?\.json$/;

export interface CollectedResult {
  file: string;
  result: Result;
}

async function walk(dir: string, depth: number, into: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isFile() && RESULT_FILE.test(entry.name)) into.push(path);
    else if (entry.isDirectory() && depth < MAX_DEPTH && !entry.name.startsWith('.') && entry.name !== 'node_modules') await walk(path, depth + 1, into);
  }
}

/** The result files a path names: itself, or the result files under a directory (none: an input error). */
export async function resultFilesOf(path: string): Promise<string[]> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw usageError(`${path}: no such file or directory`);
    throw usageError(`${path}: cannot read: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!isDirectory) return [path];
  const files: string[] = [];
  await walk(path, 0, files);
  if (files.length === 0) throw usageError(`${path}: no result.json in this directory`, 'pass result files, or directories that perfctl run wrote');
  return files;
}

/** Reads every result the paths name, in order; the first unusable one is reported (exit 2). */
export async function collectResults(paths: readonly string[], cwd: string): Promise<CollectedResult[]> {
  const files: string[] = [];
  for (const path of paths) files.push(...(await resultFilesOf(path)));
  const seen = new Set<string>();
  const unique = files.filter((f) => !seen.has(f) && seen.add(f));
  const results = await Promise.all(unique.map(async (file) => ({ file: relative(cwd, file) || file, result: await readResult(file) })));
  return results;
}

/** Refuses results of several profiles (exit 2), naming the first file of another profile. */
export function assertOneProfile(results: readonly CollectedResult[], force: boolean, what: string): void {
  if (force || results.length === 0) return;
  const first = results[0]!;
  const other = results.find((r) => r.result.profile.name !== first.result.profile.name);
  if (other) {
    throw usageError(
      `${other.file}: a result of profile "${other.result.profile.name}", but ${first.file} is of "${first.result.profile.name}"; ${what} takes the runs of one profile`,
      'pass --force to take them anyway',
    );
  }
}
