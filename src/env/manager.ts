/**
 * {@link EnvironmentManager}: builds a task's environment from its layers, marks secrets, and expands
 * `${…}` in declared values.
 * @module
 */

import { ConfigurationError } from '../model/errors.js';
import type { InterpolationContext } from './context.js';
import { defaultEnvironmentConfig, type EnvironmentConfig, secureNameMatcher } from './environment-config.js';
import { interpolate } from './interpolate.js';
import { namesMatching } from './names.js';
import { SecureValue } from './secure-value.js';
import { environmentConfigProblems } from './validate-environment.js';

/** Whether a record of variables (a task's `env`, say) has any, without listing its names. */
export function hasVariables(record: Readonly<Record<string, string>>): boolean {
  for (const _ in record) return true;
  return false;
}

/** Names set for every task, given a slot in {@link SharedEnvironment.revealed} (cheaper copies). */
const BUILTIN_SLOTS = ['JORM_DAG_ID', 'JORM_EXECUTION_ID', 'JORM_TASK_ID', 'JORM_ATTEMPT'];

/** The layers of a task's environment besides the executor's, lowest first. */
export interface TaskEnvironmentLayers {
  /** The DAG's `env`. */
  dag?: Readonly<Record<string, string>>;
  /** `jorm run --env KEY=VALUE`: above the DAG's `env`, below the task's. */
  commandLine?: Readonly<Record<string, string>>;
  /** Variables jorm sets itself (`JORM_TASK_ID`, …): above everything, never excluded, never interpolated. */
  builtins?: Readonly<Record<string, string>>;
  /** The shared layers, already built (then `dag` and `commandLine` are not read again). */
  shared?: SharedEnvironment;
}

/** The layers of an environment every task of an execution shares, built once. */
export interface SharedEnvironment {
  readonly values: ReadonlyMap<string, SecureValue>;
  /** The same, as plain text. */
  readonly revealed: Readonly<Record<string, string>>;
  /** The values of its secure variables. */
  readonly secrets: readonly string[];
  /**
   * Names whose value comes from the parent (jorm's own) environment, not set by the configuration,
   * the DAG or `--env`: a backend that runs tasks on another host may let that host's own environment
   * stand in for them; every other variable must travel with the task.
   */
  readonly inherited: ReadonlySet<string>;
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
  /** Each shared environment's names and values as arrays, for {@link revealTaskEnvironment}. */
  private readonly sharedColumns = new WeakMap<SharedEnvironment, { names: string[]; texts: string[] }>();

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
    const problems = environmentConfigProblems(this.executorEnv, this.config);
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
   * The layers every task of an execution shares (`.env`, parent, executor, config, DAG, `--env`), built
   * once. Interpolation here sees only execution-wide values (params, ids, system values, `builtins`).
   * @throws InterpolationError when a declared value has a bad reference.
   */
  buildSharedEnvironment(
    context?: InterpolationContext,
    layers: Omit<TaskEnvironmentLayers, 'shared'> = {},
  ): SharedEnvironment {
    const values = new Map<string, SecureValue>();
    const builtins = this.wrapAll(layers.builtins);
    const scope = this.scope(context, (name) => builtins.get(name) ?? values.get(name));
    this.addLayer(values, this.envFile, 'env_file', undefined);
    const inherited = new Set<string>();
    if (this.inheritParent) {
      this.addLayer(values, this.parentEnv, 'parent', undefined);
      for (const name of values.keys()) if (this.parentEnv[name] !== undefined) inherited.add(name);
    }
    // Set explicitly: whatever the parent holds under these names, they are not inherited.
    const explicit = (record: Readonly<Record<string, string | undefined>>, layer: string): void => {
      this.addLayer(values, record, layer, scope);
      for (const name in record) inherited.delete(name);
    };
    if (this.config.inheritExecutor) explicit(this.executorEnv, 'executor.environment_variables');
    explicit(this.config.variables, 'environment.variables');
    explicit(layers.dag ?? {}, 'DAG env');
    explicit(layers.commandLine ?? {}, '--env');
    const revealed: Record<string, string> = {};
    for (const name of BUILTIN_SLOTS) revealed[name] = '';
    const secrets: string[] = [];
    for (const [name, value] of values) {
      revealed[name] = value.value();
      if (value.isSecure()) secrets.push(value.value());
    }
    return { values, revealed, secrets, inherited };
  }

