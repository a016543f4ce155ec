// Validators compiled from the JSON Schemas at build time (scripts/compile-schemas.mjs), or
// null when they are absent (tests run from src/): the caller then compiles with ajv itself.
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';

export function loadPrecompiled(name: 'config' | 'result'): Record<string, ValidateFunction> | null {
  try {
    // dist/<module>.js and dist/schemas/ sit side by side; under src/ there is nothing to find
    return createRequire(import.meta.url)(`./schemas/${name}.validate.cjs`) as Record<string, ValidateFunction>;
  } catch {
    return null;
  }
}
