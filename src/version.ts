// perfctl's own version and install root, read from package.json beside dist/.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: src/ (vitest) and dist/ (built) both sit directly under it. */
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

export const version: string = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;

export const builtinScenariosDir = join(packageRoot, 'scenarios');
