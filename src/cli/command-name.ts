/**
 * The sub-command a `jorm` command line names. Imports nothing, so that the executable can read it before
 * it loads the rest of jorm (`./v8-tuning.ts`).
 * @module
 */

/** The first argument that is not an option (`run` in `jorm run dag.jorm`), if any. */
export function commandName(argv: readonly string[]): string | undefined {
  return argv.find((arg) => !arg.startsWith('-'));
}
