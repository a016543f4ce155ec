// The commit recorded in result.json, read from the repository's files (no git process).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitHead } from '../../src/result/git-head.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const root = mkdtempSync(join(tmpdir(), 'perfctl-git-head-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes files (path → content) under a fresh directory and returns it. */
function tree(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('gitHead from made-up repositories', () => {
  it.each<[string, Record<string, string>, string, string | null]>([
    ['a branch with a loose ref', { '.git/HEAD': 'ref: refs/heads/main\n', '.git/refs/heads/main': `${A}\n` }, '.', A],
    ['a branch only in packed-refs', { '.git/HEAD': 'ref: refs/heads/main\n', '.git/packed-refs': `# pack-refs with: peeled\n${B} refs/heads/other\n${A} refs/heads/main\n` }, '.', A],
    ['a loose ref wins over a stale packed one', { '.git/HEAD': 'ref: refs/heads/main\n', '.git/refs/heads/main': `${B}\n`, '.git/packed-refs': `${A} refs/heads/main\n` }, '.', B],
    ['a detached HEAD', { '.git/HEAD': `${B}\n` }, '.', B],
    ['from a subfolder', { '.git/HEAD': `${A}\n`, 'src/deep/x.txt': '' }, 'src/deep', A],
    ['a branch with no commit yet', { '.git/HEAD': 'ref: refs/heads/main\n' }, '.', null],
    ['a HEAD that is not a ref', { '.git/HEAD': 'garbage\n' }, '.', null],
    ['a linked worktree (.git file, commondir)', { 'main/.git/refs/heads/feature': `${B}\n`, 'main/.git/worktrees/wt/HEAD': 'ref: refs/heads/feature\n', 'main/.git/worktrees/wt/commondir': '../..\n', 'wt/.git': 'gitdir: ../main/.git/worktrees/wt\n' }, 'wt', B],
  ])('%s', (name, files, from, expected) => {
    const dir = tree(name.replace(/\W+/g, '-'), files);
    expect(gitHead(join(dir, from))).toBe(expected);
  });

  it('no repository above: null', () => {
    expect(gitHead(tree('plain', { 'x.txt': '' }))).toBeNull();
  });
});

describe('gitHead against git itself', () => {
  const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const hasGit = (() => {
    try {
      execFileSync('git', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.runIf(hasGit)('a real repository, after packing its refs, and a linked worktree on another commit', () => {
    const repo = join(root, 'real');
    mkdirSync(repo);
    const env = ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false'];
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, ...env, 'commit', '-q', '--allow-empty', '-m', 'one');
    expect(gitHead(repo)).toBe(git(repo, 'rev-parse', 'HEAD'));
    git(repo, 'pack-refs', '--all');
    expect(gitHead(repo)).toBe(git(repo, 'rev-parse', 'HEAD'));
    const worktree = join(root, 'real-wt');
    git(repo, 'worktree', 'add', '-q', '-b', 'side', worktree);
    git(worktree, ...env, 'commit', '-q', '--allow-empty', '-m', 'two');
    expect(gitHead(worktree)).toBe(git(worktree, 'rev-parse', 'HEAD'));
    expect(gitHead(worktree)).not.toBe(gitHead(repo));
  });
});
