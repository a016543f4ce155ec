// The examples that run perfctl elsewhere (Kubernetes, GitHub Actions, GitLab, the image) are
// held to what they promise: they parse as what they claim to be, agree with themselves (shard
// counts, paths, the start instant), use no unpublished package, and the shard pods' shell
// turns perfctl's exit codes into what the Job needs. kubectl checks the manifests where it is
// installed (against a fake API discovery endpoint on loopback: --dry-run=client still asks it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { parseStartAt } from '../../src/app/start-at.js';
import { repoRoot } from '../helpers/cli.js';
import { listenOnLoopback } from '../helpers/listen.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const k8sDir = join(repoRoot, 'examples', 'kubernetes');
const manifestFiles = readdirSync(k8sDir).filter((f) => f.endsWith('.yaml'));
const manifests: Array<{ file: string; doc: Obj }> = manifestFiles.flatMap((file) =>
  parseAllDocuments(readFileSync(join(k8sDir, file), 'utf8')).map((d) => {
    expect(d.errors, file).toEqual([]);
    return { file, doc: d.toJS() as Obj };
  }),
);
const jobs = manifests.filter((m) => m.doc.kind === 'Job');
const indexed = jobs.filter((m) => m.doc.spec.completionMode === 'Indexed');

/** The fields these manifests may use, per object (a typo in a key is caught, as the API server would). */
const KNOWN: Record<string, string[]> = {
  object: ['apiVersion', 'kind', 'metadata', 'spec'],
  metadata: ['name', 'labels', 'annotations', 'namespace'],
  jobSpec: ['completionMode', 'completions', 'parallelism', 'backoffLimit', 'backoffLimitPerIndex', 'podFailurePolicy', 'ttlSecondsAfterFinished', 'activeDeadlineSeconds', 'template'],
  podSpec: ['restartPolicy', 'securityContext', 'containers', 'volumes', 'initContainers', 'serviceAccountName'],
  container: ['name', 'image', 'command', 'args', 'env', 'resources', 'volumeMounts', 'workingDir', 'securityContext'],
  pvcSpec: ['accessModes', 'resources', 'storageClassName'],
};
const unknownKeys = (value: Obj, known: string[]): string[] => Object.keys(value).filter((k) => !known.includes(k));

