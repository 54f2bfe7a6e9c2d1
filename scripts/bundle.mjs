/**
 * Second step of `npm run build` (after `tsc`): bundles the library and the CLI into one CommonJS file,
 * `dist/jorm.cjs`, and makes the two entry points:
 *
 *   dist/index.js    the library (`import … from 'jorm'`): the bundle's `library()`, export by export
 *   dist/cli/bin.cjs the `jorm` executable (src/cli/bundled-bin.ts): loads the bundle with a V8 code
 *                    cache, dist/jorm.cjs.cache for the commands that run tasks and
 *                    dist/jorm.cjs.inspect.cache for the others, which this script then makes by running
 *                    a small DAG and validating it
 *
 * The bundle's own exports are `main` (the CLI) and `library()`, which initializes the library's modules
 * on first call: the executable initializes only the modules of the command it runs (each command is
 * loaded on demand), not the whole API (about 1% of a one-task run's instructions).
 *
 * Why one file: Node.js 20 spends about 0.3 ms resolving, reading and compiling each ES module, and
 * `jorm run` loaded some 140 of them. Why CommonJS: `vm.Script` takes a code cache and Node.js 20 has no
 * other way to give one to user code; a CommonJS executable also skips starting the ES module loader.
 * `commander` (every command uses it) and better-sqlite3's JavaScript are bundled too; the other
 * packages, and better-sqlite3's compiled addon, stay external, loaded from node_modules when needed. Library and CLI share the one instance (bin.cjs registers it in
 * `require.cache`), so a `jorm run --register` module that imports 'jorm' sees the CLI's classes.
 * `tsc`'s per-module output stays in dist/ beside the bundle: its `.d.ts` files are the package's types,
 * and the benchmark scripts import single modules from it. Measured in docs/performance.md.
 */

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
/** Dependencies bundled into dist/jorm.cjs; the others are loaded from node_modules at run time. */
const BUNDLED = new Set(['commander', 'better-sqlite3']);
const external = [
  ...Object.keys(packageJson.dependencies).filter((name) => !BUNDLED.has(name)),
  // better-sqlite3 finds its addon through `bindings` only without the nativeBinding option, which jorm
  // gives it (src/libraries.ts); the addon itself is loaded from node_modules.
  'bindings',
];

/** CommonJS output has no `import.meta.url`: each file gets its own from `__filename`. */
const commonJs = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'import.meta.url': '__jormModuleUrl' },
  banner: {
    js: "'use strict';\nconst __jormModuleUrl = require('node:url').pathToFileURL(__filename).href;",
  },
};

const require = createRequire(import.meta.url);
/** The folder of an installed package (from its entry point up to its package.json). */
function packageDir(name) {
  for (let dir = path.dirname(require.resolve(name)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).name === name) return dir;
  }
  throw new Error(`cannot find the folder of the package ${name}`);
}
/** The bundled packages' names, versions, copyrights and licences, at the top of the bundle. */
const notices = [...BUNDLED].map((name) => {
  const dir = packageDir(name);
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const copyright = readFileSync(path.join(dir, 'LICENSE'), 'utf8').match(/^Copyright .*$/m)?.[0];
  return `// Includes ${name} ${pkg.version}: ${copyright ?? 'see its LICENSE'}; ${pkg.license} licence (its LICENSE file).`;
});

const bundleFile = path.join(dist, 'jorm.cjs');
await build({
  ...commonJs,
  banner: { js: `${notices.join('\n')}\n${commonJs.banner.js}` },
  stdin: {
    contents:
      "export { main } from './src/cli/main.ts';\n" +
      "export function library() { return require('./src/index.ts'); }\n",
    resolveDir: root,
    sourcefile: 'jorm-bundle.ts',
    loader: 'ts',
  },
  external,
  outfile: bundleFile,
  sourcemap: true,
});
// esbuild escapes every non-ASCII character of the code (its default `charset: 'ascii'`) but not of the
// comments it keeps: replacing those few makes the file ASCII, which bin.cjs decodes as Latin-1 (1.5 ms
// sooner than UTF-8 for 800 KB). One UTF-16 unit for one keeps the source map's columns.
writeFileSync(bundleFile, readFileSync(bundleFile, 'utf8').replace(/[\u0080-\uffff]/g, '?'));
const bundleHash = createHash('sha1').update(readFileSync(bundleFile)).digest('hex');

const bin = path.join(dist, 'cli', 'bin.cjs');
await build({
  ...commonJs,
  entryPoints: [path.join(root, 'src', 'cli', 'bundled-bin.ts')],
  outfile: bin,
});
chmodSync(bin, 0o755);

// `main` is exported by the bundle for bin.cjs; it is not part of the typed API in index.d.ts.
// The library entry names every export of the API, which it takes from `library()` when it is imported.
const api = Object.keys(require(bundleFile).library()).sort();
if (api.length < 100 || !api.includes('NativeExecutor'))
  throw new Error(`the bundle's library() has ${api.length} exports`);
writeFileSync(
  path.join(dist, 'index.js'),
  [
    "// jorm's library API: the modules of dist/jorm.cjs initialize on the first import of this file.",
    "import bundle from './jorm.cjs';",
    '',
    'const api = bundle.library();',
    `export const {\n${api.map((name) => `  ${name},`).join('\n')}\n} = api;`,
    'export const { main } = bundle;',
    '',
  ].join('\n'),
);
// The code caches of the commands that run tasks and of the others (src/cli/bundled-bin.ts).
const caches = ['jorm.cjs.cache', 'jorm.cjs.inspect.cache'];
for (const stale of ['jorm.js', 'jorm.js.map', 'index.js.map', 'cli/bin.js.map', ...caches]) {
  rmSync(path.join(dist, stale), { force: true });
}

// The code caches: bin.cjs writes one when a command ends without it. One small run (with state, V8
// untuned so the cache fits an untuned start) compiles the functions of the commands that run tasks;
// validating the same DAG, those of the others.
const work = mkdtempSync(path.join(tmpdir(), 'jorm-build-'));
try {
  const dag = path.join(work, 'warm-up.jorm');
  writeFileSync(
    dag,
    'task a {\n  type: shell\n  command: "echo a"\n}\n' +
      'task b {\n  type: shell\n  command: "echo b"\n  depends_on: [a]\n}\n',
  );
  for (const command of ['run', 'validate']) {
    execFileSync(process.execPath, [bin, command, dag], {
      cwd: work,
      env: { ...process.env, JORM_V8_TUNING: '0', JORM_CODE_CACHE: '1', NO_COLOR: '1' },
      stdio: 'ignore',
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
for (const name of caches) {
  const cache = readFileSync(path.join(dist, name));
  if (cache.toString('latin1', 0, bundleHash.length + 1) !== `${bundleHash} `) {
    throw new Error(`the warm-up did not write dist/${name}`);
  }
}
