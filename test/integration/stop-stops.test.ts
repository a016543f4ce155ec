// A stop stops (issue 19): SIGTERM during a run of many users against a service whose accept
// loop is stuck. Requests not yet on the wire (waiting for a connection, or on a connect the
// backlog never answers) are never sent: they are no requests of the run, counted apart as
// `interrupted.unsent`; those written get the 3 s drain and are counted `interrupted`. The
// process exits within the drain + 1 s, and the requests in the result are exactly the requests
// that reached the service. (Scaled down from the 200,000 users to fit CI.)
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validateResult } from '../../src/result/validate-result.js';
import { assertBuilt, describeRun, makeTempDir, readResultFile, removeTempDir, runCli, writeProfile } from '../helpers/cli.js';
import { startUnacceptingListener, type UnacceptingListener } from '../helpers/unaccepting-listener.js';

let listener: UnacceptingListener | undefined;
let dir: string | undefined;

beforeAll(() => assertBuilt());
afterEach(() => {
  listener?.stop();
  listener = undefined;
  removeTempDir(dir);
  dir = undefined;
});

const DRAIN_MS = 3000;

describe('SIGTERM against a listener that never accepts', () => {
  for (const backlog of [16, 512]) {
    it(`20,000 users, backlog ${backlog}: exit 130 within the drain + 1 s; the result's requests are the ones the service got`, { timeout: 60_000 }, async () => {
      listener = await startUnacceptingListener(backlog);
      dir = makeTempDir();
      const users = 20_000;
      const file = writeProfile(dir, 'stuck', ['name: stuck', `baseUrl: ${listener.url}`, 'stages:', `  - { duration: 30s, vus: ${users} }`, 'requests:', '  - { name: root, path: / }', ''].join('\n'));
      const out = join(dir, 'out');
      const run = await runCli(['run', file, '--out', out, '--no-progress'], { cwd: dir, signalAfterMs: { signal: 'SIGTERM', ms: 1500, from: 'stdout' }, timeoutMs: 40_000 });
      const seen = await listener.count();

      expect(run.code, describeRun(run)).toBe(130);
      expect(run.exitAfterSignalMs!, describeRun(run)).toBeLessThan(DRAIN_MS + 1000);
      const result = readResultFile(out);
      expect(validateResult(result)).toEqual([]);
      expect(result.status).toBe('interrupted');
      // what was written reached the service (queued in its backlog), and nothing else counts
      expect(result.totals.requests).toBe(seen.requests);
      expect(result.totals.errors).toBe(result.totals.requests);
      expect(result.totals.errorKinds).toEqual(result.totals.requests > 0 ? { interrupted: result.totals.requests } : {});
      // every user started one request: sent (and interrupted) or never sent
      const unsent = result.cells.reduce((sum, cell) => sum + (cell.counters?.['interrupted.unsent'] ?? 0), 0);
      expect(result.totals.requests + unsent).toBe(users);
      // a connect the service completed in its backlog carries at most one request
      expect(seen.requests).toBeLessThanOrEqual(seen.connections);
      expect(seen.connections).toBeLessThanOrEqual(backlog + 2);
      // and the summary says so
      expect(run.stdout).toContain(`Not sent: ${unsent.toLocaleString('en')} requests`);
      console.log(`[stop-stops] backlog ${backlog}: exit ${Math.round(run.exitAfterSignalMs!)} ms after SIGTERM; result ${result.totals.requests} requests + ${unsent} unsent; service ${seen.connections} connections, ${seen.requests} requests`);
    });
  }
});
