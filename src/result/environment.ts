// What a result records about where it ran, so it can be repeated and compared fairly.
import os from 'node:os';
import { gitHead } from './git-head.js';
import type { Result } from './types.js';

export function collectEnvironment(cwd: string): Result['environment'] {
  return {
    node: process.version,
    os: `${os.platform()} ${os.release()}`,
    cpus: os.cpus().length,
    host: os.hostname(),
    git: gitHead(cwd),
  };
}
