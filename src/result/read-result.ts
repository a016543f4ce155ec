// Reads a result.json written by perfctl (for compare, report, merge, --baseline).
// Every way it can be unusable is an input problem (exit 2) naming the file.
import { readFile } from 'node:fs/promises';
import { usageError } from '../errors.js';
import type { Result } from './types.js';
import { validateResult } from './validate-result.js';

const SUPPORTED_SCHEMA_VERSION = 1;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

export async function readResult(path: string): Promise<Result> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw usageError(`${path}: result file not found`);
    if (code === 'EISDIR') throw usageError(`${path}: is a directory, not a result file`, 'pass the result.json inside it');
    throw usageError(`${path}: cannot read result file: ${firstLine((error as Error).message)}`);
  }
  return decodeResult(text, path);
}

/** A result.json's text, checked as readResult checks a file; `path` names it in messages. */
export function decodeResult(text: string, path: string): Result {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw usageError(`${path}: not a JSON file (${firstLine((error as Error).message)})`, 'expected a result.json written by perfctl');
  }

  const tool = isObject(value) ? value['tool'] : undefined;
  if (!isObject(value) || !isObject(tool) || tool['name'] !== 'perfctl') {
    throw usageError(`${path}: not a perfctl result (no tool.name "perfctl")`, 'expected a result.json written by perfctl run');
  }

  const version = value['schemaVersion'];
  if (version !== SUPPORTED_SCHEMA_VERSION) {
    throw usageError(
      `${path}: unsupported result schemaVersion ${JSON.stringify(version ?? null)}; this perfctl reads schemaVersion ${SUPPORTED_SCHEMA_VERSION}`,
      typeof version === 'number' && version > SUPPORTED_SCHEMA_VERSION ? 'upgrade perfctl to read it' : undefined,
    );
  }

  const problems = validateResult(value);
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw usageError(`${path}: invalid perfctl result: ${problems[0]}${more}`);
  }
  return value as unknown as Result;
}
