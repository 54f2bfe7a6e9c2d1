/**
 * {@link PythonTaskExecutor}: runs a Python script file with arguments, an inline script, or a function of a
 * module whose JSON return value becomes the task's `outputData`.
 * @module
 */

import { existsSync, promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import type { ExecutionContext, TaskExecutor, TaskOutcome } from '../engine/task-executor.js';
import { ValidationError } from '../model/errors.js';
import type { PythonFunctionTaskConfig, PythonScriptTaskConfig, Task } from '../model/task.js';
import type { ProcessResult } from '../process/types.js';
import { contextSpec, lastLine, processOutcome } from './process-outcome.js';
import { processRuntime } from './process-runtime.js';
import { NOT_SERIALIZABLE_EXIT, PYTHON_FUNCTION_BOOTSTRAP } from './python-bootstrap.js';
import {
  checkExecutorTimeout,
  configOfKind,
  DEFAULT_EXECUTOR_TIMEOUT,
  isPlainObject,
  optionalString,
  quote,
  requireString,
  requireStringArray,
} from './validate-config.js';

/** Options of {@link PythonTaskExecutor}. */
export interface PythonExecutorOptions {
  /** The interpreter of tasks that name none. @defaultValue `'python3'` (`'python'` on Windows) */
  pythonPath?: string;
  /** The timeout of Python tasks when neither the task nor the executor config sets one, ms. @defaultValue 300000 */
  timeout?: number;
}

type PythonConfig = PythonScriptTaskConfig | PythonFunctionTaskConfig;

const NEEDS = 'a "script", or a "module" and a "function"';

/** Runs Python scripts and functions (the reference's `PythonTaskExecutor`). */
export class PythonTaskExecutor implements TaskExecutor {
  readonly taskType = 'python';
  /** The interpreter of tasks that name none. */
  readonly pythonPath: string;
  private readonly timeout: number | undefined;

  constructor(options: PythonExecutorOptions = {}) {
    this.pythonPath = options.pythonPath ?? (process.platform === 'win32' ? 'python' : 'python3');
    this.timeout = checkExecutorTimeout('PythonTaskExecutor', options.timeout);
  }

  /** A Python executor that runs `pythonPath` by default. */
  static withPythonPath(pythonPath: string): PythonTaskExecutor {
    return new PythonTaskExecutor({ pythonPath });
  }

  /** A Python executor whose tasks time out after `timeout` ms by default. */
  static withTimeout(timeout: number): PythonTaskExecutor {
    return new PythonTaskExecutor({ timeout });
  }

  supportsParallel(): boolean {
    return true;
  }

  defaultTimeout(): number {
    return this.timeout ?? DEFAULT_EXECUTOR_TIMEOUT;
  }

  validateTask(task: Task): void {
    const config = configOfKind(task, ['python_script', 'python_function'], NEEDS);
    optionalString('python_path', config.pythonPath);
    optionalString('working_dir', config.workingDir);
    if (config.kind === 'python_script') {
      requireString('script', config.script);
      requireStringArray('args', config.args);
      return;
    }
    requireString('module', config.module);
    requireString('function', config.function);
    if (!Array.isArray(config.args)) {
      throw new ValidationError(
        `"args" must be a list, got ${quote(config.args)}`,
        'args',
        quote(config.args),
      );
    }
    if (!isPlainObject(config.kwargs)) {
      throw new ValidationError(
        `"kwargs" must be a map, got ${quote(config.kwargs)}`,
        'kwargs',
        quote(config.kwargs),
      );
    }
    for (const [field, value] of [
      ['args', config.args],
      ['kwargs', config.kwargs],
    ] as const) {
      try {
        JSON.stringify(value);
      } catch (error) {
        throw new ValidationError(`"${field}" must be JSON: ${String(error)}`, field, '(not JSON)');
      }
    }
  }

  async execute(task: Task, context: ExecutionContext): Promise<TaskOutcome> {
    const config = configOfKind(task, ['python_script', 'python_function'], NEEDS) as PythonConfig;
    const python = config.pythonPath ?? this.pythonPath;
    if (config.kind === 'python_function') return this.callFunction(config, python, context);
    const inline = config.script.includes('\n');
    if (!inline && !existsSync(resolve(context.workingDirectory, config.script))) {
      return {
        status: 'failed',
        errorMessage: `Python script "${config.script}" not found (looked in ${context.workingDirectory})`,
      };
    }
    const args = inline ? ['-c', config.script, ...config.args] : [config.script, ...config.args];
    const result = await this.run(python, args, context);
    return pythonOutcome(result, python);
  }

  private async callFunction(
    config: PythonFunctionTaskConfig,
    python: string,
    context: ExecutionContext,
  ): Promise<TaskOutcome> {
    const dir = await fsp.mkdtemp(join(tmpdir(), 'jorm-py-'));
    try {
      const callPath = join(dir, 'call.json');
      const resultPath = join(dir, 'result.json');
      const call = {
        module: config.module,
        function: config.function,
        args: config.args,
        kwargs: config.kwargs,
      };
      await fsp.writeFile(callPath, JSON.stringify(call));
      const result = await this.run(python, ['-c', PYTHON_FUNCTION_BOOTSTRAP, callPath, resultPath], context);
      const outcome = pythonOutcome(result, python);
      if (result.exitCode === NOT_SERIALIZABLE_EXIT && !result.aborted) {
        outcome.errorMessage = lastLine(result.stderr) ?? 'the return value is not JSON-serializable';
      }
      if (result.exitCode === 0 && !result.aborted) {
        const text = await fsp.readFile(resultPath, 'utf8').catch(() => undefined);
        if (text !== undefined) outcome.outputData = JSON.parse(text) as unknown;
      }
      return outcome;
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  }

  private async run(python: string, args: string[], context: ExecutionContext): Promise<ProcessResult> {
    const { runProcess, sharedSpawnLauncher } = await processRuntime();
    const spec = contextSpec(context);
    spec.env = pythonEnvironment(context.environment, context.workingDirectory);
    return runProcess({ ...spec, file: python, args }, sharedSpawnLauncher());
  }
}

/**
 * The task's environment with the working directory first on `PYTHONPATH` and, unless the task sets it,
 * `PYTHONUNBUFFERED=1` so that output streams as it is printed.
 */
function pythonEnvironment(env: Record<string, string>, cwd: string): Record<string, string> {
  const existing = env['PYTHONPATH'];
  const result: Record<string, string> = {
    ...env,
    PYTHONPATH: existing ? `${cwd}${delimiter}${existing}` : cwd,
  };
  if (result['PYTHONUNBUFFERED'] === undefined) result['PYTHONUNBUFFERED'] = '1';
  return result;
}

function pythonOutcome(result: ProcessResult, python: string): TaskOutcome {
  const outcome = processOutcome(result);
  outcome.metadata!['python'] = python;
  if (result.startError?.reason === 'not-found') {
    outcome.errorMessage = `Python interpreter "${python}" not found (install it, or set python_path / pythonPath)`;
  } else if (result.exitCode !== null && result.exitCode !== 0 && !result.aborted) {
    const detail = lastLine(result.stderr);
    outcome.errorMessage = `exited with code ${result.exitCode}${detail ? `: ${detail}` : ''}`;
  }
  return outcome;
}
