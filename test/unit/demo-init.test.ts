import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { initProject } from '../../src/app/init.js';

describe('initProject', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'perfctl-init-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  const smoke = (): string => path.join(dir, 'scenarios', 'smoke.yaml');
  const api = (): string => path.join(dir, 'targets', 'api.yaml');

  it('writes scenarios/smoke.yaml and targets/api.yaml and lists them', async () => {
    expect(await initProject(dir)).toEqual([smoke(), api()]);
    const profile = parse(await readFile(smoke(), 'utf8')) as Record<string, unknown>;
    expect(profile).toMatchObject({ name: 'smoke', targets: '../targets/api.yaml', timeout: '10s' });
    expect(Object.keys(profile)).toEqual(['name', 'description', 'baseUrl', 'stages', 'requests', 'timeout', 'targets']);
    const table = parse(await readFile(api(), 'utf8')) as { targets: unknown[] };
    expect(table.targets.length).toBeGreaterThan(0);
  });

  it('explains the fields in YAML comments', async () => {
    await initProject(dir);
    const text = await readFile(smoke(), 'utf8');
    for (const field of ['baseUrl', 'stages', 'rate', 'vus', 'duration', 'weight', 'expect', 'timeout', 'thinkTime', 'maxInFlight', 'targets']) {
      expect(text).toMatch(new RegExp(`#.*\\b${field}\\b`));
    }
    const targets = await readFile(api(), 'utf8');
    for (const field of ['requests', 'phase', 'p95', 'errorRate', 'rps', 'abortOnFail']) {
      expect(targets).toMatch(new RegExp(`#.*\\b${field}\\b`));
    }
  });

  it('never overwrites: a second call writes nothing and keeps edits', async () => {
    await initProject(dir);
    await writeFile(smoke(), 'name: mine\n');
    expect(await initProject(dir)).toEqual([]);
    expect(await readFile(smoke(), 'utf8')).toBe('name: mine\n');
  });

  it('skips the files that exist and writes the others', async () => {
    await mkdir(path.join(dir, 'targets'), { recursive: true });
    await writeFile(api(), 'targets: []\n');
    expect(await initProject(dir)).toEqual([smoke()]);
    expect(await readFile(api(), 'utf8')).toBe('targets: []\n');
  });

  it('creates the directory when it does not exist', async () => {
    const nested = path.join(dir, 'new', 'service');
    expect(await initProject(nested)).toHaveLength(2);
  });
});
