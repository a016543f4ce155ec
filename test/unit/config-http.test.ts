// `http:` and `expect:` beyond the status in a profile: what loads, and each problem at its field.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProfile, validateFile } from '../../src/config/load-profile.js';

const dir = mkdtempSync(join(tmpdir(), 'perfctl-config-http-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function write(body: string): string {
  const file = join(dir, `p${++n}.yaml`);
  writeFileSync(file, `baseUrl: http://127.0.0.1:9\nstages: [ { duration: 1s, rate: 1 } ]\n${body}`);
  return file;
}

async function issuesOf(body: string, env: Record<string, string> = {}): Promise<string[]> {
  const { issues } = await validateFile(write(body), { cwd: dir, env, builtinDir: dir });
  return issues.map((issue) => `${issue.line}:${issue.col} ${issue.path}: ${issue.message}`);
}

describe('http: and expect: in a profile', () => {
  it('loads http settings, per-request overrides and body/header expectations', async () => {
    writeFileSync(join(dir, 'ca.pem'), 'pem');
    const file = write(`http: { redirects: 3, compression: false, cookies: false, tls: { insecure: true, ca: ca.pem, servername: api.local }, proxy: "http://127.0.0.1:3128" }
requests:
  - path: /a
    http: { redirects: 0 }
    expect:
      status: [200]
      body: { contains: '"ok"', matches: '^\\{', json: { "$.status": ok, "$.items[0].id": { matches: "^c-" } } }
      headers: { Content-Type: "^application/json" }
`);
    const profile = await loadProfile(file, { cwd: dir, env: {}, builtinDir: dir });
    expect(profile.http).toEqual({ redirects: 3, compression: false, cookies: false, tls: { insecure: true, ca: join(dir, 'ca.pem'), servername: 'api.local' }, proxy: 'http://127.0.0.1:3128' });
    const [request] = profile.requests;
    expect(request!.http).toEqual({ redirects: 0 });
    expect(request!.expectStatus).toEqual([200]);
    expect(request!.expect).toEqual({
      body: {
        contains: '"ok"',
        matches: '^\\{',
        json: [
          { expression: '$.status', path: ['status'], equals: 'ok' },
          { expression: '$.items[0].id', path: ['items', 0, 'id'], matches: '^c-' },
        ],
      },
      headers: [{ name: 'content-type', matches: '^application/json' }],
    });
  });

  it('an environment value with CR/LF in a flow header: exit 2 at validate, nothing sent', async () => {
    const issues = await issuesOf('flows: [ { name: f, steps: [ { path: /a, headers: { x-token: "{{ env.TOKEN }}" } } ] } ]', { TOKEN: 'x\r\nEvil: 1' });
    expect(issues.join('\n')).toMatch(/flows\.0\.steps\.0\.headers\.x-token: a header value must be on one line/);
  });

  it.each([
    ['a regex that does not compile', 'requests: [ { path: /a, expect: { body: { matches: "(" } } } ]', /requests\.0\.expect\.body\.matches: "\(" is not a regular expression/],
    ['a bad JSON path', 'requests: [ { path: /a, expect: { body: { json: { "status": ok } } } } ]', /expect\.body\.json\.status: "status" is not a JSON path/],
    ['a header pattern that does not compile', 'requests: [ { path: /a, expect: { headers: { etag: "[" } } } ]', /expect\.headers\.etag: "\[" is not a regular expression/],
    ['a TLS file that is missing', 'http: { tls: { ca: missing.pem } }\nrequests: [ { path: /a } ]', /http\.tls\.ca: file "missing\.pem" not found/],
    ['a client cert without its key', 'http: { tls: { cert: c.pem } }\nrequests: [ { path: /a } ]', /http\.tls\.cert: a client certificate needs both/],
    ['a proxy that is not a URL', 'http: { proxy: "proxy:3128" }\nrequests: [ { path: /a } ]', /http\.proxy: "proxy:3128" is not a proxy URL/],
    ['redirects below 0', 'http: { redirects: -1 }\nrequests: [ { path: /a } ]', /http\.redirects/],
    ['an unknown http key', 'http: { retries: 3 }\nrequests: [ { path: /a } ]', /http/],
    ['a static path with CR/LF', 'requests: [ { path: "/a\\r\\nEvil: 1" } ]', /requests\.0\.path: a path must be on one line/],
    ['a path with a space', 'requests: [ { path: "/a b" } ]', /requests\.0\.path: "\/a b" has a space/],
    ['a flow step path with CR/LF', 'flows: [ { name: f, steps: [ { path: "/a\\nX: 1" } ] } ]', /flows\.0\.steps\.0\.path: a path must be on one line/],
  ])('%s: exit 2 at the field', async (_name, body, expected) => {
    const issues = await issuesOf(body);
    expect(issues.join('\n')).toMatch(expected);
  });
});
