import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { runJorm } from '../helpers/cli.js';

// The published build (npm run build, which `npm install` and `npm ci` run through `prepare`): the
// bundle dist/jorm.cjs behind dist/index.js and dist/cli/bin.cjs. The other tests run the tsc build.
const DIST = resolve('dist');
const BIN = join(DIST, 'cli', 'bin.cjs');

/**
 * A copy of the executable and the bundle, without their cache, removed after the test. Inside the
 * repository, so that the bundle finds its dependencies in node_modules.
 */
async function copyOfPackage(): Promise<string> {
  await mkdir(resolve('test-output'), { recursive: true });
  const copy = await mkdtemp(join(resolve('test-output'), 'package-'));
  after(() => rm(copy, { recursive: true, force: true }));
  await mkdir(join(copy, 'cli'));
  await copyFile(join(DIST, 'jorm.cjs'), join(copy, 'jorm.cjs'));
  await copyFile(BIN, join(copy, 'cli', 'bin.cjs'));
  return copy;
}

describe('the published bundle (dist/)', () => {
  let dir: string;
  before(async () => {
    assert.ok(existsSync(join(DIST, 'jorm.cjs')), 'dist/jorm.cjs is missing: run npm run build first');
    dir = await mkdtemp(join(tmpdir(), 'jorm-bundle-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exports the same API as the sources, plus the CLI entry main', async () => {
    const bundled = await import(pathToFileURL(join(DIST, 'index.js')).href);
    const built = await import(new URL('../../src/index.js', import.meta.url).href);
    assert.deepEqual(Object.keys(bundled).sort(), [...Object.keys(built), 'main'].sort());
    assert.equal(typeof bundled.NativeExecutor, 'function');
  });

  it('validates, runs with state, and shows the run', async () => {
    const file = join(dir, 'two.jorm');
    await writeFile(
      file,
      'task a {\n  type: shell\n  command: "echo from-a"\n}\n' +
        'task b {\n  type: shell\n  command: "echo from-b"\n  depends_on: [a]\n}\n',
    );
    const validate = await runJorm(['validate', file], { cli: BIN });
    assert.equal(validate.code, 0, validate.stderr);
    assert.match(validate.stdout, /ok, dag "two": 2 tasks, 1 edge, longest chain 2/);
    const run = await runJorm(['run', file, '--json'], { cli: BIN, cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { executionId: string; status: string };
    assert.equal(result.status, 'success');
    const logs = await runJorm(['logs', result.executionId, 'b'], { cli: BIN, cwd: dir });
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /from-b/);
  });

  it('gives a module loaded with --register the same classes (its ConfigurationError keeps its code)', async () => {
    const file = join(dir, 'custom.jorm');
    await writeFile(file, 'task picky {\n  type: refuses\n}\n');
    const module = resolve('test/fixtures/executors/package-errors.mjs');
    const run = await runJorm(['run', file, '--register', module, '--json', '--no-state'], { cli: BIN });
    assert.equal(run.code, 1, run.stderr);
    const result = JSON.parse(run.stdout) as {
      taskResults: Record<string, { error?: { code: string; message: string } }>;
    };
    assert.deepEqual(result.taskResults['picky']?.error, {
      code: 'CONFIGURATION_ERROR',
      message: 'refused on purpose',
    });
  });

  it('ships code caches of this very bundle, and a copy whose cache is refused still runs and heals it', async () => {
    const code = await readFile(join(DIST, 'jorm.cjs'));
    const hash = createHash('sha1').update(code).digest('hex');
    for (const name of ['jorm.cjs.cache', 'jorm.cjs.inspect.cache']) {
      const shipped = await readFile(join(DIST, name));
      assert.equal(shipped.toString('latin1', 0, hash.length + 1), `${hash} `, `${name} names the bundle`);
    }
    const cache = await readFile(join(DIST, 'jorm.cjs.inspect.cache'));

    // A copy of the package files with a damaged cache: V8 refuses it, the command still works, and the
    // cache is written again when the command ends (validate does not retune V8, so it saves at the end).
    // validate has a cache of its own: the one of the commands that run tasks is left alone.
    const copy = await copyOfPackage();
    const damaged = Buffer.concat([Buffer.from(`${hash}\n`), Buffer.alloc(cache.length, 1)]);
    await writeFile(join(copy, 'jorm.cjs.inspect.cache'), damaged);
    await writeFile(join(copy, 'jorm.cjs.cache'), 'the cache of run\n');
    const file = join(dir, 'one.jorm');
    await writeFile(file, 'task a {\n  type: shell\n  command: "true"\n}\n');
    const validate = await runJorm(['validate', file], { cli: join(copy, 'cli', 'bin.cjs') });
    assert.equal(validate.code, 0, validate.stderr);
    assert.match(validate.stdout, /ok, dag "one": 1 task/);
    const healed = await readFile(join(copy, 'jorm.cjs.inspect.cache'));
    assert.equal(healed.toString('latin1', 0, hash.length), hash);
    assert.notDeepEqual(healed, damaged, 'the refused cache was replaced');
    assert.equal(await readFile(join(copy, 'jorm.cjs.cache'), 'utf8'), 'the cache of run\n');
  });

  it('a run that finds no usable cache writes a whole one when it ends, which the next run uses as it is', async () => {
    // Until session 7 a run wrote it right after loading (before tuning V8), with only the loading's
    // functions in it: every later run then compiled the rest from source.
    const shipped = await readFile(join(DIST, 'jorm.cjs.cache'));
    const copy = await copyOfPackage();
    await writeFile(join(copy, 'jorm.cjs.cache'), 'not a cache\n');
    const file = join(dir, 'heal.jorm');
    await writeFile(file, 'task a {\n  type: shell\n  command: "echo healed"\n}\n');
    const cli = join(copy, 'cli', 'bin.cjs');
    const first = await runJorm(['run', file, '--no-state'], { cli });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /a +success/);
    const healed = await readFile(join(copy, 'jorm.cjs.cache'));
    assert.ok(!existsSync(join(copy, 'jorm.cjs.inspect.cache')), "a run writes only its own commands' cache");
    assert.ok(
      healed.length > shipped.length * 0.8,
      `the new cache holds the run's functions: ${healed.length} bytes, the shipped one ${shipped.length}`,
    );
    const second = await runJorm(['run', file, '--no-state'], { cli });
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(await readFile(join(copy, 'jorm.cjs.cache')), healed, 'the next run used it as it was');
  });

  it('loads the dashboard (and Node.js http) only for a dashboard, and crypto only for what needs it', async () => {
    const file = join(dir, 'lazy.jorm');
    await writeFile(file, 'task a {\n  type: shell\n  command: "true"\n}\n');
    // Lists, at exit, the built-in modules the process loaded.
    const probe = join(dir, 'list-builtins.cjs');
    await writeFile(
      probe,
      "process.on('exit', () => process.stderr.write('builtins: ' + require('node:module').builtinModules" +
        ".filter((m) => process.moduleLoadList.includes('NativeModule ' + m)).join(' ') + '\\n'));\n",
    );
    const validate = await runJorm(['validate', file], {
      cli: BIN,
      env: { NODE_OPTIONS: `--require ${probe}` },
    });
    assert.equal(validate.code, 0, validate.stderr);
    const loaded = /builtins: (.*)/.exec(validate.stderr)?.[1]?.split(' ') ?? [];
    assert.ok(loaded.includes('child_process'), `the probe lists built-in modules: ${loaded.join(' ')}`);
    assert.ok(!loaded.includes('http'), `jorm validate loaded http: ${loaded.join(' ')}`);
    // The shipped cache was checked against this bundle file when it was built: no hash, no crypto.
    assert.ok(!loaded.includes('crypto'), `jorm validate loaded crypto: ${loaded.join(' ')}`);
    const bundled = await import(pathToFileURL(join(DIST, 'index.js')).href);
    assert.equal(typeof bundled.startDashboardServer, 'function');
  });
});
