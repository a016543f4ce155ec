// The pure parts of the HTTP client layer: the cookie jar, expectations, body decoding, proxy choice.
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CookieJar } from '../../src/engine/cookie-jar.js';
import { missedExpectation, prepareExpect } from '../../src/engine/expectations.js';
import { decode } from '../../src/engine/http-client.js';
import { proxyFor } from '../../src/engine/proxy.js';
import { parseJsonPath } from '../../src/config/json-path.js';

const at = (text: string): URL => new URL(text);
const NOW = Date.parse('2026-12-01T10:00:00Z');

describe('cookie jar', () => {
  it.each([
    ['a host-only cookie comes back to its host', ['sid=1'], 'http://api.local/login', 'http://api.local/x', 'sid=1'],
    ['not to another host', ['sid=1'], 'http://api.local/login', 'http://other.local/x', ''],
    ['a Domain cookie reaches subdomains', ['sid=1; Domain=example.com'], 'http://www.example.com/', 'http://api.example.com/', 'sid=1'],
    ['a Domain for another site is refused', ['sid=1; Domain=evil.com'], 'http://www.example.com/', 'http://evil.com/', ''],
    ['Path limits it', ['sid=1; Path=/app'], 'http://h/app/login', 'http://h/other', ''],
    ['Path matches below it', ['sid=1; Path=/app'], 'http://h/app/login', 'http://h/app/page', 'sid=1'],
    ['default path is the directory', ['sid=1'], 'http://h/app/login', 'http://h/app/x', 'sid=1'],
    ['default path does not reach up', ['sid=1'], 'http://h/app/login', 'http://h/', ''],
    ['Secure only over https', ['sid=1; Secure'], 'https://h/', 'http://h/', ''],
    ['Max-Age=0 deletes', ['sid=1', 'sid=gone; Max-Age=0'], 'http://h/', 'http://h/', ''],
    ['an expired Expires deletes', ['sid=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT'], 'http://h/', 'http://h/', ''],
    ['a newer value replaces', ['sid=1', 'sid=2'], 'http://h/', 'http://h/', 'sid=2'],
    ['several, longer path first', ['a=1; Path=/', 'b=2; Path=/app'], 'http://h/app/x', 'http://h/app/y', 'b=2; a=1'],
  ])('%s', (_name, setCookies, from, to, header) => {
    const jar = new CookieJar();
    jar.store(at(from), setCookies, NOW);
    expect(jar.header(at(to), NOW)).toBe(header);
  });
});

const json = (expressions: Record<string, unknown>) =>
  Object.entries(expressions).map(([expression, expected]) => {
    const parsed = parseJsonPath(expression);
    if (!parsed.ok) throw new Error(parsed.message);
    return typeof expected === 'object' && expected !== null
      ? { expression, path: parsed.value, matches: (expected as { matches: string }).matches }
      : { expression, path: parsed.value, equals: expected as string | number | boolean | null };
  });

describe('expectations', () => {
  const body = JSON.stringify({ status: 'ok', count: 3, items: [{ id: 'c-12' }], none: null });
  const headers = { 'content-type': ['application/json; charset=utf-8'] };
  it.each([
    ['contains, met', { body: { contains: '"ok"' } }, null],
    ['contains, missed', { body: { contains: 'nope' } }, 'expect:body.contains'],
    ['matches, met', { body: { matches: '"count":\\d+' } }, null],
    ['matches, missed', { body: { matches: '^\\[' } }, 'expect:body.matches'],
    ['json value, met', { body: { json: json({ '$.status': 'ok', '$.count': 3 }) } }, null],
    ['json number written as text', { body: { json: json({ '$.count': '3' }) } }, null],
    ['json value, missed', { body: { json: json({ '$.status': 'down' }) } }, 'expect:body.json $.status'],
    ['json matches', { body: { json: json({ '$.items[0].id': { matches: '^c-' } }) } }, null],
    ['json matches, missed', { body: { json: json({ '$.items[0].id': { matches: '^x-' } }) } }, 'expect:body.json $.items[0].id'],
    ['json null', { body: { json: json({ '$.none': null }) } }, null],
    ['json missing path', { body: { json: json({ '$.absent': 'x' }) } }, 'expect:body.json $.absent'],
    ['header, met (case-insensitive)', { headers: [{ name: 'content-type', matches: '^APPLICATION/JSON' }] }, null],
    ['header, missed', { headers: [{ name: 'content-type', matches: '^text/' }] }, 'expect:headers.content-type'],
    ['header, absent', { headers: [{ name: 'etag', matches: '.' }] }, 'expect:headers.etag'],
  ])('%s', (_name, spec, missed) => {
    expect(missedExpectation(prepareExpect(spec)!, { headers, body })).toBe(missed);
  });

  it('a body that is not JSON misses a json expectation', () => {
    expect(missedExpectation(prepareExpect({ body: { json: json({ '$.a': 1 }) } })!, { headers: {}, body: '<html>' })).toBe('expect:body.json');
  });
});

