/**
 * Loading jorm's bundle (`dist/jorm.cjs`) with a V8 code cache, so the `jorm` executable does not parse
 * and compile the same 800 KB of JavaScript at every start.
 *
 * Node.js 20 has no compile cache of its own for user code (`module.enableCompileCache` is 22.1+), but
 * `vm.Script` takes V8's cached data: the bundle is compiled as Node.js's CommonJS loader would compile it
 * (its wrapper, registered in `require.cache`, so `import 'jorm'` from a `--register` module gets this
 * very instance), with the cache beside it (`jorm.cjs.cache`, like Python's `__pycache__`).
 *
 * The cache file starts with one line: the SHA-1 of the code it was made from, and the identity of the
 * bundle file it was last checked against (size, modification and change times in ns, inode, device).
 * V8 itself checks only the code's length (and refuses data of another V8 version or other V8 flags), so
 * a rebuilt or edited bundle of the same length would otherwise run the old code. When the file's
 * identity is the one recorded, the file has not been written since its SHA-1 was checked (its change
 * time moves with every write, and nothing can set it back), so the code is not hashed again: the hash
 * and Node.js's `crypto` module cost a start several ms. A file of another identity (a fresh install, a
 * copy, an edit) is hashed; the cache is used when the SHA-1 matches, and its first line is brought up to
 * date. A cache that is missing, of other code or refused is written again when the command ends, best
 * effort (an installation that cannot be written to just runs without one, or hashes at every start).
 * `JORM_CODE_CACHE=0` turns it off.
 * @module
 */

import { isAscii } from 'node:buffer';
import {
  type BigIntStats,
  closeSync,
  fstatSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { cryptoLib } from '../libraries.js';

/** What became of the cache when a bundle was loaded. */
export type CodeCacheStatus =
  /** Used by V8: the bundle was not compiled again. */
  | 'accepted'
  /** There was none, or one of other code. */
  | 'missing'
  /** V8 refused it (another Node.js version, other V8 flags, or damaged). */
  | 'rejected'
  /** Not used: `JORM_CODE_CACHE=0`, or the file was already loaded. */
  | 'off';

/** A bundle loaded by {@link loadWithCodeCache}. */
export interface LoadedBundle {
  /** The bundle's `module.exports`. */
  readonly exports: Record<string, unknown>;
  /** What became of its cache. */
  readonly cache: CodeCacheStatus;
  /**
   * Writes a fresh cache when the one found was not used (`missing` or `rejected`), or the first line of
   * one used for a file of another identity, and returns whether it wrote. Call it when the work is done,
   * so a fresh cache holds the functions compiled meanwhile, and before changing V8's flags (V8 refuses
   * data made under other flags). Never throws.
   */
  saveCache(): boolean;
}

/** Options of {@link loadWithCodeCache}. */
export interface CodeCacheOptions {
  /** Where the cache is. @defaultValue the bundle's path + `.cache` */
  cacheFile?: string;
  /** Environment read for `JORM_CODE_CACHE`. @defaultValue `process.env` */
  env?: NodeJS.ProcessEnv;
}

/**
 * The CommonJS wrapper, with one more parameter: `__jormImport`, an `import()` made here. Code that comes
 * from a V8 code cache loses the loader of its own `import()` calls (it throws "A dynamic import callback
 * was not specified"), so the bundle imports `--register` modules through this one
 * (src/distributed/register-modules.ts).
 */
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname, __jormImport) { ';
const WRAPPER_TAIL = '\n})';

/** `import()` from code that Node.js compiled itself. */
const importModule = (specifier: string): Promise<unknown> => import(specifier);

/** A cache file: the first line's SHA-1 and file identity, and V8's data. */
interface CacheFile {
  hash: string;
  identity: string;
  data: Buffer;
}

/** The longest first line a cache file has. */
const MAX_HEADER = 200;

/** Reads a cache file, or undefined when there is none (or its first line is not one). */
function readCache(file: string): CacheFile | undefined {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return undefined;
  }
  const end = data.subarray(0, MAX_HEADER).indexOf(10);
  if (end < 40 || end + 1 >= data.length) return undefined;
  const [hash = '', identity = ''] = data.toString('latin1', 0, end).split(' ');
  return { hash, identity, data: data.subarray(end + 1) };
}

/** What identifies one version of a file on this machine: size, modification and change times, inode, device. */
function fileIdentity(s: BigIntStats): string {
  return `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}:${s.dev}`;
}