describe('examples/kubernetes', () => {
  it('every file parses as Kubernetes objects of known kinds, with only known fields', () => {
    expect(manifestFiles.sort()).toEqual(['perfctl-merge.yaml', 'perfctl-results-pvc.yaml', 'perfctl-shards-logs.yaml', 'perfctl-shards.yaml']);
    for (const { file, doc } of manifests) {
      expect([`${doc.apiVersion} ${doc.kind}`], file).toEqual([expect.stringMatching(/^(batch\/v1 Job|v1 PersistentVolumeClaim)$/)]);
      expect(doc.metadata.name, file).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(unknownKeys(doc, KNOWN.object!), file).toEqual([]);
      expect(unknownKeys(doc.metadata, KNOWN.metadata!), file).toEqual([]);
      if (doc.kind === 'PersistentVolumeClaim') {
        expect(unknownKeys(doc.spec, KNOWN.pvcSpec!), file).toEqual([]);
        expect(doc.spec.accessModes).toEqual(['ReadWriteMany']);
        continue;
      }
      expect(unknownKeys(doc.spec, KNOWN.jobSpec!), file).toEqual([]);
      const pod = doc.spec.template.spec;
      expect(unknownKeys(pod, KNOWN.podSpec!), file).toEqual([]);
      expect(pod.restartPolicy, file).toBe('Never');
      expect(pod.securityContext.runAsNonRoot, file).toBe(true);
      for (const c of pod.containers) {
        expect(unknownKeys(c, KNOWN.container!), file).toEqual([]);
        // the image built from the Dockerfile, never a bare node image that fetches perfctl
        expect(c.image, file).toBe('registry.example.com/perfctl:0.1.0');
      }
      // every volume a container mounts is declared
      const declared = (pod.volumes ?? []).map((v: Obj) => v.name);
      for (const c of pod.containers) for (const m of c.volumeMounts ?? []) expect(declared, file).toContain(m.name);
    }
  });

  it('each Indexed Job runs every shard at once, with --shard-count equal to its completions and one start instant', () => {
    expect(indexed.map((m) => m.file).sort()).toEqual(['perfctl-shards-logs.yaml', 'perfctl-shards.yaml']);
    for (const { file, doc } of indexed) {
      const spec = doc.spec;
      expect(spec.parallelism, file).toBe(spec.completions);
      const container = spec.template.spec.containers[0];
      const script: string = container.args.join(' ');
      expect(script, file).toContain('--shard k8s');
      expect(script, file).toContain(`--shard-count ${spec.completions}`);
      expect(script, file).toContain('--start-at "$PERFCTL_START_AT"');
      const startAt = container.env.find((e: Obj) => e.name === 'PERFCTL_START_AT');
      expect(startAt.value, file).toBe('START_AT_PLACEHOLDER');
      // the README's sed gives a value perfctl accepts
      const text = readFileSync(join(k8sDir, file), 'utf8').replace(/START_AT_PLACEHOLDER/g, new Date(Date.now() + 120_000).toISOString().replace(/\.\d+Z$/, 'Z'));
      const value = parseAllDocuments(text)[0]!.toJS().spec.template.spec.containers[0].env.find((e: Obj) => e.name === 'PERFCTL_START_AT').value;
      expect(() => parseStartAt(value, Date.now())).not.toThrow();
      // retrying a shard whose start has passed cannot help: exit 2 fails the Job
      expect(spec.podFailurePolicy.rules).toContainEqual({ action: 'FailJob', onExitCodes: { containerName: container.name, operator: 'In', values: [2] } });
    }
  });

  it('the merge Job reads exactly where the shards write', () => {
    const shards = indexed.find((m) => m.file === 'perfctl-shards.yaml')!.doc.spec.template.spec.containers[0];
    const merge = jobs.find((m) => m.file === 'perfctl-merge.yaml')!.doc.spec.template.spec.containers[0];
    expect(shards.args.join(' ')).toContain('--out "/results/shard-$JOB_COMPLETION_INDEX-$POD_NAME"');
    expect(merge.args.join(' ')).toMatch(/^perfctl merge \/results\/shard-\*\/result\.json --out \/results\/merged/);
    expect(shards.volumeMounts[0].mountPath).toBe(merge.volumeMounts[0].mountPath);
  });

  describe('the shard pods\' shell', () => {
    let bin: string;
    beforeAll(() => {
      // a stand-in perfctl that records its arguments and exits with the code asked for
      bin = mkdtempSync(join(tmpdir(), 'perfctl-fake-'));
      writeFileSync(join(bin, 'perfctl'), '#!/bin/sh\nprintf "%s\\n" "$@" > "$ARGS_FILE"\nexit "$FAKE_EXIT"\n');
      chmodSync(join(bin, 'perfctl'), 0o755);
    });
    afterAll(() => rmSync(bin, { recursive: true, force: true }));

    const script = (file: string): string => indexed.find((m) => m.file === file)!.doc.spec.template.spec.containers[0].args[0];

    it.each([
      [0, 0],
      [1, 0], // a target missed on this slice: the merge judges the run
      [4, 0], // inconclusive on this slice: likewise
      [2, 2], // bad input or a start already past
      [3, 3],
      [130, 130],
    ])('perfctl exit %i -> pod exit %i', (perfctlExit, podExit) => {
      const args = join(bin, 'args');
      const run = spawnSync('sh', ['-c', script('perfctl-shards.yaml')], {
        env: { PATH: `${bin}:/usr/bin:/bin`, FAKE_EXIT: String(perfctlExit), ARGS_FILE: args, JOB_COMPLETION_INDEX: '2', POD_NAME: 'perfctl-shards-2-x7k', SERVICE_URL: 'http://svc:8080', PERFCTL_START_AT: '2026-12-01T10:00:00Z' },
      });
      expect(run.status, run.stderr.toString()).toBe(podExit);
      expect(readFileSync(args, 'utf8').trim().split('\n')).toEqual([
        'run', 'peak', '--base-url', 'http://svc:8080', '--shard', 'k8s', '--shard-count', '3', '--start-at', '2026-12-01T10:00:00Z',
        '--out', '/results/shard-2-perfctl-shards-2-x7k', '--no-progress',
      ]);
    });

    it('the no-volume variant prints its result into the log', () => {
      const args = join(bin, 'args');
      const run = spawnSync('sh', ['-c', script('perfctl-shards-logs.yaml')], {
        env: { PATH: `${bin}:/usr/bin:/bin`, FAKE_EXIT: '1', ARGS_FILE: args, SERVICE_URL: 'http://svc:8080', PERFCTL_START_AT: '2026-12-01T10:00:00Z' },
      });
      expect(run.status).toBe(0);
      expect(readFileSync(args, 'utf8')).toContain('--log-result');
    });
  });

  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!kubectl)('kubectl apply --dry-run=client --validate=false accepts every manifest', async () => {
    // the API discovery kubectl asks for before a client-side dry run, and nothing else
    const discovery: Record<string, unknown> = {
      '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] },
      '/apis': { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'batch', versions: [{ groupVersion: 'batch/v1', version: 'v1' }], preferredVersion: { groupVersion: 'batch/v1', version: 'v1' } }] },
      '/api/v1': { kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'persistentvolumeclaims', singularName: 'persistentvolumeclaim', namespaced: true, kind: 'PersistentVolumeClaim', verbs: ['create', 'get'] }] },
      '/apis/batch/v1': { kind: 'APIResourceList', groupVersion: 'batch/v1', resources: [{ name: 'jobs', singularName: 'job', namespaced: true, kind: 'Job', verbs: ['create', 'get'] }] },
      '/version': { major: '1', minor: '31', gitVersion: 'v1.31.0' },
    };
    const server = http.createServer((req, res) => {
      const body = discovery[(req.url ?? '').split('?')[0]!];
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
    });
    const { url, close } = await listenOnLoopback(server);
    try {
      const out = await new Promise<{ code: number; text: string }>((resolve) => {
        execFile('kubectl', ['--server', url, '--kubeconfig', '/dev/null', 'apply', '--dry-run=client', '--validate=false', '-f', k8sDir], (error, stdout, stderr) =>
          resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, text: stdout + stderr }),
        );
      });
      expect(out.code, out.text).toBe(0);
      for (const { doc } of manifests) expect(out.text).toContain(`${doc.kind === 'Job' ? 'job.batch' : 'persistentvolumeclaim'}/${doc.metadata.name} created (dry run)`);
    } finally {
      await close();
    }
  });
});

