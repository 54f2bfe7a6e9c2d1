/**
 * {@link EnvironmentManager}: builds a task's environment from its layers, marks secrets, and expands
 * `${…}` in declared values.
 * @module
 */

import { ConfigurationError } from '../model/errors.js';
import type { InterpolationContext } from './context.js';
import { defaultEnvironmentConfig, type EnvironmentConfig, secureNameMatcher } from './environment-config.js';
import { interpolate } from './interpolate.js';
import { isVariableName, namesMatching, patternProblem } from './names.js';
import { SecureValue } from './secure-value.js';

/** The layers of a task's environment besides the executor's, lowest first. */
export interface TaskEnvironmentLayers {
  /** The DAG's `env`. */
  dag?: Readonly<Record<string, string>>;
  /** `jorm run --env KEY=VALUE`: above the DAG's `env`, below the task's. */
  commandLine?: Readonly<Record<string, string>>;
  /** Variables jorm sets itself (`JORM_TASK_ID`, …): above everything, never excluded, never interpolated. */
  builtins?: Readonly<Record<string, string>>;
}

/** Options of {@link EnvironmentManager}. */
export interface EnvironmentManagerOptions {
  /** The parent environment. @defaultValue `process.env` */
  parentEnv?: Readonly<Record<string, string | undefined>>;
  /** Values read from a `.env` file: just below the parent environment, and kept when it is not inherited. */
  envFile?: Readonly<Record<string, string>>;
  /** The executor's `inheritEnvironment`; the parent is inherited only when it and `inheritParent` are on. @defaultValue true */
  inheritEnvironment?: boolean;
}

/**
 * Builds task environments (the reference's `EnvironmentManager`).
 *
 * Layers, later winning: the `.env` file, the parent environment (when inherited), the executor's
 * `environmentVariables` (when `inheritExecutor`), the config's `variables`, the DAG's `env`, `--env`,
 * the task's `env`, then jorm's own `JORM_*` variables. Names matching `exclude` are dropped from every
 * layer but the last. With a context and `enableInterpolation`, declared values (not the parent's or the
 * `.env` file's) are interpolated in order, each seeing the layers below it and the entries declared before
 * it in its own layer: `PATH: "${PATH}:/opt/bin"` extends the inherited `PATH`.
 */
export class EnvironmentManager {
  readonly config: EnvironmentConfig;
  private readonly executorEnv: Readonly<Record<string, string>>;
  private readonly parentEnv: Readonly<Record<string, string | undefined>>;
  private readonly envFile: Readonly<Record<string, string>>;
  private readonly inheritParent: boolean;
  private readonly excluded: (name: string) => boolean;
  private readonly secureName: (name: string) => boolean;
  private readonly secureCache = new Map<string, boolean>();

  constructor(
    executorEnv: Readonly<Record<string, string>> = {},
    config: EnvironmentConfig = defaultEnvironmentConfig(),
    options: EnvironmentManagerOptions = {},
  ) {
    this.executorEnv = executorEnv;
    this.config = config;
    this.parentEnv = options.parentEnv ?? process.env;
    this.envFile = options.envFile ?? {};
    this.inheritParent = config.inheritParent && options.inheritEnvironment !== false;
    this.excluded = namesMatching(config.exclude);
    this.secureName = secureNameMatcher(config.securePrefixes);
  }

  /**
   * Checks variable names and patterns.
   * @throws ConfigurationError naming every bad name or pattern, its field and the rule.
   */
  validateConfig(): void {
    const problems: { field: string; value: string; message: string }[] = [];
    const names = (field: string, record: Readonly<Record<string, string>>): void => {
      for (const name of Object.keys(record)) {
        if (!isVariableName(name)) {
          problems.push({
            field,
            value: name,
            message: `${field}: "${name}" is not a valid variable name (use letters, digits and "_", not starting with a digit)`,
          });
        }
      }
    };
    names('environmentVariables', this.executorEnv);
    names('environment.variables', this.config.variables);
    const patterns = (field: string, list: readonly string[]): void => {
      for (const [i, pattern] of list.entries()) {
        const problem = patternProblem(pattern);
        if (problem) {
          problems.push({
            field: `${field}[${i}]`,
            value: pattern,
            message: `${field}[${i}]: "${pattern}": ${problem}`,
          });
        }
      }
    };
    patterns('environment.exclude', this.config.exclude);
    patterns('environment.securePrefixes', this.config.securePrefixes);
    const first = problems[0];
    if (first) {
      throw new ConfigurationError(problems.map((p) => p.message).join('\n'), first.field, first.value);
    }
  }

