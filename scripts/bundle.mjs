// Build step: bundle the built CLI (dist/cli/main.js and dist/io.js, with the libraries they
// import) into dist/bundle/, which bin/perfctl.js loads. Node resolves, reads and links ~400
// module files for a run from dist/ and node_modules/; one bundle with a chunk per lazily
// imported command costs a third of that (importing `run`: ~115 -> ~45 ms of CPU at every start).
// Left out of the bundle: node's own modules; what perfctl loads with require() at run time
// (undici, ws, ajv's runtime, the handlebars runtime, hdr-histogram-js: each loaded where it
// is needed); and OpenTelemetry, which loads only with `--export otlp`. Worker threads and the
// demo's process start from the unbundled files in dist/, which stay. No module in the bundle
// may use top-level await (CommonJS has none).
import { readdirSync, readFileSync, rmSync } from 'node:fs';
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
  plugins: [fastStringWidth()],
  // CommonJS, not ES modules: Node compiles an ES module's whole text up front and links every
  // import through its ES loader (~10 ms more per start), and only CommonJS can be compiled with
  // V8's code cache on Node 20 (src/compile-cache.ts)
  output: { dir: out, format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunk-[name]-[hash].cjs' },
});
// import() of a module outside the bundle would fail once a file comes from V8's code cache (Node 20
// loses the dynamic-import callback of a cached script): node's modules are imported statically
for (const file of readdirSync(out)) {
  const text = readFileSync(join(out, file), 'utf8');
  const found = /\bimport\(\s*["'][^"'.][^"']*["']\s*\)/.exec(text);
  if (found) throw new Error(`dist/bundle/${file}: ${found[0]} (import it statically: see scripts/bundle.mjs)`);
}
console.log('bundled the CLI into dist/bundle/');

/** cli-table3's `string-width` is scripts/bundle/string-width.cjs in the bundle (see there why). */
function fastStringWidth() {
  const replacement = join(root, 'scripts', 'bundle', 'string-width.cjs');
  return {
    name: 'fast-string-width',
    resolveId(source, importer) {
      if (source === 'string-width' && importer !== undefined && /[\\/]cli-table3[\\/]/.test(importer)) return replacement;
      return null;
    },
  };
}
