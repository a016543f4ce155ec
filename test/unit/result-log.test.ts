// --log-result / merge --from-logs: a result printed into a log is read back exactly, whatever
// kubectl puts before each line, and a log that lost or altered lines is refused (exit 2).
import { describe, expect, it } from 'vitest';
import { decodeResultsFromLog, encodeResultForLog } from '../../src/result/result-log.js';
import { makeResult, spread } from '../helpers/result-fixture.js';

const result = { ...makeResult({ cells: [{ group: 'ping', phase: 'main', latenciesMs: spread(500, 1, 80) }] }), shard: { index: 2, count: 3 } };
const block = encodeResultForLog(result);

function refusal(text: string): string {
  try {
    decodeResultsFromLog(text, 'pod.log');
  } catch (error) {
    expect((error as { exitCode?: number }).exitCode).toBe(2);
    return (error as Error).message;
  }
  throw new Error('not refused');
}

describe('a result in a log', () => {
  it('is printed in short marked lines and read back equal', () => {
    const lines = block.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^perfctl-result begin lines=\d+ shard=2\/3$/);
    expect(lines.at(-1)).toMatch(/^perfctl-result end sha256=[0-9a-f]{16}$/);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
    const [found] = decodeResultsFromLog(`banner\nsome table\n${block}verdict line\n`, 'pod.log');
    expect(found!.result).toEqual(result);
    expect(found!.source).toBe('pod.log#1');
  });

  it('survives kubectl logs --prefix --timestamps and several pods in one file', () => {
    const prefixed = (pod: string, text: string): string =>
      text
        .split('\n')
        .map((l, i) => `[pod/${pod}/perfctl] 2026-12-01T10:00:0${i % 10}.12345${i % 7}Z ${l}`)
        .join('\n');
    const other = encodeResultForLog({ ...result, shard: { index: 1, count: 3 } });
    const found = decodeResultsFromLog(`${prefixed('a', other)}\n${prefixed('b', block)}`, 'all.log');
    expect(found.map((f) => f.result.shard)).toEqual([
      { index: 1, count: 3 },
      { index: 2, count: 3 },
    ]);
    expect(found.map((f) => f.source)).toEqual(['all.log#1', 'all.log#2']);
  });

  it.each([
    ['a lost line', (t: string) => t.split('\n').filter((_, i) => i !== 3).join('\n'), /out of order/],
    ['an altered line', (t: string) => t.replace(/(perfctl-result 000002 )(.)/, (_, a: string, c: string) => a + (c === 'A' ? 'B' : 'A')), /incomplete or altered/],
    ['a cut-off end', (t: string) => t.split('\n').slice(0, -3).join('\n'), /no end line/],
    ['no result at all', () => 'just a banner\n', /no result in this log/],
    ['an end without begin', (t: string) => t.split('\n').slice(-2).join('\n'), /end without its begin/],
  ])('%s is refused, naming the log', (_name, damage, message) => {
    const text = refusal(damage(block));
    expect(text).toMatch(message);
    expect(text).toMatch(/^pod\.log/);
  });
});
