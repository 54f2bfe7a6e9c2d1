/**
 * Loads executor modules (`jorm worker --register ./my-executors.js`) into a registry.
 *
 * A module either exports `register(registry)` (may be async), which registers what it wants, or
 * default-exports one of: such a function, an executor, or an array of executors. An executor is an
 * object with a `taskType` and an `execute(task, context)` method.
 * @module
 */

import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TaskRegistry } from '../engine/registry.js';
import type { TaskExecutor } from '../engine/task-executor.js';
import { ConfigurationError, errorMessage } from '../model/errors.js';

type RegisterFn = (registry: TaskRegistry) => unknown;

function isExecutor(value: unknown): value is TaskExecutor {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as TaskExecutor).taskType === 'string' &&
    typeof (value as TaskExecutor).execute === 'function'
  );
}

function moduleUrl(specifier: string, cwd: string): string {
  const path = isAbsolute(specifier) ? specifier : resolve(cwd, specifier);
  if (existsSync(path)) return pathToFileURL(path).href;
  if (specifier.startsWith('.') || isAbsolute(specifier)) {
    throw new ConfigurationError(
      `executor module ${specifier} not found (looked at ${path})`,
      'register',
      specifier,
    );
  }
  return specifier; // a package name
}

/**
 * Set inside the published bundle by its loader (src/cli/code-cache.ts): an `import()` that works in code
 * compiled from a V8 code cache, where the bundle's own `import()` would not. Undefined elsewhere.
 */
declare const __jormImport: ((url: string) => Promise<unknown>) | undefined;

/**
 * Imports each module and lets it register its executors.
 * @returns the task types the modules added or replaced, in order
 * @throws ConfigurationError naming the module, when it cannot be loaded or exports nothing usable
 */
export async function loadExecutorModules(
  registry: TaskRegistry,
  specifiers: readonly string[],
  cwd: string = process.cwd(),
): Promise<string[]> {
  const added: string[] = [];
  for (const specifier of specifiers) {
    const url = moduleUrl(specifier, cwd);
    let mod: Record<string, unknown>;
    try {
      mod = (await (typeof __jormImport === 'function' ? __jormImport(url) : import(url))) as Record<
        string,
        unknown
      >;
    } catch (error) {
      throw new ConfigurationError(
        `cannot load executor module ${specifier}: ${errorMessage(error)}`,
        'register',
        specifier,
        { cause: error },
      );
    }
    const before = new Map(registry.taskTypes.map((t) => [t, registry.get(t)]));
    const entry = typeof mod['register'] === 'function' ? mod['register'] : mod['default'];
    if (typeof entry === 'function') await (entry as RegisterFn)(registry);
    else if (isExecutor(entry)) registry.register(entry);
    else if (Array.isArray(entry) && entry.length > 0 && entry.every(isExecutor)) {
      for (const executor of entry) registry.register(executor);
    } else {
      throw new ConfigurationError(
        `executor module ${specifier} exports nothing to register: export a function register(registry), ` +
          'or default-export an executor ({ taskType, execute }) or an array of executors',
        'register',
        specifier,
      );
    }
    for (const type of registry.taskTypes) if (before.get(type) !== registry.get(type)) added.push(type);
  }
  return added;
}
