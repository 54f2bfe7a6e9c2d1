/**
 * {@link loadConfiguration}: the effective configuration from defaults, a file, a profile, `JORM_*`
 * variables, command-line flags and values set in code, with where each value came from.
 * @module
 */

import { dirname, resolve } from 'node:path';
import type { DistributedSettings } from '../distributed/settings.js';
import type { ExecutorConfig } from '../engine/executor-config.js';
import { validateExecutorConfig } from '../engine/executor-config.js';
import type { EnvironmentConfig } from '../env/environment-config.js';
import { EnvironmentManager } from '../env/manager.js';
import { type Diagnostic, didYouMean } from '../model/diagnostic.js';
import { ConfigurationError } from '../model/errors.js';
import type { StateConfig } from '../state/types.js';
import { buildConfiguration, flattenConfiguration, keyOfField, type TypedConfiguration } from './build.js';
import { ConfigFileError } from './errors.js';
import { type ConfigFile, findConfigFile, readConfigFile } from './file.js';
import { type ConfigFlags, flagValues } from './flags.js';
import { BUILT_IN_PROFILES } from './profiles.js';
import { FIELDS, type LogLevel, MAPS, OTHER_JORM_VARIABLES } from './schema.js';
import type { ConfigSource } from './sources.js';
import { profileTables, readTable, type TableValue } from './table.js';
import { type ConfigValue, readFieldValue } from './values.js';

/** Values set in code: the highest precedence. */
export interface ConfigOverrides {
  executor?: Partial<ExecutorConfig>;
  state?: Partial<StateConfig> & { enabled?: boolean };
  environment?: Partial<EnvironmentConfig>;
  logLevel?: LogLevel;
  distributed?: Partial<DistributedSettings>;
}

/** Options of {@link loadConfiguration}. */
export interface LoadConfigurationOptions {
  /** Where to look for a configuration file (and its parents). @defaultValue `process.cwd()` */
  cwd?: string;
  /** A configuration file to use instead of searching (`--config`). */
  configPath?: string;
  /** The profile to apply (`--profile`). */
  profile?: string;
  /** The environment holding `JORM_*` variables. @defaultValue `process.env` */
  env?: Readonly<Record<string, string | undefined>>;
  /** Command-line flags. */
  flags?: ConfigFlags;
  /** Values set in code (win over everything). */
  code?: ConfigOverrides;
}

/** The effective configuration. */
export interface Configuration extends TypedConfiguration {
  /** The profile applied, if any. */
  profile?: string;
  /** Where the profile choice came from. */
  profileSource?: ConfigSource;
  /** The configuration file read, if any. */
  configFile?: string;
  /** Every value by dotted snake_case key (`executor.max_concurrent_tasks`), in schema order. */
  values: Record<string, ConfigValue>;
  /** Where each value of {@link Configuration.values} came from. */
  sources: Record<string, ConfigSource>;
  /** Things worth telling that are not errors (a likely misspelt `JORM_*` variable, two config files). */
  warnings: string[];
}

interface Layered {
  value: ConfigValue;
  source: ConfigSource;
}

/**
 * Loads the effective configuration. Precedence, lowest first: defaults, the file, the profile, `JORM_*`
 * variables, flags, code. Profiles: built-in `development` and `production` and the file's
 * `[profiles.<name>]`, chosen by `code.executor.profile`, `--profile`, `JORM_PROFILE` or the file's
 * `executor.profile`, in that order.
 * @throws ConfigFileError listing every problem (unknown key with "did you mean", wrong type, broken rule),
 * each with the file, line and column, or the variable or flag, it comes from.
 */
