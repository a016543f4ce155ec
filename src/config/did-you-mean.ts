// "Did you mean ...?" for misspelt keys and names: the closest candidate by edit distance.

/**
 * Edit distance between two strings: insertions, deletions, substitutions and transpositions of
 * neighbours (`PSOT` -> `POST`) cost 1 each (optimal string alignment).
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const above = rows[i - 1] ?? [];
      let best = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

/** case, `-` and `_` do not count: `base_url` and `BaseURL` are both close to `baseUrl` */
function canonical(word: string): string {
  return word.toLowerCase().replace(/[-_\s]/g, '');
}

/**
 * The candidate closest to `word`, if it is close enough to be a likely typo: at most 2 edits
 * (1 for words of 4 characters or less), ignoring case, `-` and `_`.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const wanted = canonical(word);
  const maxDistance = wanted.length <= 4 ? 1 : 2;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const distance = editDistance(wanted, canonical(candidate));
    if (distance <= maxDistance && (best === undefined || distance < best.distance)) {
      best = { candidate, distance };
    }
  }
  return best?.candidate;
}

/** A hint for an unknown word: `did you mean "x"?`, or the list of what is known. */
export function didYouMeanHint(word: string, candidates: readonly string[], quote = '`'): string | undefined {
  const close = suggest(word, candidates);
  if (close !== undefined) return `did you mean ${quote}${close}${quote}?`;
  if (candidates.length === 0) return undefined;
  return `expected one of: ${candidates.join(', ')}`;
}
