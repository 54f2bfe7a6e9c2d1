#!/usr/bin/env node
/**
 * The `jorm` executable.
 * @module
 */

import { loadCommands } from './commands/index.js';
import { runCli } from './program.js';

const argv = process.argv.slice(2);
await loadCommands(argv);
process.exitCode = await runCli(argv);
