// V8's code cache for perfctl's own CommonJS files (the CLI bundle, the precompiled validators
// and templates, its dependencies under its own folder): what V8 compiled in one run is reused by
// the next instead of parsed and compiled again. Node 22 has this built in (module.enableCompileCache);
// Node 20 does not. It takes ~40 ms of CPU off every command (a 1 s run: ~0.18 -> ~0.14 s).
//
// The cache lives in the user's cache folder (PERFCTL_CACHE_DIR, else $XDG_CACHE_HOME/perfctl,
// else ~/.cache/perfctl), one entry per source file, Node version and command. An entry starts
// with the size and modification time of the file it was made from, so a rebuilt or reinstalled
// file gets its entry replaced, not a new one beside it; V8 itself refuses an entry made by
// another V8 or with other flags. Entries are written when a process exits, atomically, only
// where none was usable. PERFCTL_COMPILE_CACHE=0 turns it off. Anything that goes wrong only
// costs the saving.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { Module, createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { Script, constants as vmConstants } from 'node:vm';

interface CompilingModule {
  exports: unknown;
  _compile(content: string, filename: string): unknown;
}
type Compile = CompilingModule['_compile'];
interface ModuleStatics {
  prototype: CompilingModule;
  wrap(content: string): string;
}

/** Where the cache goes, or undefined when it is off (pure: tested in a table). */
export function compileCacheDir(env: Record<string, string | undefined>, home: string, nodeVersion: string, arch: string): string | undefined {
  if (env['PERFCTL_COMPILE_CACHE'] === '0') return undefined;
  const base = env['PERFCTL_CACHE_DIR'] || (env['XDG_CACHE_HOME'] ? join(env['XDG_CACHE_HOME'], 'perfctl') : home ? join(home, '.cache', 'perfctl') : undefined);
  return base === undefined ? undefined : join(base, 'compile', `node-${nodeVersion}-${arch}`);
}

/** The command a cache entry is for: each command runs different code, so each keeps its own. */
export function commandOf(argv: readonly string[]): string {
  const first = argv[0] ?? '';
  return /^[a-z][a-z-]{0,30}$/.test(first) ? first : 'other';
}

/** The entry's file name: which file, for which command. */
export function entryName(filename: string, command: string): string {
  return `${createHash('sha256').update(`${filename}\0${command}`).digest('hex').slice(0, 32)}.v8cache`;
}

/** An entry: the source file's size and modification time, then V8's cached data. */
const HEADER_BYTES = 16;

export function packEntry(size: number, mtimeMs: number, cachedData: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeDoubleLE(size, 0);
  header.writeDoubleLE(mtimeMs, 8);
  return Buffer.concat([header, cachedData]);
}

/** V8's cached data from an entry made from this very file, else undefined. */
export function unpackEntry(entry: Buffer | undefined, size: number, mtimeMs: number): Buffer | undefined {
  if (entry === undefined || entry.length <= HEADER_BYTES) return undefined;
  if (entry.readDoubleLE(0) !== size || entry.readDoubleLE(8) !== mtimeMs) return undefined;
  return entry.subarray(HEADER_BYTES);
}

export interface CompileCacheStats {
  /** files compiled from an entry V8 accepted */
  used: number;
  /** files compiled without one (none yet, or refused): written at exit */
  missed: number;
}

/**
 * Compiles perfctl's CommonJS files under `root` with V8's code cache from `dir` (see the top of
 * this file). Returns live counts (PERFCTL_COMPILE_CACHE=debug prints them at exit).
 */
export function installCompileCache(root: string, dir: string | undefined, command: string): CompileCacheStats {
  const stats: CompileCacheStats = { used: 0, missed: 0 };
  if (dir === undefined || !ownedDir(dir)) return stats;
  const statics = Module as unknown as ModuleStatics;
  const original: Compile = statics.prototype._compile;
  const toWrite: { script: Script; path: string; size: number; mtimeMs: number }[] = [];
  const rootPrefix = root.endsWith(sep) ? root : root + sep;
  // one require per folder: it resolves the same for every file in it, and each createRequire
  // walks the folder's path character by character (node's _nodeModulePaths), which V8 then
  // compiled with its optimising compiler (~10 ms of CPU) at every run's end
  const requires = new Map<string, NodeJS.Require>();
  const requireFrom = (folder: string): NodeJS.Require => {
    let made = requires.get(folder);
    if (made === undefined) requires.set(folder, (made = createRequire(join(folder, 'index.js'))));
    return made;
  };

  statics.prototype._compile = function compileWithCache(this: CompilingModule, content: string, filename: string): unknown {
    if (!filename.startsWith(rootPrefix)) return original.call(this, content, filename);
    let path: string;
    let size: number;
    let mtimeMs: number;
    let cachedData: Buffer | undefined;
    try {
      ({ size, mtimeMs } = statSync(filename));
      path = join(dir, entryName(filename, command));
      cachedData = unpackEntry(readIfPresent(path), size, mtimeMs);
    } catch {
      return original.call(this, content, filename);
    }
    const script = new Script(statics.wrap(content), {
      filename,
      cachedData,
      // import() inside the file resolves as it would in a file Node compiled itself
      importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    if (cachedData !== undefined && !script.cachedDataRejected) stats.used++;
    else {
      stats.missed++;
      toWrite.push({ script, path, size, mtimeMs });
    }
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const folder = dirname(filename);
    return wrapper.call(this.exports, this.exports, requireFrom(folder), this, filename, folder);
  };

  // at exit the cache holds what this run compiled, lazily compiled functions included
  process.once('exit', () => {
    for (const { script, path, size, mtimeMs } of toWrite) {
      try {
        const temporary = `${path}.${process.pid}.tmp`;
        writeFileSync(temporary, packEntry(size, mtimeMs, script.createCachedData()), { mode: 0o600 });
        renameSync(temporary, path);
      } catch {
        // a read-only or full disk: the next run compiles as usual
      }
    }
    if (process.env['PERFCTL_COMPILE_CACHE'] === 'debug') process.stderr.write(`compile cache: ${stats.used} used, ${stats.missed} missed (${dir})\n`);
  });
  return stats;
}

/** Creates the folder (user-only) and makes sure no other user owns it: a cache entry is code. */
function ownedDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { uid, mode } = statSync(dir);
    const me = process.getuid?.();
    return (me === undefined || uid === me) && (mode & 0o022) === 0;
  } catch {
    return false;
  }
}

function readIfPresent(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** bin/perfctl.js: the cache for this process, from its environment. */
export function installFromEnvironment(root: string, argv: readonly string[]): CompileCacheStats {
  let home = '';
  try {
    home = homedir();
  } catch {
    // no home folder: only PERFCTL_CACHE_DIR or XDG_CACHE_HOME can place the cache
  }
  return installCompileCache(root, compileCacheDir(process.env, home, process.version, process.arch), commandOf(argv));
}
