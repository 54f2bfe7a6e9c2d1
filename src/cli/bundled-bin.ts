#!/usr/bin/env node
/**
 * The `jorm` executable of the published package, `dist/cli/bin.cjs` (scripts/bundle.mjs builds it from
 * this file as CommonJS): loads the bundle `dist/jorm.cjs` with its V8 code cache (code-cache.ts), tunes
 * V8 for the commands that run tasks, and runs {@link main}. A cache that was not used is written again: right away (before the tuning changes
 * V8's flags, which V8 would refuse it for) when the command runs tasks, else when the command is done,
 * so that it also holds the functions the command compiled.
 * @module
 */

import { fileURLToPath } from 'node:url';
import { cryptoLib } from '../libraries.js';
import { loadWithCodeCache } from './code-cache.js';
import type { main } from './main.js';
import { tuneV8ForCommand, wantsV8Tuning } from './v8-tuning.js';

/** What bin.cjs uses of the bundle's exports. */
interface BundleEntry {
  main: typeof main;
}

const argv = process.argv.slice(2);
const bundle = loadWithCodeCache(fileURLToPath(new URL('../jorm.cjs', import.meta.url)));
const { main: run } = bundle.exports as unknown as BundleEntry;
const tuned = wantsV8Tuning(argv);
if (tuned) {
  bundle.saveCache();
  // A run makes ids, tokens and a DAG hash: load Node.js's crypto (which jorm loads on first use) before
  // the tuning, since afterwards V8 would refuse Node.js's code cache for it and compile it from source.
  cryptoLib();
}
tuneV8ForCommand(argv);
run(argv).then((code) => {
  process.exitCode = code;
  if (!tuned) bundle.saveCache();
});
