/**
 * Where jorm's own executable is, for the features that start it as a child process (the `jorm` task
 * type, runs started from the dashboard). This module sits at the root of the compiled code both in a
 * `tsc` build (`<out>/cli-path.js`) and in the published bundle (`dist/jorm.js`), so `./cli/bin.js` is
 * right in both.
 * @module
 */

import { fileURLToPath } from 'node:url';

/** The path of the `jorm` executable (`cli/bin.js`) of this installation. */
export const JORM_CLI_PATH: string = fileURLToPath(new URL('./cli/bin.js', import.meta.url));
