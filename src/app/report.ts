// `perfctl report <result.json>...`: write the reports again from results; several results
// make one release sign-off document.
import { dirname, resolve } from 'node:path';
import { renderHtml } from '../report/html/render-html.js';
import { renderVerdictLine } from '../report/terminal.js';
import { parseFormats, writeReports } from '../report/write-reports.js';
import { readResult } from '../result/read-result.js';
import { defaultOutDir } from './run-options.js';
import type { Io } from '../io.js';

export async function reportCommand(files: string[], flags: { out?: string; format?: string }, io: Io): Promise<number> {
  const formats = parseFormats(flags.format ?? 'html,junit,md');
  const results = await Promise.all(files.map((file) => readResult(resolve(io.cwd, file))));
  const outDir = resolve(
    io.cwd,
    flags.out ?? (results.length === 1 ? dirname(resolve(io.cwd, files[0]!)) : defaultOutDir('signoff', new Date())),
  );
  // rewriting reports never rewrites a result: result.json stays as the run wrote it
  const written = await writeReports(results, outDir, results.length === 1 ? formats.filter((f) => f !== 'json') : formats, { html: renderHtml });
  // the verdict each result carries (judged once, by run or merge): rendering never judges again
  for (const result of results) io.out(`${renderVerdictLine(result, { color: io.color })}\n`);
  io.out(`${written.join('\n')}\n`);
  return 0;
}
