/**
 * The last steps of loading a configuration: values set in code, and the rules across fields, reported at
 * the source of the value that breaks them.
 * @module
 */

import type { DistributedSettings } from '../distributed/settings.js';
import { type ExecutorConfig, validateExecutorConfig } from '../engine/executor-config.js';
import type { EnvironmentConfig } from '../env/environment-config.js';
import { EnvironmentManager } from '../env/manager.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { ConfigurationError } from '../model/errors.js';
import type { StateConfig } from '../state/types.js';
import { keyOfField, type TypedConfiguration } from './build.js';
import { ConfigFileError } from './errors.js';
import type { ConfigFile } from './file.js';
import { FIELDS, type LogLevel, MAPS } from './schema.js';
import type { ConfigSource } from './sources.js';

/** Values set in code: the highest precedence. */
export interface ConfigOverrides {
  executor?: Partial<ExecutorConfig>;
  state?: Partial<StateConfig> & { enabled?: boolean };
  environment?: Partial<EnvironmentConfig>;
  logLevel?: LogLevel;
  distributed?: Partial<DistributedSettings>;
}

/** A source in a few words, for messages. */
export function describeSource(source: ConfigSource): string {
  switch (source.kind) {
    case 'flag':
      return source.flag;
    case 'env':
      return source.variable;
    case 'file':
      return `${source.file}:${source.line}`;
    default:
      return source.kind;
  }
}

/** Applies values set in code and returns the keys they set. */
export function applyOverrides(config: TypedConfiguration, code: ConfigOverrides): Set<string> {
  const keys = new Set<string>();
  const apply = (
    section: 'executor' | 'state' | 'environment' | 'distributed',
    target: Record<string, unknown>,
    values: object | undefined,
  ): void => {
    for (const [field, value] of Object.entries(values ?? {})) {
      if (value === undefined) continue;
      target[field] = value;
      const key = keyOfField(section, field);
      const isMap = MAPS.some((m) => m.key === key);
      if (key && !isMap) keys.add(key);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        for (const sub of Object.keys(value)) {
          keys.add(isMap ? `${key}.${sub}` : (keyOfField(section, `${field}.${sub}`) ?? ''));
        }
      }
    }
  };
  const { enabled, ...state } = code.state ?? {};
  apply('executor', config.executor as unknown as Record<string, unknown>, code.executor);
  apply('state', config.state.config as unknown as Record<string, unknown>, state);
  if (enabled !== undefined) {
    config.state.enabled = enabled;
    keys.add('state.enabled');
  }
  apply('environment', config.environment as unknown as Record<string, unknown>, code.environment);
  if (code.distributed) {
    config.distributed ??= {};
    apply('distributed', config.distributed as unknown as Record<string, unknown>, code.distributed);
  }
  if (code.logLevel) {
    config.logLevel = code.logLevel;
    keys.add('log_level');
  }
  return keys;
}

/** Rewrites the executor's camelCase field names in a message as configuration keys. */
function snakeCaseFields(message: string): string {
  const names = [
    ...FIELDS.filter((f) => f.target.section === 'executor').map(
      (f) => [f.target.path.join('.'), f.key] as const,
    ),
    ['resourceLimits', 'executor.resource_limits'] as const,
    ['retryConfig', 'executor.retry_config'] as const,
  ].sort((a, b) => b[0].length - a[0].length);
  let out = message;
  for (const [camel, key] of names) {
    out = out.replace(new RegExp(`(?<![\\w.])${camel.replace('.', '\\.')}(?!\\w)`, 'g'), key);
  }
  return out;
}

/** The rules across fields, reported at the source of the offending value. */
export function validateTyped(
  config: TypedConfiguration,
  sources: Record<string, ConfigSource>,
  file: ConfigFile | undefined,
): void {
  const fail = (error: ConfigurationError, key: string | undefined): never => {
    const source = key ? sources[key] : undefined;
    const located = source?.kind === 'file' || (source?.kind === 'profile' && source.file);
    const diagnostic: Diagnostic = {
      code: 'invalid-value',
      message: `${snakeCaseFields(error.message)}${source && !located ? ` (from ${describeSource(source)})` : ''}`,
    };
    if (source && (source.kind === 'file' || source.kind === 'profile') && source.file) {
      diagnostic.location = { file: source.file, line: source.line ?? 1, column: source.column ?? 1 };
      if (file && source.file === file.path) diagnostic.sourceLine = file.lines[(source.line ?? 1) - 1] ?? '';
    }
    throw new ConfigFileError([diagnostic], error.field, error.value, { cause: error });
  };
  try {
    validateExecutorConfig(config.executor);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    fail(error, error.field ? keyOfField('executor', error.field) : undefined);
  }
  try {
    new EnvironmentManager(config.executor.environmentVariables, config.environment).validateConfig();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    fail(error, undefined);
  }
}
