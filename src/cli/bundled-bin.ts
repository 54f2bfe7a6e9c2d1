#!/usr/bin/env node
/**
 * The `jorm` executable of the published package, `dist/cli/bin.cjs` (scripts/bundle.mjs builds it from
 * this file as CommonJS): loads the bundle `dist/jorm.cjs` with its V8 code cache (code-cache.ts), tunes
 * V8 for the commands that run tasks, and runs {@link main}.
 *
 * Two caches: `jorm.cjs.cache` for the commands that run tasks (`run`, `resume`, `worker`) and
 * `jorm.cjs.inspect.cache` for the others (`validate`, `graph`, `history`, …). V8 deserializes a whole
 * cache at the start, and the one of a run holds about twice the functions `jorm validate` needs: with
 * its own, `jorm validate` took 290 fewer page faults and 159 instead of 166 ms (30 interleaved runs,
 * a slow day of this virtual machine).
 *
 * A cache V8 could not use (missing, of another Node.js, made under other V8 flags) is written again when
 * the command ends, so that it holds the functions the command compiled. A command that runs tasks then
 * keeps V8's defaults for once: V8 would refuse a cache made after the tuning at the next start (it checks
 * its flags), and one written before the command ran (what jorm did until session 7) held only the
 * functions of the loading, so every later run compiled the rest from source again (8 ms and 50 million
 * instructions more for a one-task run).
 * @module
 */

import { fileURLToPath } from 'node:url';
import { cryptoLib } from '../libraries.js';
import { loadWithCodeCache } from './code-cache.js';
import type { main } from './main.js';
import { runsTasks, tuneV8ForCommand, wantsV8Tuning } from './v8-tuning.js';

/** What bin.cjs uses of the bundle's exports. */
interface BundleEntry {
  main: typeof main;
}

const argv = process.argv.slice(2);
const bundleFile = fileURLToPath(new URL('../jorm.cjs', import.meta.url));
const bundle = loadWithCodeCache(bundleFile, {
  cacheFile: runsTasks(argv) ? `${bundleFile}.cache` : `${bundleFile}.inspect.cache`,
});
const { main: run } = bundle.exports as unknown as BundleEntry;
const unusable = bundle.cache === 'missing' || bundle.cache === 'rejected';
const tuned = wantsV8Tuning(argv) && !unusable;
if (tuned) {
  // Brings the first line of a cache used for a file of another identity up to date (see code-cache.ts).
  bundle.saveCache();
  // A run makes ids, tokens and a DAG hash: load Node.js's crypto (which jorm loads on first use) before
  // the tuning, since afterwards V8 would refuse Node.js's code cache for it and compile it from source.
  cryptoLib();
  tuneV8ForCommand(argv);
}
run(argv).then((code) => {
  process.exitCode = code;
  if (!tuned) bundle.saveCache();
});
