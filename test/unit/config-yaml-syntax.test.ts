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

  it('gives the position of an error on a later line, in one line of text', () => {
    const { issues } = parseYamlSource('a: 1\nb: 2\nc: { d: [1, }\n', 'pos.yaml');
    expect(issues[0]).toMatchObject({ line: 3 });
    for (const issue of issues) expect(issue.message).not.toContain('\n');
  });

  it('refuses a file over 256 KB at once, without parsing it (a 5 MB broken file)', () => {
    const text = 'requests:\n' + '  - { name: r, path: /x, weight: 1 \n'.repeat(150_000);
    const { issues } = parseYamlSource(text, 'huge.yaml');
    expect(issues).toEqual([expect.objectContaining({ file: 'huge.yaml', line: 1, col: 1, message: expect.stringMatching(/^the file is \d+ KB; perfctl reads profiles and target tables up to 256 KB/) })]);
  });

  it('shows every error when there are only a few', () => {
    const { issues } = parseYamlSource('a: [1,\nb: 2', 'few.yaml');
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.length).toBeLessThanOrEqual(5);
    expect(issues.some((i) => /more YAML syntax errors/.test(i.message))).toBe(false);
  });
});
