#!/usr/bin/env node
// The only place that touches the real process: everything else receives an Io.
// dist/bundle/ is the build's bundle of dist/ (scripts/bundle.mjs): one file per command to load.
import { main } from '../dist/bundle/perfctl.js';
import { nodeIo } from '../dist/bundle/io.js';

process.exitCode = await main(process.argv.slice(2), nodeIo());
