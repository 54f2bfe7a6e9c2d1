/**
 * The `yaml` and `smol-toml` packages, loaded on first use: reading a `.jorm` file, or a run without a
 * configuration file, does not pay the tens of milliseconds they take to load. Both ship CommonJS for
 * Node.js, so a synchronous `require` keeps the readers synchronous.
 * @module
 */

import { createRequire } from 'node:module';

/** The `yaml` package's exports. */
export type YamlLib = typeof import('yaml');
/** The `smol-toml` package's exports. */
export type TomlLib = typeof import('smol-toml');

const require = createRequire(import.meta.url);
let yaml: YamlLib | undefined;
let toml: TomlLib | undefined;

/** The `yaml` package (loaded once, on the first call). */
export function yamlLib(): YamlLib {
  yaml ??= require('yaml') as YamlLib;
  return yaml;
}

/** The `smol-toml` package (loaded once, on the first call). */
export function tomlLib(): TomlLib {
  toml ??= require('smol-toml') as TomlLib;
  return toml;
}
