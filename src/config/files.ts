// Reading input files: a missing or unreadable file is a usage error naming it (exit 2).

import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { usageError } from '../errors.js';

/** `abs` relative to `cwd` when it is inside it, else absolute: how files are named in messages */
export function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

export async function fileExists(abs: string): Promise<boolean> {
  try {
    return (await stat(abs)).isFile();
  } catch {
    return false;
  }
}

/** The text of a file; `shown` is its name in messages. */
export async function readInputFile(abs: string, shown: string, what = 'file'): Promise<string> {
  try {
    return await readFile(abs, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw usageError(`${what} "${shown}" not found`);
    if (code === 'EISDIR') throw usageError(`"${shown}" is a directory, not a ${what}`);
    throw usageError(`cannot read ${what} "${shown}": ${code ?? String(error)}`);
  }
}

/** YAML files of a directory (sorted), or none when the directory does not exist */
export async function listYamlFiles(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names.filter((name) => /\.ya?ml$/.test(name)).sort();
  } catch {
    return [];
  }
}
