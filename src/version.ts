// perfctl's own version and install root, read from package.json above this module.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The package root: the nearest folder above this module holding perfctl's package.json. This
 * module runs from src/ (vitest), dist/ (built) or inside the bundle in dist/bundle/ (what
 * bin/perfctl.js loads), so a fixed `..` would be wrong for one of them.
 */
function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'perfctl') return dir;
    if (dirname(dir) === dir) return join(from, '..');
  }
}

export const packageRoot = findPackageRoot(here);

/**
 * dist/ when this code runs built (from dist/ or the bundle), undefined when it runs from src/
 * (tests): the build's outputs (precompiled validators and templates, the worker threads' entry
 * files) are used by built code only, so tests of src/ never run a stale build.
 */
export const builtDir: string | undefined = (here + sep).startsWith(join(packageRoot, 'dist') + sep) ? join(packageRoot, 'dist') : undefined;

export const version: string = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;

export const builtinScenariosDir = join(packageRoot, 'scenarios');
