/**
 * The task model: {@link Task}, its {@link TaskConfig} union and its retry policy.
 * @module
 */

import type { SourceLocation } from './diagnostic.js';
import { tryParseDuration } from './duration.js';
import { ValidationError } from './errors.js';

/** HTTP authentication of an HTTP task. */
export type AuthConfig =
  | { type: 'basic'; username: string; password: string }
  | { type: 'bearer'; token: string }
  /** An API key sent in a header (default `X-API-Key`) or, when `query` is set, as that query parameter. */
  | { type: 'api_key'; key: string; header?: string; query?: string };

/** How a shell task's stdout becomes its `outputData`: not at all, parsed as JSON, or split into lines. */
export type OutputMode = 'text' | 'json' | 'lines';

/** The file operations of a file task. */
export type FileOperationKind = 'copy' | 'move' | 'delete' | 'create';

/** A shell command (the reference's `TaskConfig::Shell`). */
export interface ShellTaskConfig {
  kind: 'shell';
  command: string;
  /** Working directory, relative to the executor's. */
  workingDir?: string;
  /** `sh` (default), `bash`, `zsh`, `fish`; `cmd` or `powershell` on Windows. */
  shell?: string;
  /** How stdout becomes `outputData`. @defaultValue `'text'` (no output data) */
  output?: OutputMode;
}

/** A Python script file, or an inline script when `script` contains a newline. */
export interface PythonScriptTaskConfig {
  kind: 'python_script';
  script: string;
  args: string[];
  /** The interpreter. @defaultValue `'python3'` */
  pythonPath?: string;
  workingDir?: string;
}

/** A Python function: `module.function(*args, **kwargs)`; its JSON return value becomes `outputData`. */
export interface PythonFunctionTaskConfig {
  kind: 'python_function';
  module: string;
  function: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  /** The interpreter. @defaultValue `'python3'` */
  pythonPath?: string;
  workingDir?: string;
}

/** An HTTP request. */
export interface HttpTaskConfig {
  kind: 'http_request';
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  auth?: AuthConfig;
  /** Per-request timeout in milliseconds. */
  timeout?: number;
  /** Statuses that count as success besides 2xx. */
  expectedStatus?: number[];
}

/** A file system operation. `create` writes `options.content` to `destination`. */
export interface FileTaskConfig {
  kind: 'file_operation';
  operation: FileOperationKind;
  source?: string;
  destination?: string;
  /** `overwrite` (boolean), `content` (string for `create`), … */
  options: Record<string, unknown>;
}

/** A jorm sub-command on another DAG file, run as a child process of the same jorm. */
export interface JormTaskConfig {
  kind: 'jorm';
  /** The words after `jorm`, e.g. `['execute', '--file', 'other.jorm']`. */
  args: string[];
  workingDir?: string;
}

/** The configuration of a task of a custom executor's type: its keys as written, for the executor to read. */
export interface CustomTaskConfig {
  kind: 'custom';
  values: Record<string, unknown>;
}

/** Configuration for the different task types, discriminated by `kind`. */
export type TaskConfig =
  | ShellTaskConfig
  | PythonScriptTaskConfig
  | PythonFunctionTaskConfig
  | HttpTaskConfig
  | FileTaskConfig
  | JormTaskConfig
  | CustomTaskConfig;

/** How the delay between attempts grows. */
export type BackoffStrategy = 'fixed' | 'linear' | 'exponential';

/** A task's own retry policy; overrides the executor's {@link RetryConfig}. */
export interface TaskRetryConfig {
  /** Attempts in all, the first included (`retries: 2` is 3 attempts). */
  maxAttempts: number;
  /** Delay before the first retry, ms. @defaultValue 1000 */
  initialDelay: number;
  /** Upper bound of any delay, ms. @defaultValue 60000 */
  maxDelay: number;
  /** @defaultValue `'exponential'` */
  backoff: BackoffStrategy;
  /** Growth factor for exponential backoff. @defaultValue 2 */
  multiplier: number;
  /** Retry only when the exit code is one of these; absent: any failure is retried. */
  retryOnExitCodes?: number[];
  /** Whether a timed-out attempt is retried. @defaultValue true */
  retryOnTimeout: boolean;
}

