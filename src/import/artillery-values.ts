// Artillery's values in perfctl's terms: durations in seconds or with units, and the templates of
// its requests (`{{ $processEnvironment.X }}`, `{{ $randomString() }}`), each pure and tested in tables.

import { formatDuration } from './limit-values.js';

const unitMs: Record<string, number> = {
  '': 1000, ms: 1, s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hour: 3_600_000, hours: 3_600_000,
};

/** Artillery durations: `60` (seconds), `"5m"`, `"2 minutes"`, `"1h"`; null when unreadable */
export function artilleryDurationMs(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : null;
  if (typeof value !== 'string') return null;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  if (!match) return null;
  const factor = unitMs[(match[2] ?? '').toLowerCase()];
  return factor === undefined ? null : Math.round(Number(match[1]) * factor);
}

export function artilleryDuration(value: unknown): string | null {
  const ms = artilleryDurationMs(value);
  return ms === null ? null : formatDuration(ms);
}

export interface TemplateRewrite {
  text: string;
  /** environment variables the text now reads with ${NAME} */
  env: string[];
  /** `{{ ... }}` perfctl cannot evaluate, as written */
  unsupported: string[];
}

/** Artillery's template functions and perfctl's: `$uuid` -> `uuid()`, `$randomNumber(1, 10)` -> `randomInt(1, 10)` */
function templateFunction(inner: string): string | null {
  const call = /^\$(\w+)\s*(?:\(\s*(.*?)\s*\))?$/.exec(inner);
  if (!call) return null;
  const [, name = '', argText = ''] = call;
  const args = argText === '' ? [] : argText.split(/\s*,\s*/);
  switch (name) {
    case 'uuid':
      return 'uuid()';
    case 'randomString':
      // Artillery's default length is 10
      return `randomString(${args[0] && /^\d+$/.test(args[0]) ? args[0] : 10})`;
    case 'randomNumber':
      return args.length === 2 && args.every((arg) => /^-?\d+$/.test(arg)) ? `randomInt(${args[0]}, ${args[1]})` : null;
    case 'timestamp':
      return 'timestamp()';
    default:
      return null;
  }
}

/** a list of values as randomItem's arguments, quoted where they hold a comma, a space or a quote */
export function randomItemCall(values: readonly unknown[]): string {
  const items = values.map((value) => {
    const text = String(value);
    return /^[\w.@/:+-]+$/.test(text) ? text : `'${text.replace(/'/g, '')}'`;
  });
  return `randomItem(${items.join(', ')})`;
}

/**
 * Artillery's `{{ ... }}` in perfctl's terms. Variables, payload fields and captures keep their
 * `{{ name }}` (perfctl looks a bare name up among captures, data columns and the environment);
 * `$processEnvironment.X` and `$env.X` become `${X}`; `config.variables` are written in (a list as
 * `{{ randomItem(...) }}`); `$uuid`, `$randomString()`, `$randomNumber(a, b)` become perfctl's
 * template functions; other functions are reported and replaced by a fixed text.
 */
export function rewriteTemplates(text: string, constants: Record<string, string> = {}): TemplateRewrite {
  const env: string[] = [];
  const unsupported: string[] = [];
  const rewritten = text.replace(/\{\{\s*(.*?)\s*\}\}/g, (written, inner: string) => {
    const envMatch = /^\$(?:processEnvironment|env)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(inner);
    if (envMatch) {
      env.push(envMatch[1]!);
      return `\${${envMatch[1]}}`;
    }
    if (Object.prototype.hasOwnProperty.call(constants, inner)) return constants[inner]!;
    if (/^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)?$/.test(inner)) return `{{ ${inner} }}`;
    const fn = templateFunction(inner);
    if (fn) return `{{ ${fn} }}`;
    unsupported.push(written);
    return inner.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'value';
  });
  return { text: rewritten, env, unsupported };
}