/**
 * The file's bytes inside the CommonJS wrapper, read into one buffer: its source is then one string,
 * where `WRAPPER_HEAD + text + WRAPPER_TAIL` made V8 copy all of the text once more to flatten it
 * (a fresh 840 KB: some 200 page faults). `code` is the file's own bytes, within `source`.
 */
function readWrapped(fd: number, size: number): { source: Buffer; code: Buffer } {
  const head = WRAPPER_HEAD.length; // the wrapper is ASCII: one byte a character
  const source = Buffer.allocUnsafeSlow(head + size + WRAPPER_TAIL.length);
  source.write(WRAPPER_HEAD, 0, 'latin1');
  let read = 0;
  while (read < size) {
    const n = readSync(fd, source, head + read, size - read, read);
    if (n === 0) break; // the file shrank since its stat: take what is there
    read += n;
  }
  source.write(WRAPPER_TAIL, head + read, 'latin1');
  const end = head + read + WRAPPER_TAIL.length;
  return { source: source.subarray(0, end), code: source.subarray(head, head + read) };
}

/** The SHA-1 of the code, as the cache's first line holds it. */
function sha1(code: Buffer): string {
  return cryptoLib().createHash('sha1').update(code).digest('hex');
}

/** Writes a cache by renaming a complete temporary file over it, so no reader sees half of one. */
function writeCache(file: string, hash: string, identity: string, data: Buffer): boolean {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, Buffer.concat([Buffer.from(`${hash} ${identity}\n`, 'latin1'), data]));
    renameSync(temporary, file);
    return true;
  } catch {
    try {
      unlinkSync(temporary);
    } catch {
      // Nothing was written.
    }
    return false;
  }
}

/**
 * Loads the CommonJS file `file` as `require(file)` would, compiled with its V8 code cache when there is
 * a usable one. A file already in `require.cache` is returned from there.
 */
export function loadWithCodeCache(file: string, options: CodeCacheOptions = {}): LoadedBundle {
  const env = options.env ?? process.env;
  const require = createRequire(file);
  const cached = require.cache[file];
  if (env['JORM_CODE_CACHE'] === '0' || cached) {
    const exports = (cached ? cached.exports : require(file)) as Record<string, unknown>;
    return { exports, cache: 'off', saveCache: () => false };
  }
  const cacheFile = options.cacheFile ?? `${file}.cache`;
  const fd = openSync(file, 'r');
  let wrapped: { source: Buffer; code: Buffer };
  let identity: string;
  try {
    const stats = fstatSync(fd, { bigint: true });
    identity = fileIdentity(stats);
    wrapped = readWrapped(fd, Number(stats.size));
  } finally {
    closeSync(fd);
  }
  const code = wrapped.code;
  const found = readCache(cacheFile);
  // Hashed only when the file is not the one the cache was last checked against.
  const stale = found !== undefined && found.identity !== identity;
  let hash = stale ? sha1(code) : found?.hash;
  const cachedData = found && hash === found.hash ? found.data : undefined;
  // An ASCII file (the bundle is one) decodes four times faster as Latin-1, into a one-byte string.
  const source = wrapped.source.toString(isAscii(code) ? 'latin1' : 'utf8');
  const script = new vm.Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const cache: CodeCacheStatus = !cachedData
    ? 'missing'
    : script.cachedDataRejected
      ? 'rejected'
      : 'accepted';
  // Registered before it runs, as the CommonJS loader does, so `require(file)` and `import` of the same
  // file (a --register module importing 'jorm') get this instance.
  const module = new Module(file);
  module.filename = file;
  require.cache[file] = module;
  try {
    const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
    wrapper.call(module.exports, module.exports, require, module, file, path.dirname(file), importModule);
  } catch (error) {
    delete require.cache[file];
    throw error;
  }
  module.loaded = true;
  let saved = false;
  return {
    exports: module.exports as Record<string, unknown>,
    cache,
    saveCache: () => {
      if (saved || (cache === 'accepted' && !stale)) return false;
      saved = true;
      let data: Buffer;
      try {
        // A cache used as it was only needs its first line brought up to date.
        data = cache === 'accepted' && cachedData ? cachedData : script.createCachedData();
        hash ??= sha1(code);
      } catch {
        return false;
      }
      return writeCache(cacheFile, hash, identity, data);
    },
  };
}
