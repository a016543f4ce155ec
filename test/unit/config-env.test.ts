import { describe, expect, it } from 'vitest';
import { interpolateSource, interpolateText, isSecretName } from '../../src/config/env.js';
import { parseYamlSource, toData } from '../../src/config/yaml-source.js';

describe('interpolateText', () => {
  it('replaces ${NAME} from the environment', () => {
    expect(interpolateText('http://${HOST}:8080', { HOST: 'api' })).toMatchObject({ value: 'http://api:8080', missing: [] });
  });

  it('uses the default of ${NAME:-default} when the variable is unset or empty', () => {
    expect(interpolateText('${PORT:-8080}', {}).value).toBe('8080');
    expect(interpolateText('${PORT:-8080}', { PORT: '' }).value).toBe('8080');
    expect(interpolateText('${PORT:-8080}', { PORT: '9000' }).value).toBe('9000');
    expect(interpolateText('${EMPTY:-}', {}).value).toBe('');
  });

  it('names an unset variable without a default', () => {
    expect(interpolateText('Bearer ${TOKEN}', {})).toMatchObject({ value: 'Bearer ', missing: ['TOKEN'] });
  });

  it('writes $${ as a literal ${ and reports malformed references', () => {
    expect(interpolateText('$${HOME}', { HOME: '/root' }).value).toBe('${HOME}');
    expect(interpolateText('${not a name}', {}).malformed).toEqual(['${not a name}']);
    expect(interpolateText('${UNCLOSED', {}).malformed).toEqual(['${UNCLOSED']);
  });
});

describe('interpolateSource', () => {
  const load = (text: string, env: Record<string, string>) => {
    const { source } = parseYamlSource(text, 'p.yaml');
    const result = interpolateSource(source, env);
    return { ...result, data: toData(source) as Record<string, unknown> };
  };

  it('reads a plain scalar again after substitution, and keeps a quoted one a string', () => {
    const { data } = load('rate: ${RATE:-100}\nquoted: "${RATE:-100}"\nflag: ${ON:-true}\n', {});
    expect(data).toEqual({ rate: 100, quoted: '100', flag: true });
  });

  it('reports an unset variable at its scalar', () => {
    const { issues } = load('a: 1\nb:\n  - x: "${MISSING}"\n', {});
    expect(issues).toMatchObject([{ file: 'p.yaml', line: 3, col: 8, path: 'b.0.x', message: 'environment variable MISSING is not set' }]);
  });

  it('collects the values of secret-named variables, defaults included', () => {
    const { secrets } = load(
      'a: ${API_TOKEN}\nb: ${DB_PASSWORD:-pw}\nc: ${HOST:-h}\nd: ${my_secret}\ne: ${PUBLIC_KEY:-}\n',
      { API_TOKEN: 't0k', my_secret: 's' },
    );
    expect(secrets).toEqual(['t0k', 'pw', 's']);
  });

  it('knows secret names', () => {
    expect(['GITHUB_TOKEN', 'db_password', 'API_KEY', 'client_secret'].every(isSecretName)).toBe(true);
    expect(isSecretName('PERFCTL_BASE_URL')).toBe(false);
  });
});
