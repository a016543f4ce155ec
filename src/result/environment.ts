// What a result records about where it ran, so it can be repeated and compared fairly.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { Result } from './types.js';

export function collectEnvironment(cwd: string): Result['environment'] {
  return {
    node: process.version,
    os: `${os.platform()} ${os.release()}`,
    cpus: os.cpus().length,
    host: os.hostname(),
    git: gitCommit(cwd),
  };
}

function gitCommit(cwd: string): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 }).toString().trim() || null;
  } catch {
    return null;
  }
}
