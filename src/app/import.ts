// `perfctl import <file>`: another tool's test (Artillery, k6, HAR) or a plan's Markdown table ->
// a perfctl profile or target table, validated as `validate` does, with what was left out listed
// at its source line. Exit 0: all converted; 1: something was left out (the output is written);
// 2: the input could not be read or recognised.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { InputError, formatIssue, usageError } from '../errors.js';
import type { InputIssue } from '../errors.js';
import { checkProfileText, checkTargetsText } from '../config/check-source.js';
import { readInputFile } from '../config/files.js';
import { loadProfile } from '../config/load-profile.js';
import { httpUrlProblem } from '../config/read-values.js';
import { detectKind } from '../import/detect-kind.js';
import { emitYaml } from '../import/emit-yaml.js';
import { ImportInputError, importKinds } from '../import/types.js';
import type { Conversion, ImportKind, ImportOptions, ProfileRequest, SourceRemark } from '../import/types.js';
import { builtinScenariosDir } from '../version.js';
import type { Io } from '../io.js';

export interface ImportFlags {
  from?: string;
  output?: string;
  baseUrl?: string;
  includeAssets?: boolean;
  profile?: string;
  table?: string;
}

async function convert(kind: ImportKind, text: string, options: ImportOptions & { table?: number; readSibling?: (relativePath: string) => Promise<string | null> }): Promise<Conversion> {
  switch (kind) {
    case 'markdown':
      return (await import('../import/from-markdown.js')).importMarkdown(text, options);
    case 'artillery':
      return (await import('../import/from-artillery.js')).importArtillery(text, options);
    case 'k6':
      return (await import('../import/from-k6.js')).importK6(text, options);
    case 'har':
      return (await import('../import/from-har.js')).importHar(text, options);
    default: {
      const never: never = kind;
      throw new Error(`unknown kind ${String(never)}`);
    }
  }
}

function readFlags(flags: ImportFlags): { kind?: ImportKind; table?: number } {
  if (flags.from !== undefined && !importKinds.includes(flags.from as ImportKind)) {
    throw usageError(`--from: unknown kind "${flags.from}"`, `one of ${importKinds.join(', ')}`);
  }
  if (flags.baseUrl !== undefined) {
    const problem = httpUrlProblem(flags.baseUrl);
    if (problem) throw usageError(`--base-url: ${problem.message}`, problem.hint);
  }
  let table: number | undefined;
  if (flags.table !== undefined) {
    table = Number(flags.table);
    if (!Number.isInteger(table) || table < 1) throw usageError(`--table: "${flags.table}" is not a table number`, 'tables are numbered from 1 in the order of the file');
  }
  return { ...(flags.from !== undefined ? { kind: flags.from as ImportKind } : {}), ...(table !== undefined ? { table } : {}) };
}

/** the request and step names of --profile, for the rows of a target table */
async function profileRequests(ref: string, io: Io): Promise<ProfileRequest[]> {
  const profile = await loadProfile(ref, { cwd: io.cwd, env: io.env, builtinDir: builtinScenariosDir });
  return [
    ...profile.requests.map((request) => ({ name: request.name, method: request.method, path: request.path })),
    ...profile.flows.flatMap((flow) => flow.steps.flatMap((step) => (step.kind === 'request' ? [{ name: step.name, method: step.method, path: step.path.source }] : []))),
  ];
}

const remarkLine = (file: string, remark: SourceRemark): string => `  ${file}:${remark.line}:${remark.col}: ${remark.construct}: ${remark.advice}`;

