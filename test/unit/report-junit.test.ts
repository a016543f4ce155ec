import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/report/junit.js';
import type { Result } from '../../src/result/types.js';
import { makeResult, spread } from '../helpers/result-fixture.js';

// A tiny DOM-free XML reader: enough to check that the file is well formed and to read it back.
interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const unescape = (s: string): string =>
  s.replace(/&(lt|gt|quot|apos|amp|#(\d+));/g, (_m, name: string, code?: string) =>
    code ? String.fromCharCode(Number(code)) : ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' } as Record<string, string>)[name]!,
  );

function parseXml(xml: string): XmlElement {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '');
  // a raw & or < anywhere outside a tag or an entity would not be well formed
  expect(body.replace(/<[^<>]*>/g, '')).not.toMatch(/<|>|&(?!(lt|gt|quot|apos|amp|#\d+);)/);
  const root: XmlElement = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  const tag = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/g;
  let consumed = 0;
  for (const m of body.matchAll(tag)) {
    expect(m.index).toBe(consumed); // nothing the pattern could not read
    consumed += m[0].length;
    const top = stack[stack.length - 1]!;
    if (m[5] !== undefined) {
      top.text += unescape(m[5]);
      continue;
    }
    const [, closing, name, attrText, selfClosing] = m;
    if (closing) {
      expect(top.name).toBe(name);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText!.matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1]!] = unescape(a[2]!);
    const element: XmlElement = { name: name!, attrs, children: [], text: '' };
    top.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  expect(consumed).toBe(body.length);
  expect(stack).toHaveLength(1);
  expect(root.children).toHaveLength(1);
  return root.children[0]!;
}

const all = (e: XmlElement, name: string): XmlElement[] =>
  e.children.flatMap((c) => (c.name === name ? [c, ...all(c, name)] : all(c, name)));

function checked(profileName = 'spike'): Result {
  const r = makeResult({ profileName, durationMs: 60_000, cells: [{ group: 'login', phase: 'main', latenciesMs: spread(500, 1, 300) }] });
  r.targets = [
    { row: 'User Authentication', metric: 'p95', limit: 200, actual: 234.1, unit: 'ms', pass: false },
    { row: 'User Authentication', metric: 'p50', limit: 200, actual: 150.2, unit: 'ms', pass: true },
    { row: 'Whole API', metric: 'errorRate', limit: 0.01, actual: 0, unit: 'ratio', pass: true },
    { row: 'Tail', metric: 'p99.9', limit: 500, actual: 299, unit: 'ms', pass: false, insufficient: true, samples: 500, message: 'p99.9 needs 1000 samples, has 500' },
  ];
  r.verdict = 'fail';
  r.reason = '1 of 4 target checks failed';
  return r;
}

describe('renderJunit', () => {
  it('one testsuite per result, one testcase per check, failures for failed and insufficient checks', () => {
    const doc = parseXml(renderJunit([checked()]));
    expect(doc.name).toBe('testsuites');
    const [suite, ...rest] = all(doc, 'testsuite');
    expect(rest).toHaveLength(0);
    expect(suite!.attrs).toMatchObject({ name: 'spike', tests: '4', failures: '2', time: '60.000' });
    const cases = all(suite!, 'testcase');
    expect(cases.map((c) => c.attrs['name'])).toEqual([
      'User Authentication: p95 < 200 ms',
      'User Authentication: p50 < 200 ms',
      'Whole API: errorRate < 1%',
      'Tail: p99.9 < 500 ms',
    ]);
    expect(new Set(cases.map((c) => c.attrs['classname']))).toEqual(new Set(['perfctl.spike']));
    const failures = all(suite!, 'failure');
    expect(failures.map((f) => f.attrs['message'])).toEqual(['p95 234.1 ms > 200 ms', 'p99.9 needs 1000 samples, has 500']);
    expect(doc.attrs).toMatchObject({ tests: '4', failures: '2' });
  });

  it('a result with no checks has one testcase, failing unless the verdict is pass', () => {
    const ok = makeResult({ profileName: 'normal', cells: [{ group: 'a', phase: 'main', latenciesMs: [1, 2] }] });
    const bad = makeResult({ profileName: 'stress', cells: [{ group: 'a', phase: 'main', latenciesMs: [1, 2] }] });
    bad.verdict = 'inconclusive';
    bad.reason = 'perfctl reached only 70% of the planned rate';
    const doc = parseXml(renderJunit([ok, bad]));
    const suites = all(doc, 'testsuite');
    expect(suites.map((s) => [s.attrs['name'], s.attrs['tests'], s.attrs['failures']])).toEqual([
      ['normal', '1', '0'],
      ['stress', '1', '1'],
    ]);
    expect(all(suites[0]!, 'testcase')[0]!.attrs['name']).toBe('run completed');
    expect(all(suites[1]!, 'failure')[0]!.attrs['message']).toBe('perfctl reached only 70% of the planned rate');
    expect(doc.attrs).toMatchObject({ tests: '2', failures: '1' });
  });

  it('failures agree with the verdict: a regression or an interrupted run fails even if every check passed', () => {
    const r = checked();
    for (const t of r.targets) {
      t.pass = true;
      t.insufficient = false;
    }
    r.comparison = {
      baselineFile: 'base.json',
      baselineStartedAt: r.startedAt,
      tolerance: { latency: 0.1, throughput: 0.1, errorRate: 0.01 },
      entries: [{ scope: 'total', metric: 'p95', baseline: 100, current: 150, change: 0.5, regression: true }],
      regressions: 1,
    };
    let doc = parseXml(renderJunit([r]));
    expect(all(doc, 'failure').map((f) => f.attrs['message'])).toEqual(['1 regression: total p95 +50.0%']);

    delete r.comparison;
    r.status = 'interrupted';
    r.reason = 'interrupted by SIGINT';
    doc = parseXml(renderJunit([r]));
    expect(all(doc, 'testcase')).toHaveLength(5);
    expect(all(doc, 'failure').map((f) => f.attrs['message'])).toEqual(['interrupted by SIGINT']);
  });

  it('escapes everything that comes from a profile', () => {
    const r = checked('a<b>&"c\'');
    r.targets[0]!.row = 'Login & <Register> "x"';
    r.targets[0]!.message = 'p95 > 200 ms & "bad"';
    r.environment.host = 'h<&>';
    const xml = renderJunit([r]);
    const doc = parseXml(xml);
    const suite = all(doc, 'testsuite')[0]!;
    expect(suite.attrs['name']).toBe('a<b>&"c\'');
    expect(all(suite, 'testcase')[0]!.attrs['name']).toBe('Login & <Register> "x": p95 < 200 ms');
    expect(all(suite, 'testcase')[0]!.attrs['classname']).toBe('perfctl.a<b>&"c\'');
    expect(all(suite, 'failure')[0]!.attrs['message']).toBe('p95 > 200 ms & "bad"');
  });

  it('two runs of one profile are two suites told apart by label, with the label and meta as properties (escaped)', () => {
    const a = checked('spike');
    const b = checked('spike');
    a.run = { options: {}, label: 'rc-1', meta: { build: '101' } };
    b.run = { options: {}, label: 'rc-2 <&>', meta: { 'git"sha': 'x&y' } };
    const doc = parseXml(renderJunit([a, b]));
    const [sa, sb] = all(doc, 'testsuite');
    expect(sa!.attrs['name']).toBe('spike (rc-1)');
    expect(sb!.attrs['name']).toBe('spike (rc-2 <&>)');
    const props = (suite: typeof sa): Record<string, string> => Object.fromEntries(all(suite!, 'property').map((p) => [p.attrs['name']!, p.attrs['value']!]));
    expect(props(sa)).toMatchObject({ label: 'rc-1', 'meta.build': '101' });
    expect(props(sb)).toMatchObject({ label: 'rc-2 <&>', 'meta.git"sha': 'x&y' });
    expect(all(sb!, 'testcase')[0]!.attrs['classname']).toBe('perfctl.spike');
  });

  it('drops characters XML cannot carry', () => {
    const r = checked('bad\u0001name');
    const doc = parseXml(renderJunit([r]));
    expect(all(doc, 'testsuite')[0]!.attrs['name']).toBe('badname');
  });
});
