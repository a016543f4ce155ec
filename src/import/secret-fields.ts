// Literal secrets in a converted body (`password: 'password123'` in a k6 script) are read through a
// secret-named variable with the literal as its default: the run sends the same value, and every
// report shows *** (perfctl redacts the values of variables named *PASSWORD*, *TOKEN*, *SECRET*, *KEY*).

const secretKey = /pass(word)?|secret|token|api[-_]?key|credential/i;

/** `password` -> `PASSWORD`, `apiKey` -> `API_KEY` */
export function variableName(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .toUpperCase();
}

/** the body with each literal secret field as `${NAME:-literal}`; `guarded` gets the names used */
export function guardSecretFields(value: unknown, guarded: (name: string) => void, key = ''): unknown {
  if (typeof value === 'string' && secretKey.test(key) && value !== '' && !value.includes('{{') && !value.includes('${') && !value.includes('}')) {
    const name = variableName(key);
    guarded(name);
    return `\${${name}:-${value}}`;
  }
  if (Array.isArray(value)) return value.map((item) => guardSecretFields(item, guarded, key));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, guardSecretFields(item, guarded, name)]));
  return value;
}
