// `flows:` and `data:` at load: templates compiled once, captures parsed, CSV files read, and one
// fixture per error path with the issues expected at their line:col (exit 2 before anything is sent).
import { describe, expect, it } from 'vitest';
import { loadProfile, validateFile } from '../../src/config/load-profile.js';
import { ExitCode, formatIssue, InputError } from '../../src/errors.js';
import type { FlowRequestStep } from '../../src/config/types.js';

const cwd = 'test/fixtures/config';
const env = { APP_KEY: 'k-123456' };

interface Expected {
  at: string;
  path: string;
  message: string;
  hint?: string;
  file?: string;
}

const table: Array<{ fixture: string; issues: Expected[] }> = [
  {
    fixture: 'flows/errors/unknown-variable.yaml',
    issues: [
      {
        at: '9:35',
        path: 'flows.0.steps.0.headers.authorization',
        message: '{{ tokne }}: "tokne" is not captured by an earlier step of flow "journey", nor a data column, nor an environment variable',
        hint: 'did you mean "token"? It is captured by flows.0.steps.1, which runs later',
      },
    ],
  },
  {
    fixture: 'flows/errors/missing-csv.yaml',
    issues: [{ at: '12:15', path: 'data.row.csv', message: 'data file "./nowhere.csv" not found', hint: 'looked for flows/errors/nowhere.csv; the path is relative to the profile' }],
  },
  {
    fixture: 'flows/errors/missing-column.yaml',
    issues: [{ at: '10:24', path: 'flows.0.steps.0.json.email', message: '{{ row.emial }}: data file flows/data/users.csv has no column "emial"', hint: 'did you mean "email"?' }],
  },
  {
    fixture: 'flows/errors/names-and-captures.yaml',
    issues: [
      { at: '9:15', path: 'flows.0.steps.0.name', message: 'step name "login" is already used by requests.0' },
      { at: '12:27', path: 'flows.0.steps.0.capture.token', message: '"token" is not a JSON path: it must start with $' },
      { at: '12:42', path: 'flows.0.steps.0.capture.id.xpath', message: 'unknown key `xpath`', hint: 'json, header, regex' },
      { at: '13:28', path: 'flows.0.steps.1.path', message: 'a think step has only `think`' },
      { at: '14:15', path: 'flows.0.steps.2.name', message: 'step name "journey" is already used by flows.0' },
      { at: '15:15', path: 'flows.0.steps.2.path', message: '"{{ bad ref }}" is not a template reference' },
      { at: '15:15', path: 'flows.0.steps.2.path', message: '{{ env.NOT_SET_ANYWHERE }}: environment variable NOT_SET_ANYWHERE is not set' },
      { at: '15:15', path: 'flows.0.steps.2.path', message: '{{ nope.x }}: there is no data source "nope"' },
    ],
  },
  {
    fixture: 'flows/errors/data-and-steps.yaml',
    issues: [
      { at: '7:7', path: 'flows.0.steps', message: 'flow "only-thinking" has no request step' },
      { at: '10:9', path: 'flows.1.steps.0', message: 'a step needs `path` (a request) or `think` (a pause)' },
      { at: '12:15', path: 'flows.1.steps.1.path', message: '{{ email }} is a column of several data files', hint: 'write {{ a.email }}' },
      { at: '14:3', path: 'data.env', message: '"env" cannot name a data source' },
      { at: '16:39', path: 'data.b.order', message: 'must be one of sequence, random' },
    ],
  },
  {
    fixture: 'flows/errors/bad-csv.yaml',
    issues: [
      { file: 'flows/data/bad.csv', at: '4:1', path: '', message: 'a quoted field is never closed' },
      { file: 'flows/data/bad.csv', at: '3:1', path: '', message: 'the row has 1 field(s), the header 2' },
      { file: 'flows/data/bad.csv', at: '4:1', path: '', message: 'the row has 1 field(s), the header 2' },
    ],
  },
  {
    fixture: 'flows/errors/no-requests.yaml',
    issues: [{ at: '1:1', path: '', message: '`requests` is missing', hint: 'or `flows`' }],
  },
];

