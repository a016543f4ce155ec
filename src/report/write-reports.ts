// Writes the chosen reports of finished results into a directory, each file atomically.
import { join } from 'node:path';
import { ExitCode, PerfctlError, usageError } from '../errors.js';
import type { Result } from '../result/types.js';
import { validateResult } from '../result/validate-result.js';
import { writeFileAtomic } from '../result/write-atomic.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';

export type ReportFormat = 'json' | 'html' | 'junit' | 'md';

export const REPORT_FILES = {
  json: 'result.json',
  html: 'report.html',
  junit: 'junit.xml',
  md: 'summary.md',
} as const satisfies Record<ReportFormat, string>;

const FORMATS = Object.keys(REPORT_FILES) as ReportFormat[];

const isFormat = (name: string): name is ReportFormat => (FORMATS as string[]).includes(name);

/** `--format html,junit` → ['json', 'html', 'junit']: json is always included, order kept, no repeats. */
export function parseFormats(list: string): ReportFormat[] {
  const names = list
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  const unknown = names.filter((n) => !isFormat(n));
  if (unknown.length > 0) {
    const quoted = unknown.map((n) => `"${n}"`).join(', ');
    throw usageError(
      `--format: unknown report format${unknown.length > 1 ? 's' : ''} ${quoted}; valid formats: ${FORMATS.join(', ')}`,
      `e.g. --format json,html,junit,md`,
    );
  }
  const formats: ReportFormat[] = ['json'];
  for (const name of names) if (isFormat(name) && !formats.includes(name)) formats.push(name);
  return formats;
}

export interface ReportRenderers {
  /** the HTML report (src/report/html/render-html.ts), injected so this module does not depend on it */
  html?: (results: Result[]) => string;
}

/** The JSON text of a result exactly as written, refused (exit 3) if it breaks the schema. */
export function serialiseResult(result: Result): string {
  const text = `${JSON.stringify(result, null, 2)}\n`;
  // validate what will be on disk: NaN or Infinity would have become null here
  const problems = validateResult(JSON.parse(text));
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).join('; ');
    const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
    throw new PerfctlError(
      `internal error: the result of "${result.profile?.name}" does not match schemas/result.schema.json (${shown}${more}); result.json was not written`,
      ExitCode.cannotRun,
      'this is a bug in perfctl; please report it with the command line used',
    );
  }
  return text;
}

/**
 * Writes `result.json` (only for exactly one result), `report.html`, `junit.xml` and `summary.md`
 * as chosen into `outDir` (created if missing). Returns the paths written, in that order.
 * result.json goes first; if another report cannot be rendered, the rest are still written and
 * a PerfctlError (exit 3) names what is missing.
 */
export async function writeReports(
  results: Result[],
  outDir: string,
  formats: ReportFormat[],
  renderers: ReportRenderers = {},
): Promise<string[]> {
  return whileHoldingSignals(() => writeAll(results, outDir, formats, renderers));
}

/**
 * Ctrl-C or SIGTERM while the reports are being written would leave some written and others not
 * (and temporary files behind): while a listener is attached Node does not terminate, so the
 * writing finishes (a few hundred ms even for a large run) and the command ends as it would have.
 */
async function whileHoldingSignals<T>(work: () => Promise<T>): Promise<T> {
  const hold = (): void => undefined;
  process.on('SIGINT', hold);
  process.on('SIGTERM', hold);
  try {
    return await work();
  } finally {
    process.off('SIGINT', hold);
    process.off('SIGTERM', hold);
  }
}

async function writeAll(results: Result[], outDir: string, formats: ReportFormat[], renderers: ReportRenderers): Promise<string[]> {
  const written: string[] = [];
  const failed: string[] = [];

  const single = results.length === 1 ? results[0] : undefined;
  if (formats.includes('json') && single) {
    const text = serialiseResult(single);
    const path = join(outDir, REPORT_FILES.json);
    await writeFileAtomic(path, text);
    written.push(path);
  }

  const render = {
    json: null,
    html: (rs: Result[]): string => {
      if (!renderers.html) throw new Error('no HTML renderer was given to writeReports');
      return renderers.html(rs);
    },
    junit: renderJunit,
    md: renderMarkdown,
  } satisfies Record<ReportFormat, ((rs: Result[]) => string) | null>;

  for (const format of FORMATS) {
    const renderer = render[format];
    if (!renderer || !formats.includes(format)) continue;
    const path = join(outDir, REPORT_FILES[format]);
    try {
      await writeFileAtomic(path, renderer(results));
      written.push(path);
    } catch (error) {
      failed.push(`${path}: ${(error as Error).message}`);
    }
  }

  if (failed.length > 0) {
    const wrote = written.length > 0 ? `; written: ${written.join(', ')}` : '';
    throw new PerfctlError(`could not write ${failed.join('; ')}${wrote}`, ExitCode.cannotRun);
  }
  return written;
}
