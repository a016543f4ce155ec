// `perfctl init [dir]`: scaffold scenarios/ and targets/ with commented examples.
// Never overwrites: a file that already exists is left alone and not listed.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { API_TARGETS_TEMPLATE, SMOKE_PROFILE_TEMPLATE } from './init-templates.js';

export const INIT_FILES: ReadonlyArray<{ relativePath: string; content: string }> = [
  { relativePath: path.join('scenarios', 'smoke.yaml'), content: SMOKE_PROFILE_TEMPLATE },
  { relativePath: path.join('targets', 'api.yaml'), content: API_TARGETS_TEMPLATE },
];

/** Writes the example files under `dir`; resolves to the paths of the files it wrote. */
export async function initProject(dir: string): Promise<string[]> {
  const written: string[] = [];
  for (const file of INIT_FILES) {
    const target = path.join(dir, file.relativePath);
    await mkdir(path.dirname(target), { recursive: true });
    try {
      // 'wx' fails if the file exists: the check and the write are one step, no race
      await writeFile(target, file.content, { encoding: 'utf8', flag: 'wx' });
      written.push(target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return written;
}
