#!/usr/bin/env node
// Dependencies run one way: no folder of src/ imports a folder above it in LAYERS.
// Reads every relative import (static and dynamic) of src/**/*.ts, resolves it, and prints
// each one that goes upward as `file:line: <from> imports <to>`; exit 1 if there is any.
//
// The order is the one the code follows: the plan (config) is read by everything; metrics are
// the recorder's cells and histograms; the engine sends and records; result is the result.json
// contract (types, codec, assembly); compare and history read results; the judge decides a
// verdict from what was measured (it calls compare for a baseline); observers are the live
// checks during a run, built on the judge; exporters, reports, the demo service and importers
// sit on top of that; app wires commands; cli parses the command line.
// Files at src/ itself (errors.ts, io.ts, version.ts, precompiled-validators.ts) are shared
// leaves that any folder may import; they import no folder.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LAYERS = ['config', 'metrics', 'engine', 'result', 'compare', 'history', 'judge', 'observers', 'export', 'report', 'demo', 'import', 'app', 'cli'];

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

function* tsFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* tsFiles(path);
    else if (name.endsWith('.ts')) yield path;
  }
}

/** The layer of a path under src/ (its first folder), or null for a file at src/ itself. */
function layerOf(src, path) {
  const parts = relative(src, path).split(sep);
  return parts.length > 1 ? parts[0] : null;
}

/** Every upward import under `src`, as `file:line: from imports to`. */
export function upwardImports(src) {
  const problems = [];
  for (const file of tsFiles(src)) {
    const from = layerOf(src, file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const target = resolve(dirname(file), match[1]);
      const to = layerOf(src, target);
      const line = text.slice(0, match.index).split('\n').length;
      const where = `${relative(process.cwd(), file)}:${line}`;
      if (from === null) {
        if (to !== null) problems.push(`${where}: a shared file at src/ imports ${to}/`);
        continue;
      }
      if (to === null || to === from) continue;
      const a = LAYERS.indexOf(from);
      const b = LAYERS.indexOf(to);
      if (a < 0) problems.push(`${where}: folder ${from}/ is not in the layer order (scripts/check-layers.mjs)`);
      else if (b < 0) problems.push(`${where}: imports folder ${to}/, which is not in the layer order`);
      else if (b > a) problems.push(`${where}: ${from} imports ${to} (${to} is above ${from})`);
    }
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const src = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'src'));
  const problems = upwardImports(src);
  for (const p of problems) console.error(p);
  if (problems.length > 0) {
    console.error(`${problems.length} import(s) go up the layers: ${LAYERS.join(' → ')}`);
    process.exit(1);
  }
  console.log(`layers ok: ${LAYERS.join(' → ')}`);
}