  /** Whether a variable of this name is a secret (see `securePrefixes`). */
  isSecure(name: string): boolean {
    let secure = this.secureCache.get(name);
    if (secure === undefined) {
      secure = this.secureName(name);
      this.secureCache.set(name, secure);
    }
    return secure;
  }

  /** Whether `exclude` removes this name. */
  isExcluded(name: string): boolean {
    return this.excluded(name);
  }

  /**
   * The task's complete environment, each value marked secure or plain. A value is secure when its name
   * is a secret's, or when a secure value was interpolated into it.
   * @throws InterpolationError when a declared value has a bad reference.
   */
  buildTaskEnvironment(
    taskEnv: Readonly<Record<string, string>>,
    context?: InterpolationContext,
    layers: TaskEnvironmentLayers = {},
  ): Record<string, SecureValue> {
    const merged = new Map<string, SecureValue>();
    const builtins = new Map<string, SecureValue>();
    for (const [name, value] of Object.entries(layers.builtins ?? {}))
      builtins.set(name, this.wrap(name, value, false));
    const interpolating = context !== undefined && this.config.enableInterpolation;
    const view = interpolating
      ? (new Proxy(
          {},
          {
            get: (_target, name) =>
              typeof name === 'string' ? (builtins.get(name) ?? merged.get(name)) : undefined,
          },
        ) as Record<string, SecureValue>)
      : {};
    const scope: InterpolationContext | undefined = interpolating
      ? { ...context, variables: view }
      : undefined;
    const add = (
      record: Readonly<Record<string, string | undefined>>,
      layer: string,
      declared: boolean,
    ): void => {
      for (const [name, raw] of Object.entries(record)) {
        if (raw === undefined || this.excluded(name)) continue;
        if (declared && scope) {
          const result = interpolate(raw, scope, { key: `${layer}.${name}` });
          merged.set(name, this.wrap(name, result.text, result.secure));
        } else {
          merged.set(name, this.wrap(name, raw, false));
        }
      }
    };
    add(this.envFile, 'env_file', false);
    if (this.inheritParent) add(this.parentEnv, 'parent', false);
    if (this.config.inheritExecutor) add(this.executorEnv, 'executor.environment_variables', true);
    add(this.config.variables, 'environment.variables', true);
    add(layers.dag ?? {}, 'DAG env', true);
    add(layers.commandLine ?? {}, '--env', true);
    add(taskEnv, 'env', true);
    for (const [name, value] of builtins) merged.set(name, value);
    return Object.fromEntries(merged);
  }

  /**
   * The names a task's `${NAME}` references can see (its environment's names), without building values.
   */
  visibleNames(taskEnv: Readonly<Record<string, string>>, layers: TaskEnvironmentLayers = {}): Set<string> {
    const names = new Set<string>();
    const add = (record: Readonly<Record<string, string | undefined>>): void => {
      for (const [name, value] of Object.entries(record))
        if (value !== undefined && !this.excluded(name)) names.add(name);
    };
    add(this.envFile);
    if (this.inheritParent) add(this.parentEnv);
    if (this.config.inheritExecutor) add(this.executorEnv);
    add(this.config.variables);
    add(layers.dag ?? {});
    add(layers.commandLine ?? {});
    add(taskEnv);
    for (const name of Object.keys(layers.builtins ?? {})) names.add(name);
    return names;
  }

  /** The executor-level values that are interpolated (the executor's variables, the config's variables). */
  sharedDeclarations(): { label: string; values: Readonly<Record<string, string>> }[] {
    const out = [{ label: 'environment.variables', values: this.config.variables }];
    if (this.config.inheritExecutor)
      out.unshift({ label: 'executor.environment_variables', values: this.executorEnv });
    return out;
  }

  /** The values of the secret variables of the layers every task shares (`.env`, parent, executor, config). */
  sharedSecrets(): string[] {
    const out: string[] = [];
    const add = (record: Readonly<Record<string, string | undefined>>): void => {
      for (const [name, value] of Object.entries(record))
        if (value !== undefined && this.isSecure(name)) out.push(value);
    };
    add(this.envFile);
    add(this.parentEnv);
    add(this.executorEnv);
    add(this.config.variables);
    return out;
  }

  private wrap(name: string, value: string, tainted: boolean): SecureValue {
    return new SecureValue(value, tainted || this.isSecure(name));
  }
}
