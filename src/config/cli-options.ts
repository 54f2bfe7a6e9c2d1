/**
 * The command-line options that set configuration values, shared by `jorm config` and `jorm run`.
 * @module
 */

import type { Command } from 'commander';
import type { ConfigFlags } from './flags.js';

/** The options of a command that reads the configuration (as commander returns them). */
export interface ConfigCommandOptions extends ConfigFlags {
  config?: string;
  profile?: string;
}

/** Adds `--config` and `--profile`. */
export function addConfigFileOptions(command: Command): Command {
  return command
    .option(
      '--config <path>',
      'configuration file (default: jorm.toml, jorm.json or jorm.yaml here or in a parent)',
    )
    .option(
      '--profile <name>',
      'configuration profile (development, production, or [profiles.<name>] of the file)',
    );
}

/** Adds the value flags that `jorm run` does not define itself (`--log-level`, `--working-directory`). */
export function addExtraValueOptions(command: Command): Command {
  return command
    .option('--log-level <level>', 'error, warn, info, debug or trace')
    .option('--working-directory <dir>', 'where tasks run, and what their relative paths are relative to');
}

/** The configuration flags among a command's parsed options. */
export function configFlagsOf(options: Readonly<Record<string, unknown>>): ConfigFlags {
  const flags: ConfigFlags = {};
  const text = (name: keyof ConfigFlags): void => {
    const value = options[name];
    if (typeof value === 'string' || typeof value === 'number')
      (flags as Record<string, unknown>)[name] = value;
  };
  text('concurrency');
  text('timeout');
  text('workingDirectory');
  text('logLevel');
  text('backend');
  text('redis');
  text('queue');
  if (options['failFast'] === true) flags.failFast = true;
  const state = options['state'];
  if (state === false || typeof state === 'string') flags.state = state;
  return flags;
}
