#!/usr/bin/env node
/**
 * The `jorm` executable. The published package replaces this file with one that imports `main` from the
 * bundle (`dist/jorm.js`, see scripts/bundle.mjs); both run the same {@link main}.
 * @module
 */

import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