describe('examples/ci', () => {
  const read = (name: string): Obj => parseYaml(readFileSync(join(repoRoot, 'examples', 'ci', name), 'utf8')) as Obj;

  it('the GitHub Actions shard matrix shares one start time, uploads each result, and merges with a gate', () => {
    const wf = read('github-actions-shards.yml');
    const shards = Number(wf.env.SHARDS);
    expect(Object.keys(wf.jobs)).toEqual(['plan', 'shard', 'merge']);
    expect(wf.jobs.shard.needs).toBe('plan');
    expect(wf.jobs.shard.strategy.matrix.shard).toEqual(Array.from({ length: shards }, (_, i) => i + 1));
    expect(wf.jobs.shard.strategy['fail-fast']).toBe(false);
    const run = wf.jobs.shard.steps.map((s: Obj) => s.run ?? '').join('\n');
    expect(run).toContain('--shard "${{ matrix.shard }}/$SHARDS"');
    expect(run).toContain('--start-at "${{ needs.plan.outputs.start-at }}"');
    expect(wf.jobs.plan.outputs['start-at']).toBe('${{ steps.start.outputs.start-at }}');
    expect(wf.jobs.merge.needs).toBe('shard');
    const mergeStep = wf.jobs.merge.steps.find((s: Obj) => /perfctl merge/.test(s.name ?? ''));
    expect(mergeStep.run).toMatch(/merge shard-\*\/result\.json --out merged/);
    // the gate: the merge step's exit code is not swallowed
    expect(mergeStep['continue-on-error']).toBeUndefined();
    expect(mergeStep.run).not.toMatch(/\|\| true/);
  });

  it('every workflow parses', () => {
    for (const name of readdirSync(join(repoRoot, 'examples', 'ci'))) expect(() => read(name), name).not.toThrow();
  });
});

describe('nothing in an example installs an unpublished package', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));

  it.each([...files(join(repoRoot, 'examples')), join(repoRoot, 'Dockerfile'), join(repoRoot, 'README.md')])('%s', (file) => {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/\bnpx\b/);
    expect(text).not.toMatch(/\bnpm (i|install|add)\b[^\n]*\bperfctl\b/);
    expect(text).not.toMatch(/\byarn (add|dlx)\b|\bpnpm (add|dlx)\b/);
  });
});

describe('the Dockerfile', () => {
  const text = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  const instructions = text.split('\n').filter((l) => /^[A-Z]+\s/.test(l));

  it('is multi-stage on node:20-slim, runs as a non-root user, with perfctl as its entrypoint', () => {
    expect(instructions.filter((l) => l.startsWith('FROM '))).toEqual(['FROM node:20-slim AS build', 'FROM node:20-slim']);
    const last = instructions.slice(instructions.lastIndexOf('FROM node:20-slim'));
    expect(last).toContain('USER node');
    expect(last.at(-2)).toBe('ENTRYPOINT ["perfctl"]');
  });

  it('copies only paths that exist, and everything a run of the demo needs', () => {
    const copied = instructions.filter((l) => l.startsWith('COPY ') && !l.includes('--from=')).flatMap((l) => l.split(/\s+/).slice(1, -1));
    for (const path of copied) expect(existsSync(join(repoRoot, path)), path).toBe(true);
    for (const needed of ['bin', 'schemas', 'scenarios', 'reports-templates', 'src', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json']) expect(copied).toContain(needed);
    // and the .dockerignore leaves them in the build context
    const ignored = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const path of copied) expect(ignored, path).not.toContain(path);
  });

  it('its build stage copies everything `npm run build` reads (tsc, the schemas, the report templates, the build scripts)', () => {
    const build = instructions.slice(0, instructions.lastIndexOf('FROM node:20-slim'));
    const copied = build.filter((l) => l.startsWith('COPY ')).flatMap((l) => l.split(/\s+/).slice(1, -1));
    for (const needed of ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts', 'schemas', 'reports-templates', 'src']) expect(copied, needed).toContain(needed);
  });

  it('the package it builds declares the files the image copies', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { files: string[] };
    for (const dir of ['bin', 'dist', 'schemas', 'scenarios', 'reports-templates', 'examples']) expect(pkg.files).toContain(dir);
  });
});
