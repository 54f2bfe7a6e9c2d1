/**
 * The `--register MODULE` option of the commands that run DAGs (`jorm run`, `jorm resume`), as for
 * `jorm worker`: executor modules loaded into the coordinator's registry (see `register-modules.ts`).
 * @module
 */

import type { Command } from 'commander';

/** The `--register` values of a command's raw options. */
export function registerModulesOf(raw: Readonly<Record<string, unknown>>): string[] {
  const value = raw['register'];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Commander's collector of a repeatable `--register`. */
export function collectModules(value: string, all: string[] = []): string[] {
  return [...all, value];
}

/** Adds `--register MODULE` (repeatable) to a command. */
export function addRegisterOption(command: Command): void {
  command.option(
    '--register <module>',
    'load executors from a module, as jorm worker --register (repeatable)',
    collectModules,
  );
}