describe('flows and data: every problem at its line:col', () => {
  it.each(table)('$fixture', async ({ fixture, issues: expected }) => {
    const { issues } = await validateFile(fixture, { cwd, env });
    const shown = issues.map(formatIssue).join('\n');
    expect(issues.map((issue) => `${issue.file === fixture ? '' : `${issue.file}:`}${issue.line}:${issue.col} ${issue.path}`), shown).toEqual(
      expected.map((issue) => `${issue.file ? `${issue.file}:` : ''}${issue.at} ${issue.path}`),
    );
    expected.forEach((want, index) => {
      expect(issues[index]?.message, shown).toContain(want.message);
      if (want.hint) expect(issues[index]?.hint, shown).toContain(want.hint);
    });
  });

  it('loading such a profile is an input error: exit 2, every issue in one message', async () => {
    const error = await loadProfile('flows/errors/missing-column.yaml', { cwd, env, builtinDir: cwd }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(ExitCode.invalidInput);
    expect((error as InputError).message).toBe(
      'flows/errors/missing-column.yaml:10:24: flows.0.steps.0.json.email: {{ row.emial }}: data file flows/data/users.csv has no column "emial" (did you mean "email"?)',
    );
  });
});

describe('a valid profile with flows and data', () => {
  const load = () => loadProfile('flows/journeys.yaml', { cwd, env, builtinDir: cwd });

  it('has no issues, and its targets may name flows and steps', async () => {
    expect((await validateFile('flows/journeys.yaml', { cwd, env })).issues).toEqual([]);
  });

  it('reads the CSV (quoted fields, a field over two lines) relative to the profile', async () => {
    expect((await load()).data).toEqual([
      {
        name: 'row',
        file: 'flows/data/users.csv',
        order: 'random',
        columns: ['email', 'password', 'name'],
        rows: [
          ['ada@example.com', 'pw-ada', 'Lovelace, Ada'],
          ['grace@example.com', 'pw-"grace"', 'Grace Hopper'],
          ['alan@example.com', 'pw-alan', 'Turing\nAlan'],
        ],
      },
    ]);
  });

  it('compiles each template once: data columns, captures, and {{ env.NAME }} as text; JSON bodies encode their values', async () => {
    const [flow] = (await load()).flows;
    expect(flow?.name).toBe('login-and-profile');
    expect(flow?.weight).toBe(3);
    expect(flow?.steps.map((step) => (step.kind === 'think' ? step.thinkTime : step.name))).toEqual([
      'login',
      { minMs: 500, maxMs: 1500 },
      'profile',
      { minMs: 2000, maxMs: 2000 },
      'save',
    ]);
    const [login, , profile, , save] = flow!.steps as FlowRequestStep[];
    expect(login!.body).toEqual({
      source: '{"email":"{{ row.email }}","password":"{{ row.password }}"}',
      encoding: 'json',
      parts: [
        { kind: 'text', text: '{"email":"' },
        { kind: 'data', source: 'row', column: 'email' },
        { kind: 'text', text: '","password":"' },
        { kind: 'data', source: 'row', column: 'password' },
        { kind: 'text', text: '"}' },
      ],
    });
    expect(login!.headers['content-type']?.parts).toEqual([{ kind: 'text', text: 'application/json' }]);
    expect(login!.captures).toEqual([
      { name: 'token', from: 'json', expression: '$.token', path: ['token'] },
      { name: 'userId', from: 'json', expression: '$.user.id', path: ['user', 'id'] },
      { name: 'session', from: 'header', header: 'set-cookie' },
    ]);
    // a bare name is a capture first, then a data column
    expect(profile!.path.parts).toEqual([
      { kind: 'text', text: '/api/users/' },
      { kind: 'capture', name: 'userId' },
      { kind: 'text', text: '?who=' },
      { kind: 'data', source: 'row', column: 'name' },
    ]);
    expect(profile!.headers['authorization']?.parts).toEqual([{ kind: 'text', text: 'Bearer ' }, { kind: 'capture', name: 'token' }]);
    expect(profile!.headers['x-api-key']?.parts).toEqual([{ kind: 'text', text: 'k-123456' }]);
    expect(profile!.captures).toEqual([{ name: 'csrf', from: 'regex', pattern: 'name="csrf" value="([^"]+)"' }]);
    expect(save).toMatchObject({ method: 'PUT', expectStatus: [200, 204] });
    expect(save!.body?.parts).toEqual([
      { kind: 'text', text: 'csrf=' },
      { kind: 'capture', name: 'csrf' },
      { kind: 'text', text: '&who=' },
      { kind: 'data', source: 'row', column: 'name' },
    ]);
  });

  it('collects secrets: a secret-named environment value used through {{ env.NAME }}; never a template', async () => {
    expect((await load()).secrets).toEqual(['k-123456']);
  });
});
