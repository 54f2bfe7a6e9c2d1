/**
 * Where jorm's own executable is, for the features that start it as a child process (the `jorm` task
 * type, runs started from the dashboard). This module sits at the root of the compiled code both in a
 * `tsc` build (`<out>/cli-path.js`, whose executable is `<out>/cli/bin.js`) and in the published bundle
 * (`dist/jorm.cjs`, whose executable is `dist/cli/bin.cjs`).
 * @module
 */

import { fileURLToPath } from 'node:url';

const here = import.meta.url;

/** The path of the `jorm` executable of this installation. */
export const JORM_CLI_PATH: string = fileURLToPath(
  new URL(here.endsWith('.cjs') ? './cli/bin.cjs' : './cli/bin.js', here),
);
