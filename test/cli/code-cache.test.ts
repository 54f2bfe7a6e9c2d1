import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
}

/** Loads `file` in a fresh Node.js process, as bin.cjs does, and reports what became of the cache. */
function loadInChild(file: string, env: Record<string, string> = {}): Report {
  const script =
    `import { loadWithCodeCache } from ${JSON.stringify(CODE_CACHE_MODULE)};\n` +
    `const bundle = loadWithCodeCache(${JSON.stringify(file)});\n` +
    "const imported = (await bundle.exports.load('data:text/javascript,export default 7;')).default;\n" +
    'const saved = bundle.saveCache();\n' +
    'console.log(JSON.stringify({ cache: bundle.cache, value: bundle.exports.value, imported, saved }));\n';
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out) as Report;
}

/** SHA-1 of a text, as the cache's first line holds it. */
const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');

/**
 * Loads `file` twice in fresh processes: the first load finds the cache `first` and writes a new one,
 * the second uses it. Both run the code (`value`) and its import().
 */
function assertWrittenThenUsed(file: string, first: 'missing' | 'rejected', value: number): void {
  assert.deepEqual(loadInChild(file), { cache: first, value, imported: 7, saved: true });
  assert.deepEqual(loadInChild(file), { cache: 'accepted', value, imported: 7, saved: false });
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
    assert.deepEqual(loadInChild(file), { cache: 'missing', value: 42, imported: 7, saved: true });
    const cache = await readFile(`${file}.cache`);
    assert.equal(
      cache.toString('latin1', 0, 41),
      `${sha1(SOURCE)}\n`,
      'the first line is the SHA-1 of the code',
    );
    assert.ok(cache.length > 41, 'V8 data follows the first line');
    assert.deepEqual(loadInChild(file), { cache: 'accepted', value: 42, imported: 7, saved: false });
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
    assert.deepEqual(loadInChild(file, { JORM_CODE_CACHE: '0' }), {
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

  it('never throws when the cache cannot be written', async () => {
    const file = join(dir, 'unwritable.cjs');
    await writeFile(file, SOURCE);
    const bundle = loadWithCodeCache(file, { cacheFile: join(dir, 'no-such-dir', 'unwritable.cjs.cache') });
    assert.equal(bundle.cache, 'missing');
    assert.equal(bundle.saveCache(), false);
  });
});
