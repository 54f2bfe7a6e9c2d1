/**
 * {@link resolveRunSetup}: what `jorm run`'s flags, the configuration file, the profile, `JORM_*` variables
 * and the `.env` file make of one run.
 * @module
 */

import { resolve } from 'node:path';
import type { ExecutorConfig } from '../engine/executor-config.js';
import { envFileBeside, readEnvFile } from '../env/dotenv.js';
import type { EnvironmentConfig } from '../env/environment-config.js';
import { isVariableName } from '../env/names.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { StateConfig } from '../state/types.js';
import { type ConfigCommandOptions, configFlagsOf } from './cli-options.js';
import { ConfigFileError } from './errors.js';
import { type Configuration, loadConfiguration } from './load.js';

/** The options of `jorm run` this module reads (as commander returns them). */
export interface RunConfigOptions extends ConfigCommandOptions {
  /** `--env KEY=VALUE`, repeatable. */
  env?: string[];
  /** `--param NAME=VALUE`, repeatable. */
  param?: string[];
  /** `--env-file PATH`. */
  envFile?: string;
}

/** Everything a run needs from configuration. */
export interface RunSetup {
  /** The effective configuration, with sources. */
  configuration: Configuration;
  /** For `new NativeExecutor(executor, { environment })`. */
  executor: ExecutorConfig;
  environment: EnvironmentConfig;
  /** State persistence: whether, and how. */
  state: { enabled: boolean; config: StateConfig };
  /** For `executeDag(dag, { params, commandLineEnv, envFile })`. */
  params: Record<string, string>;
  commandLineEnv: Record<string, string>;
  envFile?: Record<string, string>;
  /** The `.env` file read, if any. */
  envFilePath?: string;
}

/** Reads `KEY=VALUE` pairs; bad ones are appended to `problems`. */
function pairs(values: readonly string[] | undefined, flag: string, problems: Diagnostic[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of values ?? []) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    if (eq < 0) {
      problems.push({ code: 'invalid-flag', message: `${flag} ${JSON.stringify(pair)}: expected NAME=VALUE` });
    } else if (!isVariableName(name)) {
      problems.push({
        code: 'invalid-flag',
        message: `${flag} ${JSON.stringify(pair)}: "${name}" is not a valid name (letters, digits and "_", not starting with a digit)`,
      });
    } else out[name] = pair.slice(eq + 1);
  }
  return out;
}

/**
 * Resolves a run's configuration: the configuration (file, profile, `JORM_*`, flags), `--env` and
 * `--param` values, and the `.env` file (`--env-file`, else `.env` beside the DAG file when there is one).
 * @throws ConfigFileError for invalid flags or configuration; ConfigurationError for an unreadable file.
 */
export function resolveRunSetup(input: {
  options: RunConfigOptions;
  /** The DAG file, for the `.env` beside it. */
  dagFile?: string;
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
}): RunSetup {
  const cwd = resolve(input.cwd ?? process.cwd());
  const { options } = input;
  const problems: Diagnostic[] = [];
  const commandLineEnv = pairs(options.env, '--env', problems);
  const params = pairs(options.param, '--param', problems);
  if (problems.length > 0) throw new ConfigFileError(problems);
  const configuration = loadConfiguration({
    cwd,
    ...(input.env ? { env: input.env } : {}),
    ...(options.config ? { configPath: options.config } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    flags: configFlagsOf(options as unknown as Record<string, unknown>),
  });
  const envFilePath = options.envFile
    ? resolve(cwd, options.envFile)
    : input.dagFile
      ? envFileBeside(resolve(cwd, input.dagFile))
      : undefined;
  return {
    configuration,
    executor: configuration.executor,
    environment: configuration.environment,
    state: configuration.state,
    params,
    commandLineEnv,
    ...(envFilePath ? { envFile: readEnvFile(envFilePath), envFilePath } : {}),
  };
}
