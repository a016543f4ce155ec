import { describe, expect, it } from 'vitest';
import { parseYamlSource } from '../../src/config/yaml-source.js';

describe('YAML syntax errors', () => {
  it('shows the first five with their line:col and counts the rest', () => {
    const text = Array.from({ length: 40 }, (_, i) => `k${i}: { a: [1, }`).join('\n');
    const { issues } = parseYamlSource(text, 'bad.yaml');
    expect(issues.length).toBe(6);
    expect(issues[0]).toMatchObject({ file: 'bad.yaml', line: 1 });
    expect(issues[0]!.message).toMatch(/^YAML syntax error: /);
    expect(issues[5]!.message).toMatch(/^and \d+ more YAML syntax errors/);
  });

  it('shows every error when there are only a few', () => {
    const { issues } = parseYamlSource('a: [1,\nb: 2', 'few.yaml');
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.length).toBeLessThanOrEqual(5);
    expect(issues.some((i) => /more YAML syntax errors/.test(i.message))).toBe(false);
  });
});
