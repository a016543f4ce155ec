// `--env-file <path>`: a dotenv file (NAME=value lines) as the `${NAME}` values of a profile.
// What dotenv users write: comments, blank lines, `export NAME=...`, single quotes (literal),
// double quotes (with \n, \t, \" and \\), and an inline ` # comment` after an unquoted value.

export interface DotenvProblem {
  line: number;
  message: string;
}

export function parseDotenv(text: string): { values: Record<string, string>; problems: DotenvProblem[] } {
  const values: Record<string, string> = {};
  const problems: DotenvProblem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) {
      problems.push({ line: index + 1, message: `expected NAME=value, got "${line.length > 40 ? `${line.slice(0, 40)}…` : line}"` });
      return;
    }
    const value = readValue(match[2] ?? '');
    if (value === undefined) {
      problems.push({ line: index + 1, message: `the quoted value of ${match[1]} is not closed` });
      return;
    }
    values[match[1]!] = value;
  });
  return { values, problems };
}

function readValue(text: string): string | undefined {
  const quote = text[0];
  if (quote === "'" || quote === '"') {
    const end = findClosingQuote(text, quote);
    if (end < 0) return undefined;
    const inner = text.slice(1, end);
    if (quote === "'") return inner;
    return inner.replace(/\\([nrt"\\])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' })[c] ?? c);
  }
  // unquoted: an inline comment starts at " #"
  const comment = text.search(/\s#/);
  return (comment < 0 ? text : text.slice(0, comment)).trim();
}

function findClosingQuote(text: string, quote: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\' && quote === '"') {
      i++;
      continue;
    }
    if (text[i] === quote) return i;
  }
  return -1;
}
