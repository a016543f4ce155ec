// The only module that touches ajv: validates plain data against schemas/profile.schema.json or
// schemas/targets.schema.json and turns ajv's errors into friendly problems with a field path.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadPrecompiled } from '../precompiled-validators.js';
import { packageRoot } from '../version.js';
import type { Ajv2020, AnySchemaObject, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { didYouMeanHint, suggest } from './did-you-mean.js';
import type { PathSegment } from './yaml-source.js';

export type SchemaKind = 'profile' | 'targets';

export interface SchemaProblem {
  path: PathSegment[];
  message: string;
  hint?: string;
  /** report at the key (unknown keys) or at the value */
  at: 'key' | 'value';
  /**
   * `structure`: a missing or unknown key, always reported. `value`: a wrong value, which the
   * normalisers usually explain better; it yields to their issue at the same path.
   */
  kind: 'structure' | 'value';
  /** an unknown key: the known key it is close to */
  suggestion?: string;
  /** a missing key: its name */
  missing?: string;
}

const schemaFiles: Record<SchemaKind, string> = {
  profile: 'profile.schema.json',
  targets: 'targets.schema.json',
};

/** top-level profile keys planned for later versions */
const notYetSupported: Record<string, string> = {};

let validators: Record<SchemaKind, ValidateFunction> | undefined;

function readSchema(file: string): AnySchemaObject {
  return JSON.parse(readFileSync(join(packageRoot, 'schemas', file), 'utf8')) as AnySchemaObject;
}

function compileValidators(): Record<SchemaKind, ValidateFunction> {
  const precompiled = loadPrecompiled('config');
  if (precompiled?.['profile'] && precompiled['targets']) return { profile: precompiled['profile'], targets: precompiled['targets'] };
  // ajv itself only where the build's precompiled validators are absent (tests run from src/)
  const { Ajv2020: Compiler } = createRequire(import.meta.url)('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 };
  const ajv = new Compiler({ allErrors: true, verbose: true, allowUnionTypes: true, strict: true });
  const targets = readSchema(schemaFiles.targets);
  ajv.addSchema(targets);
  return { profile: ajv.compile(readSchema(schemaFiles.profile)), targets: ajv.compile(targets) };
}

/** Validates `data` (YAML already read and interpolated); one problem per field. */
export function checkSchema(kind: SchemaKind, data: unknown): SchemaProblem[] {
  validators ??= compileValidators();
  const validate = validators[kind];
  if (validate(data)) return [];
  const problems = (validate.errors ?? []).map((error) => toProblem(kind, error));
  // `durration` with "did you mean `duration`?" already explains why `duration` is missing
  const suggested = new Set(problems.flatMap((problem) => (problem.suggestion ? [problem.path.slice(0, -1).concat(problem.suggestion).join('.')] : [])));
  // several failed keywords on one value (type and pattern, say): keep the first
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const id = `${problem.kind}:${problem.path.join('.')}`;
    if (problem.missing !== undefined) return !suggested.has([...problem.path, problem.missing].join('.'));
    if (problem.kind === 'structure') return true;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function pathOf(instancePath: string): PathSegment[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

const typeWords: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map',
  null: 'empty',
};

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return quoteValue(value);
  return String(value);
}

/** A value as it goes into a one-line message: escaped (no line breaks) and cut when long. */
function quoteValue(text: string): string {
  const quoted = JSON.stringify(text);
  return quoted.length > 60 ? `${quoted.slice(0, 56)}…"` : quoted;
}

function toProblem(kind: SchemaKind, error: ErrorObject): SchemaProblem {
  const path = pathOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const value = (message: string, hint?: string): SchemaProblem => ({ path, message, at: 'value', kind: 'value', ...(hint ? { hint } : {}) });

  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const keyPath = [...path, key];
      if (kind === 'profile' && path.length === 0 && Object.hasOwn(notYetSupported, key)) {
        return { path: keyPath, message: notYetSupported[key]!, hint: 'use `requests` for now', at: 'key', kind: 'structure' };
      }
      const parent = (error.parentSchema ?? {}) as AnySchemaObject;
      const known = Object.keys((parent['properties'] ?? {}) as object);
      const hasPercentiles = parent['patternProperties'] !== undefined;
      const candidates = hasPercentiles ? [...known, 'p50', 'p90', 'p95', 'p99', 'p99.9'] : known;
      const suggestion = suggest(key, candidates);
      let hint = didYouMeanHint(key, candidates);
      if (suggestion === undefined && hasPercentiles) hint = `${hint ?? 'expected'}, or a percentile such as p95`;
      return { path: keyPath, message: `unknown key \`${key}\``, at: 'key', kind: 'structure', ...(hint ? { hint } : {}), ...(suggestion ? { suggestion } : {}) };
    }
    case 'required': {
      const missing = String(params['missingProperty']);
      return { path, message: `\`${missing}\` is missing`, at: 'value', kind: 'structure', missing };
    }
    case 'type': {
      const types = String(params['type']).split(',').map((type) => typeWords[type] ?? type);
      return value(`must be ${types.join(' or ')}, not ${describeValue(error.data)}`);
    }
    case 'minimum':
      return value(`must be at least ${String(params['limit'])}`);
    case 'exclusiveMinimum':
      return value(`must be more than ${String(params['limit'])}`);
    case 'maximum':
      return value(`must be at most ${String(params['limit'])} (perfctl's limit)`);
    case 'minItems':
      return value(params['limit'] === 1 ? 'must not be empty' : `needs at least ${String(params['limit'])} items`);
    case 'maxItems':
      return value(`has more than ${String(params['limit'])} items (perfctl's limit)`);
    case 'minLength':
      return value('must not be empty');
    case 'pattern':
      return value(`${describeValue(error.data)} is not valid here`);
    case 'enum':
      // (a value allowed as text and as a YAML number, `2` and "2", is said once)
      return value(`must be one of ${[...new Set(((params['allowedValues'] ?? []) as unknown[]).map(String))].join(', ')}`);
    default:
      return value(error.message ?? 'is not valid');
  }
}
