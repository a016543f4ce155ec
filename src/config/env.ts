// `${NAME}` and `${NAME:-default}` in every string scalar of a profile or target table, applied
// before validation. `$${` writes a literal `${`.

import { Scalar } from 'yaml';
import type { InputIssue } from '../errors.js';
import { issueAt, resolvePlainScalar, visitScalars } from './yaml-source.js';
import type { YamlSource } from './yaml-source.js';

export type Env = Record<string, string | undefined>;

/** environment variables whose values must never reach a report */
export function isSecretName(name: string): boolean {
  return /SECRET|TOKEN|PASSWORD|KEY/i.test(name);
}

/** A variable's value; only the environment's own entries (`constructor` is not a variable). */
export function envValue(env: Env, name: string): string | undefined {
  return Object.hasOwn(env, name) ? env[name] : undefined;
}

export interface TextInterpolation {
  value: string;
  /** variables referenced, with the value used (the default when unset) */
  used: Array<{ name: string; value: string }>;
  /** variables that are unset (or empty) and have no default */
  missing: string[];
  /** references that are not `${NAME}` or `${NAME:-default}` */
  malformed: string[];
}

const reference = /\$\$\{|\$\{([^}]*)(\}?)/g;
const inner = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

export function interpolateText(text: string, env: Env): TextInterpolation {
  const result: TextInterpolation = { value: '', used: [], missing: [], malformed: [] };
  result.value = text.replace(reference, (match, body: string | undefined, close: string | undefined) => {
    if (match === '$${') return '${';
    const parsed = close === '}' ? inner.exec(body ?? '') : null;
    if (!parsed) {
      result.malformed.push(match);
      return match;
    }
    const name = parsed[1] ?? '';
    const fallback = parsed[2];
    const set = envValue(env, name);
    // shell semantics: `:-` also applies when the variable is set but empty
    if (set !== undefined && (set !== '' || fallback === undefined)) {
      result.used.push({ name, value: set });
      return set;
    }
    if (fallback !== undefined) {
      result.used.push({ name, value: fallback });
      return fallback;
    }
    result.missing.push(name);
    return '';
  });
  return result;
}

export interface SourceInterpolation {
  issues: InputIssue[];
  /** values of secret-named variables used */
  secrets: string[];
  /** the same, with the variable each came from: validation messages show `${NAME}`, never the value */
  secretRefs: SecretRef[];
}

export interface SecretRef {
  name: string;
  value: string;
}

/** A message about a value, with every secret value in it shown as the reference it came from. */
export function hideSecrets(text: string, refs: readonly SecretRef[]): string {
  let shown = text;
  for (const { name, value } of refs) if (value !== '') shown = shown.split(value).join(`\${${name}}`);
  return shown;
}

/** The issues of a file with every secret value replaced by its `${NAME}`. */
export function hideSecretsInIssues(issues: InputIssue[], refs: readonly SecretRef[]): InputIssue[] {
  if (refs.length === 0) return issues;
  return issues.map((issue) => ({
    ...issue,
    message: hideSecrets(issue.message, refs),
    ...(issue.hint !== undefined ? { hint: hideSecrets(issue.hint, refs) } : {}),
  }));
}

/**
 * Replaces references in every string scalar of the document, in place. A plain (unquoted) scalar
 * is read again after substitution, so `rate: ${RATE:-100}` is a number; a quoted one stays a string.
 */
export function interpolateSource(source: YamlSource, env: Env): SourceInterpolation {
  const issues: InputIssue[] = [];
  const secrets: string[] = [];
  const secretRefs: SecretRef[] = [];
  visitScalars(source, (scalar, path) => {
    if (typeof scalar.value !== 'string' || !scalar.value.includes('${')) return;
    const { value, used, missing, malformed } = interpolateText(scalar.value, env);
    for (const name of missing) {
      issues.push(
        issueAt(source, path, `environment variable ${name} is not set`, `set it, or give a default: \${${name}:-value}`),
      );
    }
    for (const text of malformed) {
      issues.push(issueAt(source, path, `"${text}" is not a variable reference`, 'write ${NAME} or ${NAME:-default}; $${ for a literal ${'));
    }
    for (const { name, value: usedValue } of used) {
      if (isSecretName(name) && usedValue !== '') {
        secrets.push(usedValue);
        secretRefs.push({ name, value: usedValue });
      }
    }
    scalar.value = scalar.type === Scalar.PLAIN ? resolvePlainScalar(value) : value;
  });
  return { issues, secrets, secretRefs };
}
