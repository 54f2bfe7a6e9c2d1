/**
 * {@link TaskAttemptSetup}: one attempt of one task as the engine's `AttemptPreparer` hands it to the engine:
 * the interpolated task, its working directory, and its environment built on first read.
 * @module
 */

import { isAbsolute, resolve } from 'node:path';
import { builtinVariables } from '../env/builtins.js';
import type { InterpolationContext } from '../env/context.js';
import { copyTask, interpolateTask } from '../env/interpolate-task.js';
import { type EnvironmentManager, hasVariables, type SharedEnvironment } from '../env/manager.js';
import type { SecretMasker } from '../env/masker.js';
import type { SecureValue } from '../env/secure-value.js';
import type { TaskResult } from '../model/result.js';
import type { Task } from '../model/task.js';
import type { EnvironmentLayers } from '../process/types.js';
import type { PreparedAttempt } from './prepare.js';

/** What every attempt of one execution shares. */
export interface ExecutionPreparation {
  readonly dagId: string;
  readonly executionId: string;
  readonly manager: EnvironmentManager;
  readonly shared: SharedEnvironment;
  readonly masker: SecretMasker;
  /** The interpolation context of the execution (without task outputs). */
  readonly context: InterpolationContext;
  readonly baseDir: string;
  readonly interpolating: boolean;
}

/**
 * One prepared attempt. Its own environment layer, its complete environment and its interpolation
 * context are built on first use: an executor that starts no process (a no-op, an HTTP call) of a task
 * without `${…}` never pays for them. A class, not closures: 100,000 attempts allocate far less.
 */
export class TaskAttemptSetup implements PreparedAttempt {
  readonly task: Task;
  readonly workingDirectory: string;
  private own: Map<string, SecureValue> | undefined;
  private revealed: Record<string, string> | undefined;
  private layers: EnvironmentLayers | undefined;
  private secure: Record<string, SecureValue> | undefined;

  constructor(
    private readonly execution: ExecutionPreparation,
    private readonly original: Task,
    private readonly attempt: number,
    private readonly upstream: Readonly<Record<string, TaskResult>>,
    templated: boolean,
  ) {
    let prepared = original;
    if (templated) {
      const { masker, shared, interpolating } = execution;
      // Interpolated env values that are secrets are masked from now on; secure values that went into
      // fields are masked already (they are variables of the environment).
      for (const value of this.ownLayer().values()) if (value.isSecure()) masker.add(value.value());
      if (interpolating) {
        const variables = secureLookup(shared, this.ownLayer());
        prepared = interpolateTask(original, { ...this.context(), variables }).task;
        const ownEnv = ownEnvironment(original, this.ownLayer());
        if (ownEnv) {
          if (prepared === original) prepared = copyTask(original, {});
          prepared.environment = ownEnv;
        }
      }
    }
    this.task = prepared;
    const dir = 'workingDir' in prepared.config ? prepared.config.workingDir : undefined;
    const base = execution.baseDir;
    this.workingDirectory = dir ? (isAbsolute(dir) ? dir : resolve(base, dir)) : base;
  }

  get environment(): Record<string, string> {
    this.revealed ??= this.execution.manager.revealTaskEnvironment(this.execution.shared, this.ownLayer());
    return this.revealed;
  }

  /**
   * The same environment in layers: the execution's shared variables (one object for every attempt) and
   * this attempt's own (its `env` and jorm's variables), which a fork server sends alone.
   */
  get environmentLayers(): EnvironmentLayers {
    if (!this.layers) {
      let overrides: Record<string, string>;
      if (!this.own && !hasVariables(this.original.environment)) {
        // The layer of a task without `env` is jorm's variables alone: no secure values to wrap.
        overrides = this.builtins();
      } else {
        overrides = Object.create(null);
        for (const [name, value] of this.ownLayer()) overrides[name] = value.value();
      }
      this.layers = { base: this.execution.shared.revealed, overrides };
    }
    return this.layers;
  }

  get inheritedVariables(): ReadonlySet<string> {
    const inherited = this.execution.shared.inherited;
    const own = this.ownLayer();
    let shadowed = false;
    for (const name of own.keys()) {
      if (inherited.has(name)) {
        shadowed = true;
        break;
      }
    }
    if (!shadowed) return inherited;
    const names = new Set(inherited);
    for (const name of own.keys()) names.delete(name);
    return names;
  }

  get secureEnvironment(): Record<string, SecureValue> {
    this.secure ??= Object.fromEntries([...this.execution.shared.values, ...this.ownLayer()]);
    return this.secure;
  }

  private context(): InterpolationContext {
    return { ...this.execution.context, taskOutputs: this.upstream };
  }

  /** The task's own variables: its `env` and jorm's per-task variables. */
  private ownLayer(): Map<string, SecureValue> {
    if (this.own) return this.own;
    const { manager, shared } = this.execution;
    this.own = manager.buildTaskLayer(shared, this.original.environment, this.context(), this.builtins());
    return this.own;
  }

  /** jorm's variables for this attempt (`JORM_TASK_ID`, `JORM_OUTPUT_<ID>` of its direct dependencies, …). */
  private builtins(): Record<string, string> {
    const { dagId, executionId } = this.execution;
    const task = this.original;
    const direct: [string, TaskResult][] = [];
    for (const id of task.dependsOn) {
      const result = this.upstream[id];
      if (result) direct.push([id, result]);
    }
    return builtinVariables({ dagId, executionId, taskId: task.id, attempt: this.attempt }, direct);
  }
}

/** The variables `${NAME}` sees in a task's fields: its own layer and builtins over the shared layers. */
function secureLookup(
  shared: SharedEnvironment,
  own: ReadonlyMap<string, SecureValue>,
): Record<string, SecureValue> {
  return new Proxy({} as Record<string, SecureValue>, {
    get: (_target, name) =>
      typeof name === 'string' ? (own.get(name) ?? shared.values.get(name)) : undefined,
  });
}

/** The task's own variables with their interpolated values, when any of them changed. */
function ownEnvironment(
  task: Task,
  own: ReadonlyMap<string, SecureValue>,
): Record<string, string> | undefined {
  let changed = false;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(task.environment)) {
    const now = own.get(name)?.value();
    if (now === undefined) continue;
    out[name] = now;
    if (now !== value) changed = true;
  }
  return changed ? out : undefined;
}
