// Reads a result.json written by perfctl (for compare, report, merge, --baseline).
// Every way it can be unusable is an input problem (exit 2) naming the file.
import { readFile } from 'node:fs/promises';
import { usageError } from '../errors.js';
import { decodeHistogram } from '../metrics/histogram.js';
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
  const result = value as unknown as Result;
  checkHistograms(result, path);
  return withCheckStates(result);
}

/** Every encoded histogram of a result with where it sits, e.g. `cells.3.latency`. */
function* encodedHistograms(result: Result): Generator<[string, string]> {
  const { histograms } = result;
  yield ['histograms.total', histograms.total];
  for (const [name, h] of Object.entries(histograms.groups)) yield [`histograms.groups.${name}`, h];
  for (const [name, h] of Object.entries(histograms.phases)) yield [`histograms.phases.${name}`, h];
  if (histograms.serviceTotal !== undefined) yield ['histograms.serviceTotal', histograms.serviceTotal];
  for (const [i, cell] of result.cells.entries()) {
    yield [`cells.${i}.latency`, cell.latency];
    yield [`cells.${i}.service`, cell.service];
  }
  for (const [name, blocks] of Object.entries(result.timeBlocks ?? {})) {
    for (const [i, h] of blocks.entries()) yield [`timeBlocks.${name}.${i}`, h];
  }
  for (const [phase, byGroup] of Object.entries(result.phaseTimeBlocks ?? {})) {
    for (const [name, blocks] of Object.entries(byGroup)) for (const [i, h] of blocks.entries()) yield [`phaseTimeBlocks.${phase}.${name}.${i}`, h];
  }
  if (result.comparison?.baselineHistogram) yield ['comparison.baselineHistogram', result.comparison.baselineHistogram];
}

/** A histogram that does not decode (a tampered or truncated file) is the file's fault: exit 2 naming it. */
function checkHistograms(result: Result, path: string): void {
  for (const [where, encoded] of encodedHistograms(result)) {
    if (encoded === '') continue;
    try {
      decodeHistogram(encoded);
    } catch (error) {
      throw usageError(`${path}: ${where}: the histogram cannot be decoded (${firstLine((error as Error).message)}); the file is damaged`, 'use the result.json as perfctl wrote it');
    }
  }
}

/** Results written before check states: each check's state from pass/insufficient, severity fail. */
function withCheckStates(result: Result): Result {
  for (const check of result.targets) {
    check.state ??= check.insufficient === true ? 'uncertain' : check.pass ? 'pass' : 'fail';
    check.severity ??= 'fail';
  }
  return result;
}
