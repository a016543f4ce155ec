// A run loads only the Node modules its protocols need (src/engine/lazy-builtins.ts): node:tls,
// node:http2 and node:https cost ~7 ms of CPU at every start, and a plain http:// run never
// uses them. The built CLI runs in a child process with a preload that lists, at exit, the
// built-in modules it loaded.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NGHTTP2_CANCEL, NGHTTP2_NO_ERROR, NGHTTP2_REFUSED_STREAM } from '../../src/engine/h2-transport.js';
import { assertBuilt, describeRun, makeTempDir, removeTempDir, runCli, writeProfile } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer | undefined;
let dir: string | undefined;

beforeAll(() => assertBuilt());
afterEach(async () => {
  await server?.close();
  server = undefined;
  removeTempDir(dir);
  dir = undefined;
});

/** The built-in modules (`node:` names) the CLI loaded for `args`, from process.moduleLoadList at exit. */
async function builtinsLoaded(args: string[]): Promise<string[]> {
  const listFile = join(dir!, 'modules.txt');
  const preload = join(dir!, 'list-modules.cjs');
  writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(listFile)}, process.moduleLoadList.join('\\n')));\n`);
  const run = await runCli(args, { cwd: dir, env: { NODE_OPTIONS: `--require ${preload}` } });
  expect(run.code, describeRun(run)).toBe(0);
  return readFileSync(listFile, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('NativeModule '))
    .map((line) => line.slice('NativeModule '.length));
}

describe('what a run loads (built CLI)', () => {
  it('a plain http:// run loads neither node:tls, node:http2 nor node:https, and sends all it should', async () => {
    server = await startTestServer();
    dir = makeTempDir('perfctl-loads-');
    const file = writeProfile(dir, 'plain', ['name: plain', `baseUrl: ${server.url}`, 'stages:', '  - { duration: 1s, rate: 20 }', 'requests:', '  - { name: ping, path: /ping }', ''].join('\n'));
    const loaded = await builtinsLoaded(['run', file, '--out', join(dir, 'out'), '--quiet']);
    expect(server.seen.requests).toBe(20);
    // the preload's own list is real: the modules a plain run needs are in it
    expect(loaded).toEqual(expect.arrayContaining(['net', 'zlib']));
    expect(loaded.filter((name) => ['tls', 'http2', 'https', '_tls_wrap'].includes(name))).toEqual([]);
  }, 60_000);
});

describe("HTTP/2's error codes, as h2-transport.ts spells them", () => {
  it.each([
    ['NO_ERROR', NGHTTP2_NO_ERROR, 'NGHTTP2_NO_ERROR'],
    ['REFUSED_STREAM', NGHTTP2_REFUSED_STREAM, 'NGHTTP2_REFUSED_STREAM'],
    ['CANCEL', NGHTTP2_CANCEL, 'NGHTTP2_CANCEL'],
  ])('%s is node:http2 constants.%s', async (_name, ours, constant) => {
    const http2 = await import('node:http2');
    expect(ours).toBe((http2.constants as Record<string, number>)[constant]);
  });
});
