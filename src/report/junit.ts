// junit.xml: one <testsuite> per result, one <testcase> per target check, so CI lists each one.
// Failures in the file match the verdict: a run that is not a pass always has a failing testcase.
import type { ComparisonEntry, Result } from '../result/types.js';
import { checkName, checkOutcome, checkScope, comparisonUnit, describeCheck, formatBound, formatComparisonChange, formatValue } from './format.js';

function describeRegression(e: ComparisonEntry): string {
  const unit = comparisonUnit(e.metric);
  const note = e.note ? ` (${e.note})` : '';
  return `${e.scope} ${e.metric}: ${formatValue(unit, e.baseline)} -> ${formatValue(unit, e.current)}, ${formatComparisonChange(e)}${note}`;
}

/** Escapes text and attribute values; drops characters XML 1.0 cannot carry. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

/** Escapes element text (line breaks kept as they are). */
function escapeText(text: string): string {
  return text
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

interface Failure {
  type: string;
  message: string;
  details?: string;
}

interface TestCase {
  name: string;
  failure?: Failure;
  /** a missed warning limit: the testcase passes and carries the warning as a property */
  warning?: string;
}

function testCases(result: Result): TestCase[] {
  const cases: TestCase[] = result.targets.map((check) => {
    const message = describeCheck(check);
    const outcome = checkOutcome(check);
    const evidence = `samples: ${check.samples ?? 'unknown'}${check.bound !== undefined ? `, 95% bound: ${formatBound(check)}` : ''}`;
    const failure: Failure | undefined =
      outcome === 'UNCERTAIN' ? { type: 'uncertain', message, details: evidence } : outcome === 'FAIL' ? { type: 'threshold', message, details: evidence } : undefined;
    const scope = checkScope(check);
    const name = scope ? `${checkName(check)} (${check.scenario !== undefined && !check.phase ? 'scenario' : 'phase'} ${scope})` : checkName(check);
    if (outcome === 'WARN') return { name, warning: message };
    return failure ? { name, failure } : { name };
  });

  const comparison = result.comparison;
  if (comparison) {
    const regressions = comparison.entries.filter((e) => e.regression);
    const list = regressions.map((e) => `${e.scope} ${e.metric} ${formatComparisonChange(e)}`);
    cases.push({
      name: `no regression against ${comparison.baselineFile}`,
      ...(regressions.length > 0
        ? {
            failure: {
              type: 'regression',
              message: `${regressions.length} regression${regressions.length === 1 ? '' : 's'}: ${list.join(', ')}`,
              details: regressions.map(describeRegression).join('\n'),
            },
          }
        : {}),
    });
  }

  // A run with no checks, or one whose verdict no failing testcase explains (inconclusive,
  // interrupted, aborted), gets a testcase of its own so CI agrees with the exit code.
  const explained = cases.some((c) => c.failure);
  const failed = result.verdict === 'fail' || result.verdict === 'inconclusive';
  if (cases.length === 0 || (failed && !explained)) {
    cases.push({
      name: result.verdict === 'none' ? 'run completed (no targets: not judged)' : 'run completed',
      ...(failed
        ? {
            failure: {
              type: result.verdict,
              message: result.reason ?? `verdict ${result.verdict} (status ${result.status})`,
            },
          }
        : {}),
    });
  }
  return cases;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function renderSuite(result: Result, id: number): { xml: string; tests: number; failures: number } {
  const cases = testCases(result);
  const failures = cases.filter((c) => c.failure).length;
  // `spike (rc-1)`: two runs of one profile are two suites told apart by their labels
  const profile = result.profile.name + (result.run?.label ? ` (${result.run.label})` : '');
  const classname = escapeXml(`perfctl.${result.profile.name}`);
  const properties: Array<[string, string]> = [
    ...(result.run?.label ? [['label', result.run.label] as [string, string]] : []),
    ...Object.entries(result.run?.meta ?? {}).map(([k, v]): [string, string] => [`meta.${k}`, v]),
    ['baseUrl', result.baseUrl],
    ['status', result.status],
    ['verdict', result.verdict],
    ['model', result.profile.model],
    ['requests', String(result.totals.requests)],
    ['perfctl', result.tool.version],
  ];
  if (result.reason) properties.push(['reason', result.reason]);
  const lines = [
    `  <testsuite name="${escapeXml(profile)}" id="${id}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${seconds(result.durationMs)}" timestamp="${escapeXml(result.startedAt)}" hostname="${escapeXml(result.environment.host)}">`,
    '    <properties>',
    ...properties.map(([name, value]) => `      <property name="${escapeXml(name)}" value="${escapeXml(value)}"/>`),
    '    </properties>',
  ];
  for (const c of cases) {
    const open = `    <testcase name="${escapeXml(c.name)}" classname="${classname}" time="0"`;
    if (c.warning !== undefined) {
      lines.push(`${open}>`, '      <properties>', `        <property name="warning" value="${escapeXml(c.warning)}"/>`, '      </properties>', '    </testcase>');
      continue;
    }
    if (!c.failure) {
      lines.push(`${open}/>`);
      continue;
    }
    const body = c.failure.details ? escapeText(c.failure.details) : '';
    lines.push(
      `${open}>`,
      `      <failure message="${escapeXml(c.failure.message)}" type="${escapeXml(c.failure.type)}">${body}</failure>`,
      '    </testcase>',
    );
  }
  lines.push('  </testsuite>');
  return { xml: lines.join('\n'), tests: cases.length, failures };
}

export function renderJunit(results: Result[]): string {
  const suites = results.map((r, i) => renderSuite(r, i));
  const tests = suites.reduce((n, s) => n + s.tests, 0);
  const failures = suites.reduce((n, s) => n + s.failures, 0);
  const time = results.reduce((ms, r) => ms + r.durationMs, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="perfctl" tests="${tests}" failures="${failures}" errors="0" time="${seconds(time)}">`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}
