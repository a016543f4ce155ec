// Validators compiled from the JSON Schemas at build time (scripts/compile-schemas.mjs), or
// null when they are absent (tests run from src/): the caller then compiles with ajv itself.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { builtDir } from './version.js';

export function loadPrecompiled(name: 'config' | 'result'): Record<string, ValidateFunction> | null {
  // under src/ there is nothing to find
  if (builtDir === undefined) return null;
  try {
    return createRequire(import.meta.url)(join(builtDir, 'schemas', `${name}.validate.cjs`)) as Record<string, ValidateFunction>;
  } catch {
    return null;
  }
}