export function loadConfiguration(options: LoadConfigurationOptions = {}): Configuration {
  const cwd = resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const problems: Diagnostic[] = [];
  const warnings: string[] = [];
  const layered = new Map<string, Layered>();
  const put = (values: readonly TableValue[], source: (v: TableValue) => ConfigSource): void => {
    for (const v of values) layered.set(v.key, { value: v.value, source: source(v) });
  };

  // The file.
  let file: ConfigFile | undefined;
  const explicit = options.configPath ?? (env['JORM_CONFIG'] || undefined);
  if (explicit) file = readConfigFile(resolve(cwd, explicit));
  else {
    const found = findConfigFile(cwd);
    warnings.push(...found.warnings);
    if (found.path) file = readConfigFile(found.path);
  }
  let fileProfiles = new Map<string, Record<string, unknown>>();
  if (file) {
    const origin = {
      file: file.path,
      positions: file.positions,
      lines: file.lines,
      baseDir: dirname(file.path),
    };
    const f = file;
    put(readTable(file.data, { ...origin, prefix: [], inProfile: false }, problems), (v) => ({
      kind: 'file',
      file: f.path,
      line: v.location?.line ?? 1,
      column: v.location?.column ?? 1,
    }));
    fileProfiles = profileTables(file.data, origin, problems);
  }

  // The profile.
  const fileProfile = layered.get('executor.profile');
  const choice: [string, ConfigSource] | undefined = options.code?.executor?.profile
    ? [options.code.executor.profile, { kind: 'code' }]
    : options.profile
      ? [options.profile, { kind: 'flag', flag: '--profile' }]
      : env['JORM_PROFILE']
        ? [env['JORM_PROFILE'], { kind: 'env', variable: 'JORM_PROFILE' }]
        : fileProfile
          ? [String(fileProfile.value), fileProfile.source]
          : undefined;
  const profileValues = new Map<string, TableValue[]>();
  for (const [name, table] of fileProfiles) {
    const f = file as ConfigFile;
    const origin = { file: f.path, positions: f.positions, lines: f.lines, baseDir: dirname(f.path) };
    profileValues.set(
      name,
      readTable(table, { ...origin, prefix: ['profiles', name], inProfile: true }, problems),
    );
  }
  if (choice) {
    const [name, source] = choice;
    const builtIn = BUILT_IN_PROFILES[name];
    const own = profileValues.get(name);
    if (!builtIn && !own) {
      const known = [...new Set([...Object.keys(BUILT_IN_PROFILES), ...fileProfiles.keys()])];
      const guess = didYouMean(name, known);
      problems.push({
        code: 'unknown-profile',
        message: `unknown profile "${name}" (from ${describeSource(source)})`,
        hint: guess ? `did you mean "${guess}"?` : `known profiles: ${known.join(', ')}`,
      });
    }
    if (builtIn) {
      put(
        readTable(
          builtIn as Record<string, unknown>,
          { prefix: [], baseDir: cwd, inProfile: true },
          problems,
        ),
        () => ({
          kind: 'profile',
          profile: name,
        }),
      );
    }
    if (own) {
      const f = file as ConfigFile;
      put(own, (v) => ({
        kind: 'profile',
        profile: name,
        file: f.path,
        line: v.location?.line ?? 1,
        column: v.location?.column ?? 1,
      }));
    }
  }

  // JORM_* variables.
  for (const spec of FIELDS) {
    const text = spec.env ? env[spec.env] : undefined;
    if (!spec.env || text === undefined || text === '') continue;
    const result = readFieldValue(spec, text, { fromText: true, baseDir: cwd });
    if (result.ok)
      layered.set(spec.key, { value: result.value, source: { kind: 'env', variable: spec.env } });
    else
      problems.push({
        code: 'invalid-value',
        message: `${spec.env}=${JSON.stringify(text)}: ${result.message}`,
      });
  }
  const settingVariables = FIELDS.flatMap((f) => (f.env ? [f.env] : []));
  for (const name of Object.keys(env)) {
    if (!name.startsWith('JORM_') || settingVariables.includes(name) || OTHER_JORM_VARIABLES.includes(name))
      continue;
    if (name.startsWith('JORM_OUTPUT_') || name.startsWith('JORM_TEST_')) continue;
    const guess = didYouMean(name, [...settingVariables, ...OTHER_JORM_VARIABLES]);
    if (guess) warnings.push(`${name} is not a jorm setting (did you mean ${guess}?)`);
  }

  // Flags.
  for (const f of flagValues(options.flags ?? {}, cwd, problems)) {
    layered.set(f.key, { value: f.value, source: { kind: 'flag', flag: f.flag } });
  }
  if (problems.length > 0) throw new ConfigFileError(problems, undefined, undefined);

  // Typed configuration, code overrides, cross-field rules.
  const values = new Map([...layered].map(([k, v]) => [k, v.value]));
  const filled = new Set<string>();
  const config = buildConfiguration(values, filled);
  const codeKeys = applyOverrides(config, options.code ?? {});
  if (choice) config.executor.profile = choice[0];
  const sources: Record<string, ConfigSource> = {};
  const flat = flattenConfiguration(config);
  for (const key of flat.keys()) {
    sources[key] = codeKeys.has(key) ? { kind: 'code' } : (layered.get(key)?.source ?? { kind: 'default' });
  }
  if (choice) sources['executor.profile'] = choice[1];
  validateTyped(config, sources, file);
  return {
    ...config,
    ...(choice ? { profile: choice[0], profileSource: choice[1] } : {}),
    ...(file ? { configFile: file.path } : {}),
    values: Object.fromEntries(flat),
    sources,
    warnings,
  };
}

function describeSource(source: ConfigSource): string {
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
function applyOverrides(config: TypedConfiguration, code: ConfigOverrides): Set<string> {
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
function validateTyped(
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
