/**
 * The entry of the `jorm` command line, shared by `bin.ts` and the published bundle: loads only the
 * command that runs, then runs it.
 * @module
 */

import { loadCommands } from './commands/index.js';
import { runCli } from './program.js';

/** Runs `jorm` with these arguments (without node and the script) and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  await loadCommands(argv);
  return runCli(argv);
}
