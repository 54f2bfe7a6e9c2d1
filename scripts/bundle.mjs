/**
 * Second step of `npm run build` (after `tsc`): bundles the library and the CLI into one ES module,
 * `dist/jorm.js`, and points the two entry points at it:
 *
 *   dist/index.js    export * from './jorm.js'          (the library: `import … from 'jorm'`)
 *   dist/cli/bin.js  tunes V8, then import('../jorm.js') and runs main (the `jorm` executable)
 *
 * Why: Node.js 20 spends about 0.3 ms resolving, reading and compiling each ES module, and `jorm run`
 * loads some 140 of them; from one file it starts about 40 ms sooner (measured with hyperfine, see
 * docs/performance.md). Library and CLI share the one module, so a module loaded by
 * `jorm run --register` that imports 'jorm' sees the same classes as the CLI (`instanceof` holds).
 * Third-party packages stay external (loaded from node_modules, several of them only on first use).
 * `tsc`'s per-module output stays in dist/ beside the bundle: its `.d.ts` files are the package's types,
 * and the benchmark scripts import single modules from it.
 */

import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');

await build({
  stdin: {
    contents: "export * from './src/index.ts';\nexport { main } from './src/cli/main.ts';\n",
    resolveDir: root,
    sourcefile: 'jorm-bundle.ts',
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile: path.join(dist, 'jorm.js'),
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});

// `main` is exported by the bundle for bin.js; it is not part of the typed API in index.d.ts.
writeFileSync(path.join(dist, 'index.js'), "export * from './jorm.js';\n");
const bin = path.join(dist, 'cli', 'bin.js');
// As src/cli/bin.ts: tune V8 (tsc's dist/cli/v8-tuning.js and command-name.js, which import nothing of
// the rest of jorm), then load the bundle.
writeFileSync(
  bin,
  [
    '#!/usr/bin/env node',
    "import { tuneV8ForCommand } from './v8-tuning.js';",
    '',
    'const argv = process.argv.slice(2);',
    'tuneV8ForCommand(argv);',
    "const { main } = await import('../jorm.js');",
    'process.exitCode = await main(argv);',
    '',
  ].join('\n'),
);
chmodSync(bin, 0o755);
for (const stale of ['index.js.map', 'cli/bin.js.map']) rmSync(path.join(dist, stale), { force: true });
