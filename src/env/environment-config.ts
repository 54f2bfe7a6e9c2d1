/**
 * {@link EnvironmentConfig}: how tasks' environments are built and which variables are secrets.
 * @module
 */

import { compilePattern } from './names.js';

/**
 * The default secret name rules: names starting with `SECRET_`, `TOKEN_`, `PASSWORD_` or `API_KEY`, and
 * names ending in `_TOKEN`, `_SECRET`, `_PASSWORD` or `_KEY`.
 */
export const DEFAULT_SECURE_PREFIXES: readonly string[] = Object.freeze([
  'SECRET_',
  'TOKEN_',
  'PASSWORD_',
  'API_KEY',
  '*_TOKEN',
  '*_SECRET',
  '*_PASSWORD',
  '*_KEY',
]);

/** Configuration of environment variable management (the reference's `EnvironmentConfig`). */
export interface EnvironmentConfig {
  /** Variables given to every task, just above the executor's `environmentVariables`. @defaultValue `{}` */
  variables: Record<string, string>;
  /**
   * Whether tasks inherit jorm's own environment. Off when this or the executor's `inheritEnvironment`
   * is false. @defaultValue true
   */
  inheritParent: boolean;
  /** Whether tasks get the executor's `environmentVariables`. @defaultValue true */
  inheritExecutor: boolean;
  /**
   * Variables removed from every task's environment: names, or patterns with `*` and `?`
   * (`AWS_*`). Case-sensitive. Applies to inherited and declared variables alike, not to the
   * `JORM_*` variables jorm sets itself. @defaultValue `[]`
   */
  exclude: string[];
  /** Whether `${…}` references in task fields are expanded. @defaultValue true */
  enableInterpolation: boolean;
  /**
   * Which variables are secrets. An entry without a wildcard is a prefix (`SECRET_`); an entry with `*`
   * or `?` is a pattern over the whole name (`*_TOKEN`). Matching ignores case. Setting it replaces the
   * default list. @defaultValue {@link DEFAULT_SECURE_PREFIXES}
   */
  securePrefixes: string[];
}

/** The default environment configuration. */
export function defaultEnvironmentConfig(): EnvironmentConfig {
  return {
    variables: {},
    inheritParent: true,
    inheritExecutor: true,
    exclude: [],
    enableInterpolation: true,
    securePrefixes: [...DEFAULT_SECURE_PREFIXES],
  };
}

/** Fills a partial environment configuration with defaults. */
export function resolveEnvironmentConfig(partial: Partial<EnvironmentConfig> = {}): EnvironmentConfig {
  const config = defaultEnvironmentConfig();
  for (const [key, value] of Object.entries(partial)) {
    if (value !== undefined) (config as unknown as Record<string, unknown>)[key] = value;
  }
  return config;
}

/**
 * A predicate telling secret variable names, from a `securePrefixes` list (see
 * {@link EnvironmentConfig.securePrefixes}).
 */
export function secureNameMatcher(securePrefixes: readonly string[]): (name: string) => boolean {
  const prefixes: string[] = [];
  const patterns: RegExp[] = [];
  for (const entry of securePrefixes) {
    if (/[*?]/.test(entry)) patterns.push(compilePattern(entry, { ignoreCase: true }));
    else if (entry.length > 0) prefixes.push(entry.toUpperCase());
  }
  return (name) => {
    const upper = name.toUpperCase();
    return prefixes.some((p) => upper.startsWith(p)) || patterns.some((re) => re.test(name));
  };
}

/** Whether `name` is a secret under the default rules, or under `securePrefixes` when given. */
export function isSecureName(
  name: string,
  securePrefixes: readonly string[] = DEFAULT_SECURE_PREFIXES,
): boolean {
  return secureNameMatcher(securePrefixes)(name);
}
