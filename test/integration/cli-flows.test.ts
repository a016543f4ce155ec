// `perfctl run` with flows, end to end: the built CLI against a real server that issues tokens.
// Secrets are sent but reach no output (SPEC §9); invalid flows are exit 2 before anything is sent.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validateResult } from '../../src/result/validate-result.js';
import { startAuthServer, type AuthServer } from '../helpers/auth-server.js';
import { assertBuilt, describeRun, makeTempDir, readResultFile, removeTempDir, runCli, writeProfile } from '../helpers/cli.js';

let server: AuthServer | undefined;
let dir: string | undefined;

beforeAll(() => assertBuilt());
afterEach(async () => {
  await server?.close();
  server = undefined;
  removeTempDir(dir);
  dir = undefined;
});

const STATIC_TOKEN = 'static-secret-token-4711';
const API_KEY = 'key-abcdef-0099';
const PASSWORD = 's3cret-Pa55word-xyz';
const FLOW_KEY = 'flow-key-5566-literal';

const usersCsv = 'email,name\nada@example.com,Ada\ngrace@example.com,"Hopper, Grace"\nalan@example.com,Alan\n';

const secretsProfile = `name: secrets
baseUrl: \${TARGET_URL}
stages:
  - { name: hold, duration: 2s, rate: 20 }
requests:
  - name: static-auth
    path: /profile
    headers: { authorization: "Bearer ${STATIC_TOKEN}", x-api-key: "${API_KEY}" }
    expect: { status: [401] }
flows:
  - name: journey
    weight: 3
    steps:
      - name: login
        method: POST
        path: /login
        json: { email: "{{ row.email }}", password: "\${APP_PASSWORD}" }
        capture: { token: $.token }
      - think: 10ms
      - name: profile
        path: /profile
        headers: { authorization: "Bearer {{ token }}", x-api-key: "${FLOW_KEY}" }
data:
  row: { csv: ./users.csv }
targets:
  - { name: Journey, requests: [journey], p50: 5s }
  - { name: Login, requests: [login], errorRate: 10% }
  - { name: Whole API, errorRate: 10% }
`;

describe('perfctl run with flows (built CLI)', () => {
  it('sends the real secrets, and no authorization value, password or captured token reaches result.json, report.html, junit.xml, summary.md, stdout or stderr', async () => {
    server = await startAuthServer();
    dir = makeTempDir();
    writeFileSync(join(dir, 'users.csv'), usersCsv);
    const file = writeProfile(dir, 'secrets', secretsProfile);
    const out = join(dir, 'out');
    const run = await runCli(['run', file, '--out', out, '--format', 'json,html,junit,md'], {
      cwd: dir,
      env: { TARGET_URL: server.url, APP_PASSWORD: PASSWORD },
    });
    expect(run.code, describeRun(run)).toBe(0);

    // the real values went out
    expect(server.seen.authorizations).toContain(`Bearer ${STATIC_TOKEN}`);
    expect(server.seen.loginBodies.every((body) => (JSON.parse(body) as { password: string }).password === PASSWORD)).toBe(true);
    const captured = server.seen.authorizations.filter((value) => value.startsWith('Bearer tok-')).map((value) => value.slice('Bearer '.length));
    expect(captured.length).toBeGreaterThan(20);
    expect(server.seen.unauthorized).toBe(10); // only the plain request without a valid token

    const outputs: Record<string, string> = {
      'result.json': readFileSync(join(out, 'result.json'), 'utf8'),
      'report.html': readFileSync(join(out, 'report.html'), 'utf8'),
      'junit.xml': readFileSync(join(out, 'junit.xml'), 'utf8'),
      'summary.md': readFileSync(join(out, 'summary.md'), 'utf8'),
      stdout: run.stdout,
      stderr: run.stderr,
    };
    for (const [name, text] of Object.entries(outputs)) {
      for (const secret of [STATIC_TOKEN, API_KEY, PASSWORD, FLOW_KEY, ...captured]) {
        expect(text.includes(secret), `${name} contains "${secret}"`).toBe(false);
      }
    }

    const result = readResultFile(out);
    expect(validateResult(result)).toEqual([]);
    // every step and the whole flow are groups, in every report
    expect(Object.keys(result.groups).sort()).toEqual(['journey', 'login', 'profile', 'static-auth']);
    expect(Object.keys(result.groups).at(-1)).toBe('journey'); // flows after the requests and steps
    expect(result.groups['journey']?.requests).toBe(30);
    expect(result.totals.requests).toBe(70);
    for (const name of ['report.html', 'summary.md', 'stdout'] as const) {
      for (const group of ['login', 'profile', 'journey']) expect(outputs[name], `${name} shows ${group}`).toContain(group);
    }
    // the resolved profile shows templates and `***`, never values
    const resolved = JSON.stringify(result.profile.resolved);
    expect(resolved).toContain('{{ row.email }}');
    expect(resolved).toContain('"password\\":\\"***\\"');
    expect(resolved).not.toContain('Hopper');
  });

  it.each([
    ['a missing CSV file', 'data:\n  row: { csv: ./nowhere.csv }\n', /^bad\.yaml:16:15: data\.row\.csv: data file "\.\/nowhere\.csv" not found/m],
    ['an unknown template variable', 'data:\n  row: { csv: ./users.csv }\n', /^bad\.yaml:14:35: flows\.0\.steps\.1\.headers\.authorization: \{\{ tokn \}\}: "tokn" is not captured by an earlier step of flow "journey".* \(did you mean "token"\?\)/m],
  ])('exit 2 for %s, with file:line:col, and nothing sent', async (_what, dataYaml, message) => {
    server = await startAuthServer();
    dir = makeTempDir();
    writeFileSync(join(dir, 'users.csv'), usersCsv);
    const profile = `baseUrl: \${TARGET_URL}
stages:
  - { duration: 2s, rate: 5 }
flows:
  - name: journey
    steps:
      - name: login
        method: POST
        path: /login
        json: { email: "{{ row.email }}" }
        capture: { token: $.token }
      - name: profile
        path: /profile
        headers: { authorization: "Bearer {{ tokn }}" }
${dataYaml}`;
    writeProfile(dir, 'bad', dataYaml.includes('nowhere') ? profile.replace('{{ tokn }}', '{{ token }}') : profile);
    const run = await runCli(['run', 'bad.yaml'], { cwd: dir, env: { TARGET_URL: server.url } });
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toContain('    at ');
    expect(Object.keys(server.seen.byPath)).toEqual([]);
  });
});
