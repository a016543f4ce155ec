// One fixture per error path, named after the error: each row gives the issues expected, in
// order, as `line:col`, field path and a substring of the message (and of the hint).
import { describe, expect, it } from 'vitest';
import { validateFile } from '../../src/config/load-profile.js';
import { formatIssue } from '../../src/errors.js';

const cwd = 'test/fixtures/config';

interface Expected {
  at: string;
  path: string;
  message: string;
  hint?: string;
  file?: string;
}

const table: Array<{ fixture: string; env?: Record<string, string>; issues: Expected[] }> = [
  {
    fixture: 'errors/bare-number-duration.yaml',
    issues: [{ at: '5:15', path: 'stages.1.duration', message: 'duration "30" has no unit', hint: 'write "30s"' }],
  },
  {
    fixture: 'errors/rate-above-limit.yaml',
    issues: [{ at: '3:28', path: 'stages.0.rate', message: "must be at most 10000000 (perfctl's limit)" }],
  },
  {
    fixture: 'errors/vus-above-limit.yaml',
    issues: [{ at: '3:27', path: 'stages.0.vus', message: "must be at most 1000000 (perfctl's limit)" }],
  },
  {
    fixture: 'errors/only-stage-rate-zero.yaml',
    issues: [{ at: '3:3', path: 'stages', message: 'every stage has rate 0: the plan sends nothing' }],
  },
  {
    fixture: 'errors/credentials-in-base-url.yaml',
    issues: [{ at: '1:10', path: 'baseUrl', message: 'does not take credentials in a URL', hint: 'in a header from the environment' }],
  },
  {
    fixture: 'errors/secret-in-wrong-field.yaml',
    env: { API_TOKEN: 'TOKEN-s3cr3t' },
    issues: [{ at: '3:28', path: 'stages.0.rate', message: 'must be a number, not "${API_TOKEN}"' }],
  },
  {
    fixture: 'errors/template-object-method-names.yaml',
    issues: [
      { at: '5:13', path: 'requests.0.path', message: '{{ constructor }}: "constructor" is not captured' },
      { at: '6:13', path: 'requests.1.path', message: '{{ toString }}: "toString" is not captured' },
      { at: '6:48', path: 'requests.1.headers.a', message: '{{ __proto__ }}: "__proto__" is not captured' },
    ],
  },
  {
    fixture: 'errors/yaml-alias-cycle.yaml',
    issues: [{ at: '5:42', path: 'requests.0.json.0', message: 'a YAML alias refers to a node that contains it' }],
  },
  {
    fixture: 'errors/misspelt-key.yaml',
    issues: [
      { at: '3:7', path: 'stages.0.durration', message: 'unknown key `durration`', hint: 'did you mean `duration`?' },
      { at: '6:1', path: 'thinktime', message: 'unknown key `thinktime`', hint: 'did you mean `thinkTime`?' },
    ],
  },
  {
    fixture: 'errors/unset-env-var.yaml',
    issues: [
      {
        at: '8:22',
        path: 'requests.0.headers.authorization',
        message: 'environment variable PERFCTL_TEST_UNSET_TOKEN is not set',
        hint: '${PERFCTL_TEST_UNSET_TOKEN:-value}',
      },
    ],
  },
  {
    fixture: 'errors/stages-mix-rate-and-vus.yaml',
    issues: [{ at: '4:26', path: 'stages.1.vus', message: 'stages mix rate and vus', hint: 'stages.0 uses `rate`' }],
  },
  {
    fixture: 'errors/stage-without-level.yaml',
    issues: [
      { at: '3:5', path: 'stages.0', message: 'needs `rate` or `vus`' },
      { at: '4:5', path: 'stages.1', message: 'has both `rate` and `vus`' },
    ],
  },
  {
    fixture: 'errors/two-problems.yaml',
    issues: [
      { at: '3:17', path: 'stages.0.duration', message: 'duration "10" has no unit', hint: 'write "10s"' },
      { at: '6:13', path: 'requests.0.method', message: '"PSOT" is not an HTTP method', hint: 'did you mean "POST"?' },
    ],
  },
  {
    fixture: 'errors/yaml-syntax-error.yaml',
    issues: [{ at: '4:1', path: '', message: 'YAML syntax error: Flow map' }],
  },
  {
    fixture: 'errors/json-and-body.yaml',
    issues: [{ at: '8:11', path: 'requests.0.body', message: 'has both `json` and `body`' }],
  },
  {
    fixture: 'errors/request-rules.yaml',
    issues: [
      { at: '1:10', path: 'baseUrl', message: '"127.0.0.1:8080" is not a URL', hint: 'write "http://127.0.0.1:8080"' },
      { at: '5:22', path: 'requests.0.path', message: 'must start with / or be an http(s) URL', hint: 'write "/api/items"' },
      { at: '6:13', path: 'requests.1.name', message: 'request name "a" is already used by requests.0' },
      { at: '8:5', path: 'requests.3', message: 'request name "GET /same" is already used by requests.2', hint: 'give one of them a `name`' },
      { at: '8:28', path: 'requests.3.weight', message: 'must be more than 0' },
    ],
  },
  {
    fixture: 'errors/missing-base-url.yaml',
    issues: [{ at: '1:1', path: '', message: '`baseUrl` is missing', hint: '--base-url' }],
  },
  {
    fixture: 'errors/target-unknown-phase-and-request.yaml',
    issues: [
      { at: '10:16', path: 'targets.0.requests.0', message: 'no request is named "logn"', hint: 'did you mean "login"?' },
      { at: '10:22', path: 'targets.0.requests.1', message: 'no request name matches "admin-*"', hint: 'login, list' },
      { at: '13:12', path: 'targets.1.phase', message: 'no stage is named "spkie"', hint: 'did you mean "spike"?' },
    ],
  },
  {
    fixture: 'errors/target-file-unknown-names.yaml',
    issues: [
      { file: 'targets-only/unknown-names.targets.yaml', at: '4:15', path: 'targets.0.requests', message: 'no request is named "checkout"' },
      { file: 'targets-only/unknown-names.targets.yaml', at: '5:12', path: 'targets.0.phase', message: 'no stage is named "peak"', hint: 'baseline' },
    ],
  },
  {
    fixture: 'errors/target-row-without-checks.yaml',
    issues: [{ at: '7:5', path: 'targets.0', message: 'row "Nothing to check" has no checks', hint: 'p95: 200ms' }],
  },
  {
    fixture: 'errors/target-bad-values.yaml',
    issues: [
      { at: '8:5', path: 'targets.0.p100', message: 'percentile p100 is out of range', hint: 'use `max`' },
      { at: '9:10', path: 'targets.0.p95', message: 'duration "200" has no unit', hint: 'write "200ms"' },
      { at: '10:16', path: 'targets.0.errorRate', message: 'error rate 5 is more than 1', hint: 'write "5%"' },
    ],
  },
  {
    fixture: 'errors/targets-file-errors.targets.yaml',
    issues: [
      { at: '3:12', path: 'targets.0.p99.9', message: '"fast" is not a duration' },
      { at: '4:5', path: 'targets.0.errorRte', message: 'unknown key `errorRte`', hint: 'did you mean `errorRate`?' },
      { at: '5:5', path: 'targets.1', message: '`name` is missing' },
      { at: '5:5', path: 'targets.1', message: 'the row has no checks' },
    ],
  },
  {
    fixture: 'errors/targets-file-not-found.yaml',
    issues: [{ at: '6:10', path: 'targets', message: 'target table file "./nowhere.yaml" not found', hint: 'errors/nowhere.yaml' }],
  },
  { fixture: 'errors/empty.yaml', issues: [{ at: '1:1', path: '', message: 'the file is empty' }] },
  { fixture: 'errors/not-a-map.yaml', issues: [{ at: '1:1', path: '', message: 'expected a map with `stages` and `requests`' }] },
];

describe('every problem of a file, at its line:col', () => {
  it.each(table)('$fixture', async ({ fixture, env, issues: expected }) => {
    const { issues } = await validateFile(fixture, { cwd, env: env ?? {} });
    const shown = issues.map(formatIssue).join('\n');
    expect(issues.map((issue) => `${issue.line}:${issue.col} ${issue.path}`), shown).toEqual(
      expected.map((issue) => `${issue.at} ${issue.path}`),
    );
    expected.forEach((want, index) => {
      const issue = issues[index];
      expect(issue?.file).toBe(want.file ?? fixture);
      expect(issue?.message).toContain(want.message);
      if (want.hint) expect(issue?.hint).toContain(want.hint);
    });
  });
});

describe('the message a user reads', () => {
  it('is file:line:col: path: message (hint)', async () => {
    const { issues } = await validateFile('errors/bare-number-duration.yaml', { cwd, env: {} });
    expect(issues.map(formatIssue)).toEqual([
      'errors/bare-number-duration.yaml:5:15: stages.1.duration: duration "30" has no unit (write "30s")',
    ]);
  });
});
