import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { loadWithCodeCache } from '../../src/cli/code-cache.js';

const CODE_CACHE_MODULE = new URL('../../src/cli/code-cache.js', import.meta.url).href;

/** A CommonJS module with a dynamic import, written as the bundle's (register-modules.ts). */
const SOURCE = `'use strict';
const path = require('node:path');
function twice(n) { return n * 2; }
exports.value = twice(21);
exports.base = path.basename(__filename);
exports.load = (url) => (typeof __jormImport === 'function' ? __jormImport(url) : import(url));
`;

interface Report {
  cache: string;
  value: number;
  /** What `import()` of a data: module gave inside the loaded code. */
  imported: number;
  saved: boolean;
  /** Whether Node.js's crypto module was loaded by then. */
  crypto: boolean;
}

/** Loads `file` in a fresh Node.js process, as bin.cjs does, and reports what became of the cache. */
function loadInChild(file: string, env: Record<string, string> = {}): Report {
  const script =
    `import { loadWithCodeCache } from ${JSON.stringify(CODE_CACHE_MODULE)};\n` +
    `const bundle = loadWithCodeCache(${JSON.stringify(file)});\n` +
    "const imported = (await bundle.exports.load('data:text/javascript,export default 7;')).default;\n" +
    'const crypto = process.moduleLoadList.includes("NativeModule crypto");\n' +
    'const saved = bundle.saveCache();\n' +
    'console.log(JSON.stringify({ cache: bundle.cache, value: bundle.exports.value, imported, saved, crypto }));\n';
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out) as Report;
}

/** A file's identity as the cache's first line holds it. */
async function identityOf(file: string): Promise<string> {
  const s = await stat(file, { bigint: true });
  return `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}:${s.dev}`;
}

/** SHA-1 of a text, as the cache's first line holds it. */
const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');

/**
 * Loads `file` twice in fresh processes: the first load finds the cache `first` and writes a new one,
 * the second uses it. Both run the code (`value`) and its import().
 */
function assertWrittenThenUsed(file: string, first: 'missing' | 'rejected', value: number): void {
  assert.deepEqual(withoutCrypto(loadInChild(file)), { cache: first, value, imported: 7, saved: true });
  assert.deepEqual(withoutCrypto(loadInChild(file)), { cache: 'accepted', value, imported: 7, saved: false });
}

/** A report without what it says of the crypto module. */
function withoutCrypto({ crypto: _, ...rest }: Report): Omit<Report, 'crypto'> {
  return rest;
}

