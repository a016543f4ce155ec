// Credentials in a URL are refused before anything is sent, and never echoed in the message.
import { describe, expect, it } from 'vitest';
import { httpUrlProblem, maskUserInfo } from '../../src/config/read-values.js';

describe('URLs with credentials', () => {
  it.each([
    'http://user:s3cr3t@127.0.0.1:8080',
    'https://s3cr3t@127.0.0.1',
    'http://:s3cr3t@127.0.0.1/api',
    'user:s3cr3t@127.0.0.1:8080',
    'ftp://user:s3cr3t@127.0.0.1',
  ])('%s: refused, and the secret is in neither message nor hint', (url) => {
    const problem = httpUrlProblem(url);
    expect(problem).toBeDefined();
    expect(`${problem!.message} ${problem!.hint ?? ''}`).not.toContain('s3cr3t');
  });

  it('a plain URL passes', () => {
    expect(httpUrlProblem('http://127.0.0.1:8080/api')).toBeUndefined();
  });

  it.each([
    ['http://u:p@h', 'http://***@h'],
    ['u:p@h:1', '***@h:1'],
    ['http://h/a@b', 'http://h/a@b'],
  ])('masks %s as %s', (text, masked) => {
    expect(maskUserInfo(text)).toBe(masked);
  });
});