export async function importCommand(file: string, flags: ImportFlags, io: Io): Promise<number> {
  const { kind: forced, table } = readFlags(flags);
  const text = await readInputFile(resolve(io.cwd, file), file, 'file');
  const kind = forced ?? detectKind(text, file);
  if (kind === null) {
    throw usageError(`cannot tell what kind of test "${file}" is`, `name it with --from ${importKinds.join('|')}`);
  }
  const sourceAbs = resolve(io.cwd, file);
  const options: ImportOptions & { table?: number; readSibling: (relativePath: string) => Promise<string | null> } = {
    file: basename(file),
    ...(flags.baseUrl !== undefined ? { baseUrl: flags.baseUrl } : {}),
    ...(flags.includeAssets ? { includeAssets: true } : {}),
    ...(flags.profile !== undefined ? { profileRequests: await profileRequests(flags.profile, io) } : {}),
    ...(table !== undefined ? { table } : {}),
    readSibling: async (relativePath) => readFile(resolve(dirname(sourceAbs), relativePath), 'utf8').catch(() => null),
  };
  let conversion: Conversion;
  try {
    conversion = await convert(kind, text, options);
  } catch (error) {
    if (!(error instanceof ImportInputError)) throw error;
    const issue: InputIssue = { file, line: error.place?.line ?? 1, col: error.place?.col ?? 1, path: '', message: `${kind}: ${error.message}`, ...(error.hint ? { hint: error.hint } : {}) };
    throw new InputError([issue]);
  }

  const yamlText = emitYaml(conversion.document, conversion.header);
  const outputAbs = resolve(io.cwd, flags.output ?? `${basename(file, extname(file))}.imported.yaml`);
  if (flags.output !== undefined && outputAbs === sourceAbs) throw usageError(`-o ${flags.output}: that is the file being imported`, 'write the profile to another file');
  const shown = flags.output ?? '(stdout)';
  if (flags.output !== undefined) {
    await mkdir(dirname(outputAbs), { recursive: true });
    await writeFile(outputAbs, yamlText, 'utf8');
  }
  else io.out(yamlText);
  // files the output names (a payload CSV with its header row) go beside it
  const written: string[] = [];
  for (const extra of conversion.files ?? []) {
    const extraAbs = join(dirname(outputAbs), extra.name);
    await writeFile(extraAbs, extra.content, 'utf8');
    written.push(extraAbs);
  }
  // the report goes where it does not mix with the YAML
  const say = flags.output !== undefined ? (line: string) => io.out(`${line}\n`) : (line: string) => io.err(`${line}\n`);

  // placeholders are set for the check: the output is checked as it will run once they are given
  const env = { ...io.env, ...Object.fromEntries(conversion.placeholders.map((placeholder) => [placeholder.name, io.env[placeholder.name] ?? 'placeholder'])) };
  const issues =
    conversion.output === 'targets'
      ? checkTargetsText(yamlText, shown, env).issues
      : (await checkProfileText(yamlText, outputAbs, shown, { cwd: io.cwd, env, defaultName: basename(outputAbs, extname(outputAbs)) })).issues;

  say(`imported ${file} (${kind}) -> ${shown}: ${conversion.summary}`);
  for (const extra of written) say(`  wrote ${extra}`);
  if (conversion.notes.length > 0) {
    say(`notes (${conversion.notes.length}):`);
    for (const note of conversion.notes) say(remarkLine(file, note));
  }
  if (conversion.leftOut.length > 0) {
    say(`not converted (${conversion.leftOut.length}):`);
    for (const remark of conversion.leftOut) say(remarkLine(file, remark));
  }
  if (conversion.placeholders.length > 0) {
    say(`set before running (in the environment, or with -e NAME=value):`);
    for (const placeholder of conversion.placeholders) say(`  ${placeholder.name}: ${placeholder.what}`);
  }
  if (issues.length > 0) {
    say(`the output does not validate (${issues.length} problem${issues.length === 1 ? '' : 's'}):`);
    for (const issue of issues) say(`  ${formatIssue(issue)}`);
    return 1;
  }
  say(`ok  ${shown} (${conversion.output === 'targets' ? 'target table' : 'profile'})`);
  return conversion.leftOut.length > 0 ? 1 : 0;
}
