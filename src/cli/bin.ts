#!/usr/bin/env node
/**
 * The `jorm` executable of a `tsc` build. The published package runs `dist/cli/bin.cjs` instead (built
 * from `bundled-bin.ts`), which loads the bundle with its code cache; both load jorm's code, tune V8 for
 * the commands that run tasks (after loading, see v8-tuning.ts), and run the same {@link main}.
 * @module
 */

import { tuneV8ForCommand } from './v8-tuning.js';

const argv = process.argv.slice(2);
const { main } = await import('./main.js');
tuneV8ForCommand(argv);
process.exitCode = await main(argv);
