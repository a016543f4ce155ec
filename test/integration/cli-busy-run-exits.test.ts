// A busy open-model run warms its socket path against perfctl's own sink, whose connections
// and thread are closed only after the run (run-load.ts). The process must still end by itself
// once the report is written: `perfctl run` at 3,000/s for 1 s exits 0 within seconds, and the
// service saw exactly the run's requests.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { assertBuilt, describeRun, makeTempDir, readResultFile, removeTempDir, runCli, writeProfile } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let dir: string | undefined;
let server: TestServer | undefined;

beforeAll(() => assertBuilt());
afterEach(async () => {
  await server?.close();
  server = undefined;
  removeTempDir(dir);
  dir = undefined;
});

describe('a busy run (with a socket warm-up)', () => {
  it('ends its process by itself after the report, with only the run reaching the service', async () => {
    server = await startTestServer();
    dir = makeTempDir();
    const profile = writeProfile(
      dir,
      'busy.yaml',
      ['name: busy', `baseUrl: ${server.url}`, 'stages: [ { duration: 1s, rate: 3000 } ]', 'requests:', '  - { name: ping, path: / }', ''].join('\n'),
    );
    const out = join(dir, 'out');
    const run = await runCli(['run', profile, '--out', out, '--quiet'], { timeoutMs: 20_000 });
    expect(run.code, describeRun(run)).toBe(0);
    // 1 s of load, the ~0.9 s head start and the report: a process kept open by the sink ran into the timeout
    expect(run.elapsedMs).toBeLessThan(10_000);
    expect(server.seen.requests).toBe(3000);
    expect(readResultFile(out).totals.requests).toBe(3000);
  });
});
