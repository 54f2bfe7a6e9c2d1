#!/usr/bin/env node
/**
 * The `jorm` executable. The published package replaces this file with one that imports `main` from the
 * bundle (`dist/jorm.js`, see scripts/bundle.mjs); both tune V8 first and then run the same {@link main}.
 * @module
 */

import { tuneV8ForCommand } from './v8-tuning.js';

const argv = process.argv.slice(2);
tuneV8ForCommand(argv);
const { main } = await import('./main.js');
process.exitCode = await main(argv);
