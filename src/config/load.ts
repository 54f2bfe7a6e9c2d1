/**
 * {@link loadConfiguration}: the effective configuration from defaults, a file, a profile, `JORM_*`
 * variables, command-line flags and values set in code, with where each value came from.
 * @module
 */

import { dirname, resolve } from 'node:path';
import { type Diagnostic, didYouMean } from '../model/diagnostic.js';
import { buildConfiguration, flattenConfiguration, type TypedConfiguration } from './build.js';
import { ConfigFileError } from './errors.js';
import { type ConfigFile, findConfigFile, readConfigFile } from './file.js';
import { applyOverrides, type ConfigOverrides, describeSource, validateTyped } from './finish.js';
import { type ConfigFlags, flagValues } from './flags.js';
import { BUILT_IN_PROFILES } from './profiles.js';
import { FIELDS, OTHER_JORM_VARIABLES } from './schema.js';
import type { ConfigSource } from './sources.js';
import { profileTables, readTable, type TableValue } from './table.js';
import { type ConfigValue, readFieldValue } from './values.js';

export type { ConfigOverrides } from './finish.js';

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