describe('loading the bundle with a V8 code cache', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jorm-code-cache-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the cache when there is none, and V8 uses it at the next start', async () => {
    const file = join(dir, 'fresh.cjs');
    await writeFile(file, SOURCE);
    assert.deepEqual(withoutCrypto(loadInChild(file)), {
      cache: 'missing',
      value: 42,
      imported: 7,
      saved: true,
    });
    const cache = await readFile(`${file}.cache`);
    const header = cache.toString('latin1', 0, cache.indexOf(10));
    assert.equal(
      header,
      `${sha1(SOURCE)} ${await identityOf(file)}`,
      'the first line: SHA-1 and file identity',
    );
    assert.ok(cache.length > header.length + 1, 'V8 data follows the first line');
    assert.deepEqual(withoutCrypto(loadInChild(file)), {
      cache: 'accepted',
      value: 42,
      imported: 7,
      saved: false,
    });
  });

  it('does not hash, nor load crypto, when the file is the one the cache was checked against', async () => {
    const file = join(dir, 'unchanged.cjs');
    await writeFile(file, SOURCE);
    loadInChild(file);
    const report = loadInChild(file);
    assert.equal(report.cache, 'accepted');
    assert.equal(report.crypto, false, "Node.js's crypto module was not loaded");
  });

  it('uses the cache of the same code in another file (a fresh install), and updates its first line', async () => {
    const built = join(dir, 'built.cjs');
    await writeFile(built, SOURCE);
    loadInChild(built);
    // An installation: the same code and cache, in files of another identity.
    const installed = join(dir, 'installed.cjs');
    await writeFile(installed, SOURCE);
    await copyFile(`${built}.cache`, `${installed}.cache`);
    const first = loadInChild(installed);
    assert.deepEqual(
      { cache: first.cache, saved: first.saved, crypto: first.crypto },
      { cache: 'accepted', saved: true, crypto: true },
      'used after checking its SHA-1, and its first line rewritten',
    );
    const header = (await readFile(`${installed}.cache`, 'latin1')).split('\n', 1)[0];
    assert.equal(header, `${sha1(SOURCE)} ${await identityOf(installed)}`);
    const second = loadInChild(installed);
    assert.deepEqual(
      { cache: second.cache, saved: second.saved, crypto: second.crypto },
      {
        cache: 'accepted',
        saved: false,
        crypto: false,
      },
    );
  });

  it('hashes again an edited file of the same length and mtime (its change time moved)', async () => {
    const file = join(dir, 'touched.cjs');
    await writeFile(file, SOURCE);
    loadInChild(file);
    const before = await stat(file);
    const edited = SOURCE.replace('twice(21)', 'twice(30)');
    await writeFile(file, edited);
    await utimes(file, before.atime, before.mtime); // as `cp -p` or a tar extraction would
    assertWrittenThenUsed(file, 'missing', 60);
  });

  it('does not use the cache of other code of the same length (V8 would), and replaces it', async () => {
    const file = join(dir, 'rebuilt.cjs');
    await writeFile(file, SOURCE);
    loadInChild(file);
    const edited = SOURCE.replace('twice(21)', 'twice(12)');
    assert.equal(edited.length, SOURCE.length);
    await writeFile(file, edited);
    assertWrittenThenUsed(file, 'missing', 24);
  });

  it('runs the code when V8 refuses a damaged cache, and writes a good one', async () => {
    const file = join(dir, 'damaged.cjs');
    await writeFile(file, SOURCE);
    await writeFile(
      `${file}.cache`,
      Buffer.concat([Buffer.from(`${sha1(SOURCE)}\n`), Buffer.alloc(4096, 7)]),
    );
    assertWrittenThenUsed(file, 'rejected', 42);
  });

  it('is off with JORM_CODE_CACHE=0: plain require, nothing written', async () => {
    const file = join(dir, 'off.cjs');
    await writeFile(file, SOURCE);
    assert.deepEqual(withoutCrypto(loadInChild(file, { JORM_CODE_CACHE: '0' })), {
      cache: 'off',
      value: 42,
      imported: 7,
      saved: false,
    });
    await assert.rejects(readFile(`${file}.cache`), { code: 'ENOENT' });
  });

  it('gives require and import of the same file this instance, with CommonJS globals and import()', async () => {
    const file = join(dir, 'shared.cjs');
    await writeFile(file, SOURCE);
    const bundle = loadWithCodeCache(file);
    assert.equal(bundle.exports['base'], 'shared.cjs', '__filename is the file');
    const imported = (await import(pathToFileURL(file).href)) as { default: unknown };
    assert.equal(imported.default, bundle.exports, 'import() of the file gets the loaded exports');
    const again = loadWithCodeCache(file);
    assert.equal(again.exports, bundle.exports);
    assert.equal(again.cache, 'off', 'a file already loaded is not compiled again');
    const load = bundle.exports['load'] as (url: string) => Promise<{ default: number }>;
    const data = await load('data:text/javascript,export default 7;');
    assert.equal(data.default, 7, 'import() inside the cached code uses the ES module loader');
  });

  it('reads a module that is not ASCII as UTF-8, with its line numbers as in the file', async () => {
    const file = join(dir, 'utf8.cjs');
    await writeFile(
      file,
      "'use strict';\nexports.word = 'naïve → ✓';\nexports.line = () => new Error('here').stack.split('\\n')[1];\n",
    );
    const bundle = loadWithCodeCache(file);
    assert.equal(bundle.exports['word'], 'naïve → ✓');
    const where = (bundle.exports['line'] as () => string)();
    assert.match(where, /utf8\.cjs:3:\d+/, `the stack names line 3 of the file: ${where}`);
  });

  it('never throws when the cache cannot be written', async () => {
    const file = join(dir, 'unwritable.cjs');
    await writeFile(file, SOURCE);
    const bundle = loadWithCodeCache(file, { cacheFile: join(dir, 'no-such-dir', 'unwritable.cjs.cache') });
    assert.equal(bundle.cache, 'missing');
    assert.equal(bundle.saveCache(), false);
  });
});