  /**
   * The task's own layer (its `env`, interpolated) and jorm's builtins (always plain), over a shared
   * environment: the cheap part of building one attempt's environment.
   * @throws InterpolationError when a value of the task's `env` has a bad reference.
   */
  buildTaskLayer(
    shared: SharedEnvironment,
    taskEnv: Readonly<Record<string, string>>,
    context?: InterpolationContext,
    builtinValues: Readonly<Record<string, string>> = {},
  ): Map<string, SecureValue> {
    const builtins = new Map<string, SecureValue>();
    for (const name in builtinValues) builtins.set(name, SecureValue.plain(builtinValues[name]!));
    // Most tasks declare no variables of their own: their layer is jorm's variables alone.
    if (!hasVariables(taskEnv)) return builtins;
    const own = new Map<string, SecureValue>();
    let templated = false;
    for (const name in taskEnv) if (taskEnv[name]!.includes('$')) templated = true;
    // The interpolation scope (a Proxy over the layers) only when a value has a `$` to interpolate.
    const scope = templated
      ? this.scope(context, (name) => builtins.get(name) ?? own.get(name) ?? shared.values.get(name))
      : undefined;
    this.addLayer(own, taskEnv, 'env', scope);
    for (const [name, value] of builtins) own.set(name, value);
    return own;
  }

  /** The complete environment of a process: the shared layers with the task's layer over them. */
  revealTaskEnvironment(
    shared: SharedEnvironment,
    own: ReadonlyMap<string, SecureValue>,
  ): Record<string, string> {
    // Copying from two arrays is several times faster than spreading `revealed`, which V8 keeps as a
    // dictionary once it has more than a few dozen names (a typical parent environment has more).
    let columns = this.sharedColumns.get(shared);
    if (!columns) {
      columns = { names: Object.keys(shared.revealed), texts: Object.values(shared.revealed) };
      this.sharedColumns.set(shared, columns);
    }
    const { names, texts } = columns;
    const environment: Record<string, string> = {};
    for (let i = 0; i < names.length; i++) put(environment, names[i]!, texts[i]!);
    for (const [name, value] of own) put(environment, name, value.value());
    return environment;
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
    const shared = layers.shared ?? this.buildSharedEnvironment(context, layers);
    const own = this.buildTaskLayer(shared, taskEnv, context, layers.builtins);
    const out: Record<string, SecureValue> = {};
    for (const [name, value] of shared.values) out[name] = value;
    for (const [name, value] of own) out[name] = value;
    return out;
  }

  private wrapAll(record: Readonly<Record<string, string>> | undefined): Map<string, SecureValue> {
    const out = new Map<string, SecureValue>();
    for (const [name, value] of Object.entries(record ?? {})) out.set(name, this.wrap(name, value, false));
    return out;
  }

  /** An interpolation scope whose variables are looked up with `lookup`; none when not interpolating. */
  private scope(
    context: InterpolationContext | undefined,
    lookup: (name: string) => SecureValue | undefined,
  ): InterpolationContext | undefined {
    if (!context || !this.config.enableInterpolation) return undefined;
    const variables = new Proxy({} as Record<string, SecureValue>, {
      get: (_target, name) => (typeof name === 'string' ? lookup(name) : undefined),
    });
    return { ...context, variables };
  }

  /** Adds a layer (without excluded names); declared values are interpolated when `scope` is given. */
  private addLayer(
    into: Map<string, SecureValue>,
    record: Readonly<Record<string, string | undefined>>,
    layer: string,
    scope: InterpolationContext | undefined,
  ): void {
    for (const [name, raw] of Object.entries(record)) {
      if (raw === undefined || this.excluded(name)) continue;
      if (scope && raw.includes('$')) {
        const result = interpolate(raw, scope, { key: `${layer}.${name}` });
        into.set(name, this.wrap(name, result.text, result.secure));
      } else {
        into.set(name, this.wrap(name, raw, false));
      }
    }
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

/** Sets `record[name]` as an own property, even for the name `__proto__`. */
function put(record: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__') {
    Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    record[name] = value;
  }
}