/** The executor-wide retry policy (the reference's `RetryConfig`). */
export interface RetryConfig {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** ms. */
  initialDelay: number;
  /** ms. */
  maxDelay: number;
  useExponential: boolean;
}

/** Resources a task declares it needs, checked by the scheduler. */
export interface TaskResources {
  /** CPU cores. */
  cpu?: number;
  /** Memory in bytes. */
  memory?: number;
}

/** The defaults of a task retry policy. */
export const DEFAULT_TASK_RETRY: Readonly<TaskRetryConfig> = Object.freeze({
  maxAttempts: 1,
  initialDelay: 1000,
  maxDelay: 60_000,
  backoff: 'exponential',
  multiplier: 2,
  retryOnTimeout: true,
});

/** The registry key of each built-in config kind. */
export function defaultTaskTypeOf(config: TaskConfig): string {
  switch (config.kind) {
    case 'shell':
      return 'shell';
    case 'python_script':
    case 'python_function':
      return 'python';
    case 'http_request':
      return 'http';
    case 'file_operation':
      return 'file';
    case 'jorm':
      return 'jorm';
    case 'custom':
      return 'custom';
    default:
      return assertNever(config);
  }
}

/** Exhaustiveness check for `switch` over unions. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}

/**
 * A single executable unit of a DAG.
 *
 * `taskType` names the executor that runs it (`shell`, `python`, `http`, `file`, `jorm`, or a custom type);
 * `config` holds what that executor reads.
 */
export class Task {
  /** Unique within its DAG. */
  readonly id: string;
  /** For display. @defaultValue the id */
  name: string;
  /** The registry key of the executor that runs it. */
  taskType: string;
  config: TaskConfig;
  /** Milliseconds; absent: the executor's default timeout. */
  timeout?: number;
  retryConfig?: TaskRetryConfig;
  /** Task-level environment variables (highest precedence). */
  environment: Record<string, string> = {};
  /** Ids of the tasks that must succeed before this one starts, in the order written. */
  dependsOn: string[] = [];
  metadata: Record<string, unknown> = {};
  description?: string;
  /** Worker tags required to run it (distributed backend). */
  tags: string[] = [];
  /** A queue of its own (distributed backend). */
  queue?: string;
  /** Declared resource needs. */
  resources?: TaskResources;
  /** Where the task is declared, when it came from a file. */
  location?: SourceLocation;
  /** Where each key of the task is written, for diagnostics (`command`, `depends_on`, …). */
  keyLocations: Record<string, SourceLocation> = {};

  constructor(id: string, name: string | undefined, taskType: string, config: TaskConfig) {
    this.id = id;
    this.name = name ?? id;
    this.taskType = taskType;
    this.config = config;
  }

  /** Adds a dependency (once) and returns the task. */
  addDependency(dependency: string): this {
    if (!this.dependsOn.includes(dependency)) this.dependsOn.push(dependency);
    return this;
  }

  /** Sets the timeout: milliseconds, or a string such as `30s`. */
  withTimeout(timeout: number | string): this {
    const ms = tryParseDuration(timeout);
    if (ms === undefined || ms <= 0) {
      throw new ValidationError(
        `timeout of task "${this.id}" must be a positive duration`,
        'timeout',
        String(timeout),
      );
    }
    this.timeout = ms;
    return this;
  }

  /** Sets a task environment variable. */
  withEnvVar(key: string, value: string): this {
    this.environment[key] = value;
    return this;
  }

  /** Sets the retry policy, filling unspecified fields with defaults. */
  withRetry(retry: Partial<TaskRetryConfig>): this {
    this.retryConfig = { ...DEFAULT_TASK_RETRY, ...retry };
    return this;
  }

  /** The task's timeout, or `defaultTimeout` (ms) when it has none. */
  effectiveTimeout(defaultTimeout: number): number {
    return this.timeout ?? defaultTimeout;
  }

  /** Convenience: a shell task. */
  static shell(id: string, command: string, options: Omit<ShellTaskConfig, 'kind' | 'command'> = {}): Task {
    return new Task(id, id, 'shell', { kind: 'shell', command, ...options });
  }
}
