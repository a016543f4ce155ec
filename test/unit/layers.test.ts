import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error a plain .mjs script without types
import { LAYERS, upwardImports } from '../../scripts/check-layers.mjs';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tree(files: Record<string, string>): string {
  const src = mkdtempSync(join(tmpdir(), 'perfctl-layers-'));
  dirs.push(src);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(src, path, '..'), { recursive: true });
    writeFileSync(join(src, path), text);
  }
  return src;
}

describe('dependencies run one way (scripts/check-layers.mjs)', () => {
  it('src/ has no import that goes up the layers', () => {
    expect(upwardImports(join(__dirname, '..', '..', 'src'))).toEqual([]);
  });

  it('every folder of src/ is in the order', () => {
    const src = join(__dirname, '..', '..', 'src');
    const folders = readdirSync(src, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    for (const folder of folders) expect(LAYERS).toContain(folder);
  });

  it('finds an upward import, static or dynamic, from a nested folder too, and a shared file importing a folder', () => {
    const src = tree({
      'engine/a.ts': "import { x } from '../config/x.js';\nimport { run } from '../app/run.js';\n",
      'judge/analysis/b.ts': "const m = await import('../../report/r.js');\n",
      'report/c.ts': "import type { Judgement } from '../judge/j.js';\n",
      'errors.ts': "import { y } from './engine/a.js';\n",
    });
    const problems = upwardImports(src) as string[];
    expect(problems).toHaveLength(3);
    expect(problems.some((p) => /engine\/a\.ts:2: engine imports app/.test(p))).toBe(true);
    expect(problems.some((p) => /b\.ts:1: judge imports report/.test(p))).toBe(true);
    expect(problems.some((p) => /errors\.ts:1: a shared file at src\/ imports engine/.test(p))).toBe(true);
  });
});
