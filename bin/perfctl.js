#!/usr/bin/env node
// The only place that touches the real process: everything else receives an Io.
import { main } from '../dist/cli/main.js';
import { nodeIo } from '../dist/io.js';

process.exitCode = await main(process.argv.slice(2), nodeIo());
