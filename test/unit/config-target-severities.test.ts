import { describe, expect, it } from 'vitest';
import { checkTargetsText } from '../../src/config/check-source.js';

const table = (rows: string, top = ''): ReturnType<typeof checkTargetsText> => checkTargetsText(`${top}targets:\n${rows}`, 't.yaml', {});

describe('target tables: severities and confidence', () => {
  it('{ warn, fail } gives one check per severity, in that order', () => {
    const { rows, issues } = table('  - { name: API, p95: { warn: 20ms, fail: 200ms }, errorRate: 1% }\n');
    expect(issues).toEqual([]);
    expect(rows[0]!.checks).toEqual([
      { metric: 'p95', limit: 20, severity: 'warn' },
      { metric: 'p95', limit: 200, severity: 'fail' },
      { metric: 'errorRate', limit: 0.01 },
    ]);
  });

  it('a warning limit alone, on any metric', () => {
    const { rows, issues } = table('  - { name: API, errorRate: { warn: 0.5% }, rps: { warn: 100 } }\n');
    expect(issues).toEqual([]);
    expect(rows[0]!.checks).toEqual([
      { metric: 'errorRate', limit: 0.005, severity: 'warn' },
      { metric: 'rps', limit: 100, severity: 'warn' },
    ]);
  });

  it('a bad limit inside a severity points at it', () => {
    const { issues } = table('  - { name: API, p95: { warn: 20, fail: 200ms } }\n');
    expect(issues.map((i) => i.path)).toContain("targets.0.p95.warn");
  });

  it('confidence: off on the table or a row; anything else is an input error', () => {
    expect(table('  - { name: API, p95: 20ms }\n', 'confidence: off\n').rows[0]!.confidence).toBe(false);
    expect(table('  - { name: API, p95: 20ms, confidence: off }\n').rows[0]!.confidence).toBe(false);
    expect(table('  - { name: API, p95: 20ms }\n').rows[0]!.confidence).toBeUndefined();
    expect(table('  - { name: API, p95: 20ms }\n', 'confidence: maybe\n').issues.length).toBeGreaterThan(0);
  });
});
