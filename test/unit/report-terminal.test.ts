import { describe, expect, it } from 'vitest';
import { fitColumnWidths, renderProgressLine, renderSummary, renderVerdictLine, wrapCell } from '../../src/report/terminal.js';
import type { Result } from '../../src/result/types.js';
import { makeResult, spread } from '../helpers/result-fixture.js';

const ANSI = /\u001b\[/;

function checkedResult(): Result {
  const result = makeResult({
    profileName: 'spike',
    phases: [
      { name: 'baseline', startMs: 0, endMs: 30_000 },
      { name: 'spike', startMs: 30_000, endMs: 60_000 },
    ],
    cells: [
      { group: 'login', phase: 'baseline', latenciesMs: spread(1000, 1, 40), statusErrors: 5 },
      { group: 'list-challenges', phase: 'spike', latenciesMs: spread(2000, 5, 300), otherErrors: { timeout: 7 } },
    ],
  });
  result.targets = [
    { row: 'User Authentication', metric: 'p95', limit: 200, actual: 234.1, unit: 'ms', pass: false },
    { row: 'Whole API', metric: 'errorRate', limit: 0.01, actual: 0.004, unit: 'ratio', pass: true },
    { row: 'Whole API', metric: 'rps', limit: 40, actual: 50.1, unit: 'rps', pass: true },
    { row: 'Tail', metric: 'p99.9', limit: 500, actual: 299, unit: 'ms', pass: false, state: 'uncertain', severity: 'fail', bound: null, samples: 200 },
    { row: 'Soft', metric: 'p50', limit: 20, actual: 30, unit: 'ms', pass: false, state: 'fail', severity: 'warn', bound: 31.2, samples: 3000 },
  ];
  result.verdict = 'fail';
  result.reason = '1 of 4 target checks failed, 1 had too few samples';
  return result;
}

describe('renderSummary', () => {
  it('without colour has no ANSI codes and contains the numbers', () => {
    const r = checkedResult();
    const text = renderSummary(r, { color: false, width: 200 });
    expect(text).not.toMatch(ANSI);
    for (const s of ['login', 'list-challenges', 'TOTAL', 'baseline', 'spike', String(r.totals.requests), '3007', '2007']) expect(text).toContain(s);
    const total = text.split('\n').find((l) => l.includes('TOTAL'))!;
    expect(total).toContain(r.totals.latencyMs.p95.toFixed(1));
    expect(total).toContain(r.totals.latencyMs.p99.toFixed(1));
    expect(total).toContain('0.40%');
    expect(text).toContain('00:30–01:00');
  });

  it('lists every target check with its limit, actual, evidence and PASS/FAIL/UNCERTAIN/WARN', () => {
    const text = renderSummary(checkedResult(), { color: false, width: 200 });
    const row = (needle: string): string => text.split('\n').find((l) => l.includes(needle))!;
    expect(row('User Authentication')).toMatch(/p95.*< 200 ms.*234\.1 ms.*FAIL/);
    expect(row('errorRate')).toMatch(/< 1%.*0\.40%.*PASS/);
    expect(row('rps  ')).toMatch(/≥ 40\/s.*50\.1\/s.*PASS/);
    expect(row('Tail')).toMatch(/p99\.9.*299\.0 ms.*200.*none yet.*UNCERTAIN/);
    expect(row('Soft')).toMatch(/p50.*< 20 ms \(warn\).*30\.0 ms.*3000.*31\.2 ms.*WARN/);
  });

  it.each([undefined, 60, 80, 100])('fits the tables in 80 columns (or a wider terminal’s width: %s), wrapping by column', (width) => {
    const r = checkedResult();
    r.targets[0]!.row = 'User Authentication with a very long target name, as target tables have';
    r.groups['checkout-and-pay-with-a-saved-card-then-confirm'] = r.groups['login']!;
    const text = renderSummary(r, { color: true, ...(width === undefined ? {} : { width }) });
    const lines = text.split('\n').map((l) => l.replace(/\u001b\[[0-9;]*m/g, ''));
    const tableLines = lines.filter((l) => /^[┌│├└]/.test(l));
    expect(Math.max(...tableLines.map((l) => l.length))).toBeLessThanOrEqual(Math.max(80, width ?? 80));
    // a cell wraps inside its own column: the long name's words stay whole and in order
    const firstColumn = tableLines.filter((l) => l.startsWith('│')).map((l) => l.split('│')[1]!.trim()).filter((cell) => cell !== '');
    expect(firstColumn.join(' ')).toContain('User Authentication with a very long target name, as target tables have');
    // numbers never broken
    expect(text).toContain(String(r.totals.requests));
  });

  it('a table that fits keeps every row on one line', () => {
    expect(fitColumnWidths([['a', 'bb'], ['ccc', '1']], [false, true], 80)).toBeNull();
    expect(fitColumnWidths([['request', 'p95 ms'], ['list-challenges', '12.3']], [false, true], 20)).toEqual([9, 4]);
    expect(wrapCell('list-challenges', 8)).toBe('list-\nchalleng\nes');
    expect(wrapCell('User Authentication', 14)).toBe('User\nAuthentication');
    expect(wrapCell('12.3', 8)).toBe('12.3');
  });

  it('shows error kinds and status codes only when there were errors', () => {
    const withErrors = renderSummary(checkedResult(), { color: false });
    expect(withErrors).toMatch(/timeout\s+│\s+7/);
    expect(withErrors).toMatch(/500\s+│\s+5/);
    const clean = renderSummary(makeResult({ cells: [{ group: 'a', phase: 'main', latenciesMs: [1, 2, 3] }] }), { color: false });
    expect(clean).not.toContain('error kind');
    expect(clean).not.toContain('Target checks');
  });

  it('ends with the verdict line', () => {
    const r = checkedResult();
    const lines = renderSummary(r, { color: false }).trimEnd().split('\n');
    expect(lines[lines.length - 1]).toBe(renderVerdictLine(r, { color: false }));
  });

  it('colours PASS green and FAIL red when asked', () => {
    const text = renderSummary(checkedResult(), { color: true });
    expect(text).toMatch(ANSI);
    expect(text).toContain('\u001b[32mPASS');
    expect(text).toContain('\u001b[31m\u001b[1mFAIL');
    expect(text).toContain('\u001b[33mUNCERTAIN');
  });

  it('never lets control characters from a name reach the terminal', () => {
    const r = makeResult({ profileName: 'evil\u001b[2J', cells: [{ group: 'x\u001b[31m', phase: 'main', latenciesMs: [1] }] });
    expect(renderSummary(r, { color: false })).not.toMatch(ANSI);
  });
});

describe('renderVerdictLine', () => {
  const passing = (): Result => {
    const r = makeResult({ profileName: 'spike', durationMs: 60_000, cells: [{ group: 'a', phase: 'main', latenciesMs: spread(12_000, 1, 25), statusErrors: 12 }] });
    r.targets = Array.from({ length: 9 }, (_, i) => ({ row: `row ${i}`, metric: 'p95', limit: 200, actual: 23.4, unit: 'ms' as const, pass: true }));
    return r;
  };

  it('names the run by profile and label, control characters made harmless', () => {
    const r = passing();
    r.run = { options: {}, label: 'rc-2\u001b[31m' };
    const line = renderVerdictLine(r, { color: false });
    expect(line).toMatch(/^✔ PASS  spike · rc-2\?\[31m  12000 requests/);
    expect(line).not.toContain('\u001b');
    expect(renderSummary(r, { color: false }).split('\n')[0]).toMatch(/^spike · rc-2\?\[31m — open model/);
  });

  it('a pass: requests, p95, error rate and the checks', () => {
    const r = passing();
    expect(renderVerdictLine(r, { color: false })).toBe(
      `✔ PASS  spike  12000 requests, p95 ${r.totals.latencyMs.p95.toFixed(1)} ms, 0.10% errors — all 9 checks passed`,
    );
  });

  it('a fail or inconclusive run gives its reason', () => {
    const r = passing();
    r.verdict = 'fail';
    r.reason = 'p95 of User Authentication 234.1 ms > 200 ms';
    expect(renderVerdictLine(r, { color: false })).toMatch(/^✖ FAIL  spike  12000 requests, .* — p95 of User Authentication 234\.1 ms > 200 ms$/);
    r.verdict = 'inconclusive';
    r.status = 'completed';
    r.reason = 'perfctl reached only 80% of the planned rate';
    expect(renderVerdictLine(r, { color: false })).toMatch(/^⚠ INCONCLUSIVE  spike  .* — perfctl reached only 80% of the planned rate$/);
  });

  it('says when a run was interrupted, and counts failures without a reason', () => {
    const r = passing();
    r.status = 'interrupted';
    r.verdict = 'fail';
    r.targets[0]!.pass = false;
    expect(renderVerdictLine(r, { color: false })).toMatch(/^✖ FAIL  spike \(interrupted\)  .* — 1 of 9 checks failed$/);
  });

  it('no checks', () => {
    const r = makeResult({ cells: [{ group: 'a', phase: 'main', latenciesMs: [1] }] });
    r.verdict = 'none';
    r.reason = 'no targets: nothing was judged';
    const line = renderVerdictLine(r, { color: false });
    expect(line).toMatch(/^○ NONE .*— no targets: nothing was judged$/);
    expect(line).not.toContain('PASS');
  });

  it('no targets and every request failed: the error rate is red, and nothing says PASS', () => {
    const r = makeResult({ cells: [{ group: 'a', phase: 'main', latenciesMs: spread(100, 1, 5), statusErrors: 100 }] });
    r.verdict = 'none';
    r.reason = 'no targets: nothing was judged';
    const text = renderSummary(r, { color: true });
    expect(text).toContain('\u001b[31m\u001b[1m100.00% errors');
    expect(text).not.toMatch(/PASS/);
  });

  it('warn is amber', () => {
    const r = checkedResult();
    r.verdict = 'warn';
    expect(renderVerdictLine(r, { color: true })).toMatch(/^\u001b\[33m\u001b\[1m▲ WARN|^\u001b\[38;[0-9;]+m\u001b\[1m▲ WARN/);
  });
});

describe('renderProgressLine', () => {
  it('open model', () => {
    expect(
      renderProgressLine({ elapsedMs: 12_400, totalMs: 60_000, stage: 'spike', level: 400, model: 'open', rps: 398.4, p95Ms: 12.34, errors: 0, requests: 4000 }, { color: false }),
    ).toBe('[00:12/01:00]  spike  level 400/s  rps 398  p95 12.3 ms  errors 0 (0.00%)');
  });

  it('closed model, long runs and errors', () => {
    const line = renderProgressLine(
      { elapsedMs: 3_723_000, totalMs: 7_200_000, stage: 'soak', level: 50, model: 'closed', rps: 41.6, p95Ms: 230, errors: 3, requests: 1000 },
      { color: false },
    );
    expect(line).toBe('[1:02:03/2:00:00]  soak  level 50 users  rps 42  p95 230.0 ms  errors 3 (0.30%)');
  });

  it('scenarios: each one\'s stage and level instead of one', () => {
    const line = renderProgressLine(
      {
        elapsedMs: 5000, totalMs: 10_000, stage: 'browsing/hold', level: 600, model: 'closed', rps: 612, p95Ms: 8, errors: 0, requests: 3000,
        scenarios: [
          { name: 'browsing', model: 'closed', stage: 'hold', level: 100 },
          { name: 'login-wave', model: 'open', stage: 'wave', level: 500 },
        ],
      },
      { color: false },
    );
    expect(line).toBe('[00:05/00:10]  browsing hold 100 users · login-wave wave 500/s  rps 612  p95 8.00 ms  errors 0 (0.00%)');
  });

  it('colour only when asked', () => {
    const p = { elapsedMs: 1000, totalMs: 2000, stage: 's', level: 1, model: 'open' as const, rps: 1, p95Ms: 1, errors: 1, requests: 2 };
    expect(renderProgressLine(p, { color: false })).not.toMatch(ANSI);
    expect(renderProgressLine(p, { color: true })).toMatch(ANSI);
  });
});
