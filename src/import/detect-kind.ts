// Which tool a file comes from, from its content (the extension only breaks ties): a HAR is JSON
// with log.entries, a k6 script imports from 'k6', an Artillery test has config + scenarios, and
// a plan is Markdown with a table.

import { extname } from 'node:path';
import { findTables } from './markdown-tables.js';
import type { ImportKind } from './types.js';

function looksLikeHar(text: string): boolean {
  if (!/^\s*\{/.test(text)) return false;
  try {
    const data = JSON.parse(text) as { log?: { entries?: unknown } };
    return Array.isArray(data?.log?.entries);
  } catch {
    return false;
  }
}

const k6Import = /\bfrom\s+['"]k6(\/[\w/-]+)?['"]|require\(\s*['"]k6(\/[\w/-]+)?['"]\s*\)/;
const k6Options = /export\s+(const|let|var)\s+options\b|export\s+default\s+function/;
const artilleryConfig = /^config\s*:/m;
const artilleryBody = /^(scenarios|before)\s*:|^\s+(phases|target|arrivalRate)\s*:/m;

export function detectKind(text: string, file: string): ImportKind | null {
  const extension = extname(file).toLowerCase();
  if (looksLikeHar(text)) return 'har';
  // a plan in Markdown may quote k6 scripts and Artillery configs in code blocks: its headings say what it is
  const markdown = ['.md', '.markdown'].includes(extension) || /^#{1,6}\s+\S/m.test(text);
  if (markdown && findTables(text).length > 0) return 'markdown';
  if (k6Import.test(text)) return 'k6';
  if (artilleryConfig.test(text) && artilleryBody.test(text)) return 'artillery';
  if (/^\s*\{/.test(text) && /"config"\s*:/.test(text) && /"scenarios"\s*:/.test(text)) return 'artillery';
  if (['.js', '.mjs', '.cjs', '.ts'].includes(extension) && k6Options.test(text)) return 'k6';
  if (markdown || findTables(text).length > 0) return 'markdown';
  return null;
}
