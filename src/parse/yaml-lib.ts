/**
 * The `yaml` package, loaded on first use: reading a `.jorm` file (and `jorm validate` on one) does not
 * pay the ~40 ms it takes to load. `yaml` ships CommonJS for Node.js, so a synchronous `require` keeps
 * `parseDag` synchronous.
 * @module
 */

import { createRequire } from 'node:module';

/** The `yaml` package's exports. */
export type YamlLib = typeof import('yaml');

let lib: YamlLib | undefined;

/** The `yaml` package (loaded once, on the first call). */
export function yamlLib(): YamlLib {
  lib ??= createRequire(import.meta.url)('yaml') as YamlLib;
  return lib;
}