describe('decoding', () => {
  const text = 'héllo '.repeat(100);
  it.each([
    ['gzip', zlib.gzipSync(text)],
    ['x-gzip', zlib.gzipSync(text)],
    ['deflate', zlib.deflateSync(text)],
    ['deflate', zlib.deflateRawSync(text)],
    ['br', zlib.brotliCompressSync(text)],
  ])('%s', (encoding, bytes) => {
    // in pieces, as the socket delivers them
    expect(decode([bytes.subarray(0, 7), bytes.subarray(7)], encoding)).toBe(text);
  });

  it('refuses what does not decode, or an unknown coding', () => {
    expect(decode([Buffer.from('not gzip')], 'gzip')).toBeNull();
    expect(decode([Buffer.from('x')], 'compress')).toBeNull();
  });
});

describe('proxy choice', () => {
  it.each([
    ['no proxy anywhere', 'http://api.local', undefined, {}, undefined],
    ['HTTP_PROXY for http', 'http://api.local', undefined, { HTTP_PROXY: 'http://p:3128' }, 'http://p:3128'],
    ['lower-case http_proxy', 'http://api.local', undefined, { http_proxy: 'http://p:3128' }, 'http://p:3128'],
    ['HTTPS_PROXY for https', 'https://api.local', undefined, { HTTP_PROXY: 'http://a:1', HTTPS_PROXY: 'http://b:2' }, 'http://b:2'],
    ['HTTP_PROXY is not used for https', 'https://api.local', undefined, { HTTP_PROXY: 'http://a:1' }, undefined],
    ['NO_PROXY host', 'http://api.local', undefined, { HTTP_PROXY: 'http://p:1', NO_PROXY: 'other, api.local' }, undefined],
    ['NO_PROXY domain', 'http://v1.api.local', undefined, { HTTP_PROXY: 'http://p:1', NO_PROXY: '.api.local' }, undefined],
    ['NO_PROXY with another port', 'http://api.local:8080', undefined, { HTTP_PROXY: 'http://p:1', NO_PROXY: 'api.local:9090' }, 'http://p:1'],
    ['NO_PROXY *', 'http://api.local', undefined, { HTTP_PROXY: 'http://p:1', NO_PROXY: '*' }, undefined],
    ['the profile wins', 'http://api.local', 'http://mine:1', { HTTP_PROXY: 'http://p:1' }, 'http://mine:1'],
    ['"" in the profile: none', 'http://api.local', '', { HTTP_PROXY: 'http://p:1' }, undefined],
  ])('%s', (_name, origin, configured, env, expected) => {
    expect(proxyFor(origin, configured, env)).toBe(expected);
  });
});

describe('a pool per origin and protocol', () => {
  it('a request with its own http.version gets that protocol\'s pool; asking for the profile\'s own is the base pool', async () => {
    const { HttpClient } = await import('../../src/engine/http-client.js');
    const made: string[] = [];
    const client = new HttpClient('http://a.test', (origin, version) => {
      made.push(`${version ?? 'profile'} ${origin}`);
      return { send: (request, done) => done({ status: 200, errorKind: null, sentAtMs: 0, endedAtMs: 1 }), destroy: async () => undefined };
    }, '2');
    const send = (extra: Partial<import('../../src/engine/transport.js').PreparedRequest>): Promise<void> =>
      new Promise((resolve) => client.send({ name: 'r', method: 'GET', path: '/', headers: {}, body: undefined, expectStatus: null, ...extra }, () => resolve()));
    await send({});
    await send({ httpVersion: '2' });
    await send({ httpVersion: '1.1' });
    await send({ httpVersion: '1.1' });
    await send({ httpVersion: '2', origin: 'http://b.test' });
    expect(made).toEqual(['profile http://a.test', '1.1 http://a.test', '2 http://b.test']);
  });
});
