// The resolved profile as a compact appendix: YAML-like lines where every small object or list
// sits on one line ({name: spike, durationMs: 6667}), and nothing unset (null, {} or []) is
// written, so a profile takes a few lines, not pages. Pure; the template escapes the text.

const INLINE_MAX = 100;

/** null, undefined, {} and []: nothing to repeat the run with. */
function unset(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value as object).length === 0;
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') {
    // quoted only when it would read as something else
    return value === '' || /^[\s]|[\s]$|[:{}[\],#"]|^(true|false|null|[-+.\d][\d.e+-]*)$/i.test(value) ? JSON.stringify(value) : value;
  }
  return String(value);
}

function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => !unset(v));
    return `{${entries.map(([k, v]) => `${scalar(k)}: ${inline(v)}`).join(', ')}}`;
  }
  return scalar(value);
}

function isComposite(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}

function lines(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      const one = inline(item);
      if (!isComposite(item) || one.length + indent.length <= INLINE_MAX) out.push(`${indent}- ${one}`);
      else {
        out.push(`${indent}-`);
        lines(item, `${indent}  `, out);
      }
    }
    return;
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (unset(v)) continue;
    const one = inline(v);
    if (!isComposite(v) || one.length + key.length + indent.length <= INLINE_MAX || (Array.isArray(v) && v.length === 0)) out.push(`${indent}${scalar(key)}: ${one}`);
    else {
      out.push(`${indent}${scalar(key)}:`);
      lines(v, `${indent}  `, out);
    }
  }
}

/** The resolved profile in compact lines (its description is the report's heading); null when the result carries none. */
export function compactProfile(resolved: unknown): string | null {
  if (resolved === undefined || resolved === null) return null;
  if (!isComposite(resolved)) return scalar(resolved);
  const out: string[] = [];
  const { description: _shownAbove, ...rest } = resolved as Record<string, unknown>;
  try {
    lines(Array.isArray(resolved) ? resolved : rest, '', out);
  } catch {
    return null;
  }
  return out.join('\n');
}
