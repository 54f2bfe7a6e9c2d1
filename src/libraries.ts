/**
 * Third-party packages that not every use of jorm needs, loaded on first use: reading a `.jorm` file does
 * not load `yaml`, a run without a configuration file does not load `smol-toml`, importing `jorm` does
 * not load the BullMQ and Redis clients until a `BullMQBackend` or a `JormWorker` is made, and only what
 * makes ids, tokens or hashes loads Node.js's `crypto`. (SQLite's
 * addon, too, loads only when a database is opened: see {@link sqliteAddonOption}.)
 * Each ships CommonJS for Node.js (what `import` loads too), so a synchronous `require` keeps the callers
 * synchronous and there is one copy of each package.
 * @module
 */

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The `yaml` package's exports. */
export type YamlLib = typeof import('yaml');
/** The `smol-toml` package's exports. */
export type TomlLib = typeof import('smol-toml');
/** The `bullmq` package's exports. */
export type BullMQLib = typeof import('bullmq');
/** The `ioredis` package's exports. */
export type IORedisLib = typeof import('ioredis');
/** Node.js's `crypto` module. */
export type CryptoLib = typeof import('node:crypto');

const require = createRequire(import.meta.url);
const loaded = new Map<string, unknown>();

function load<T>(name: string): T {
  let lib = loaded.get(name);
  if (lib === undefined) {
    lib = require(name) as unknown;
    loaded.set(name, lib);
  }
  return lib as T;
}

/** The `yaml` package (loaded once, on the first call). */
export function yamlLib(): YamlLib {
  return load<YamlLib>('yaml');
}

/** The `smol-toml` package (loaded once, on the first call). */
export function tomlLib(): TomlLib {
  return load<TomlLib>('smol-toml');
}

/** The `bullmq` package (loaded once, on the first call). */
export function bullmqLib(): BullMQLib {
  return load<BullMQLib>('bullmq');
}

/** The `ioredis` package (loaded once, on the first call). */
export function ioredisLib(): IORedisLib {
  return load<IORedisLib>('ioredis');
}

/**
 * Node.js's `crypto` module (loaded once, on the first call). Loading it takes Node.js 20 several ms (it is
 * not in Node.js's start-up snapshot), which commands that make no id, token or hash (`jorm validate`,
 * `graph`, `history`, `show`, …) need not pay.
 */
export function cryptoLib(): CryptoLib {
  return load<CryptoLib>('node:crypto');
}

/**
 * The option that points `better-sqlite3` at its compiled addon (`build/Release`, or `build/Debug`), to
 * spread into every `new Database(…, options)`: given the path, it loads the addon directly instead of
 * through the `bindings` package, which searches about ten places for it (1.6 ms of every run with
 * state), and which could not find it from inside jorm's bundle. Empty when the addon is in neither
 * place: `better-sqlite3` then looks itself.
 */
export const sqliteAddonOption = lazy((): { nativeBinding?: string } => {
  let build: string;
  try {
    build = join(dirname(require.resolve('better-sqlite3/package.json')), 'build');
  } catch {
    return {};
  }
  const nativeBinding = ['Release', 'Debug']
    .map((kind) => join(build, kind, 'better_sqlite3.node'))
    .find((addon) => existsSync(addon));
  return nativeBinding ? { nativeBinding } : {};
});

/** The `zod` package's exports. */
export type ZodLib = typeof import('zod');

/** The `zod` package (loaded once, on the first call). */
export function zodLib(): ZodLib {
  return load<ZodLib>('zod');
}

/** A function that calls `build` once, on its first call, and returns that value ever after. */
export function lazy<T>(build: () => T): () => T {
  let value: { v: T } | undefined;
  return () => {
    value ??= { v: build() };
    return value.v;
  };
}
