#!/usr/bin/env node
// The only place that touches the real process: everything else receives an Io.
// dist/bundle/ is the build's CommonJS bundle of dist/ (scripts/bundle.mjs): one file per command
// to load, compiled with V8's code cache from the previous run (dist/compile-cache.js).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { installFromEnvironment } from '../dist/compile-cache.js';

const require = createRequire(import.meta.url);
installFromEnvironment(fileURLToPath(new URL('..', import.meta.url)), process.argv.slice(2));
const { main } = require('../dist/bundle/perfctl.cjs');
const { nodeIo } = require('../dist/bundle/io.cjs');

process.exitCode = await main(process.argv.slice(2), nodeIo());
