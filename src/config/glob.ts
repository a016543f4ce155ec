// Name globs for target rows: `*` (any run of characters) and `?` (one character), nothing else.

const cache = new Map<string, RegExp>();

function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (const char of pattern) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

/** true when `name` matches `pattern` as a whole; case-sensitive. */
export function matchesGlob(name: string, pattern: string): boolean {
  let regExp = cache.get(pattern);
  if (regExp === undefined) {
    regExp = globToRegExp(pattern);
    cache.set(pattern, regExp);
  }
  return regExp.test(name);
}

export function isGlob(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}
