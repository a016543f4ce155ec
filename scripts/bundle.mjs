// Build step: bundle the built CLI (dist/cli/main.js and dist/io.js, with the libraries they
// import) into dist/bundle/, which bin/perfctl.js loads. Node resolves, reads and links ~400
// module files for a run from dist/ and node_modules/; one bundle with a chunk per lazily
// imported command costs a third of that (importing `run`: ~115 -> ~45 ms of CPU at every start).
// Left out of the bundle: node's own modules; what perfctl loads with require() at run time
// (undici, ws, ajv's runtime, the handlebars runtime, hdr-histogram-js: each loaded where it
// is needed); and OpenTelemetry, which loads only with `--export otlp`. Worker threads and the
// demo's process start from the unbundled files in dist/, which stay.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'bundle');
rmSync(out, { recursive: true, force: true });
await build({
  input: { perfctl: join(root, 'dist', 'cli', 'main.js'), io: join(root, 'dist', 'io.js') },
  platform: 'node',
  external: [/^node:/, /^@opentelemetry\//],
  logLevel: 'warn',
  output: { dir: out, format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'chunk-[name]-[hash].js' },
});
console.log('bundled the CLI into dist/bundle/');
