// The only module that runs ajv on results: schemas/result.schema.json, compiled once.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { join } from 'node:path';
import { loadPrecompiled } from '../precompiled-validators.js';
import { packageRoot } from '../version.js';

const schemaPath = join(packageRoot, 'schemas', 'result.schema.json');

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= loadPrecompiled('result')?.['result'];
  if (!compiled) {
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;
    // ajv itself only where the build's precompiled validator is absent (tests run from src/)
    const { Ajv2020: Compiler } = createRequire(import.meta.url)('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 };
    const ajv = new Compiler({ allErrors: true, strict: true, strictNumbers: true });
    compiled = ajv.compile(schema);
  }
  return compiled;
}

function describe(error: ErrorObject): string {
  const at = error.instancePath === '' ? '(root)' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const extra = params['additionalProperty'] ?? params['unevaluatedProperty'];
      return `${at}: unknown property "${String(extra)}"`;
    }
    case 'required':
      return `${at}: missing required property "${String(params['missingProperty'])}"`;
    case 'enum':
      return `${at}: must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${at}: must be ${JSON.stringify(params['allowedValue'])}`;
    default:
      return `${at}: ${error.message ?? error.keyword}`;
  }
}

/** Problems of `value` against the result.json schema, one line each; empty when valid. */
export function validateResult(value: unknown): string[] {
  const validate = validator();
  if (validate(value)) return [];
  const problems = (validate.errors ?? []).map(describe);
  return [...new Set(problems)];
}
