/**
 * {@link JormTaskExecutor}: runs a jorm command (`run`, `validate`, …) on another DAG file as a child
 * process of the same jorm (`node <jorm cli> ...args`).
 * @module
 */

import { JORM_CLI_PATH } from '../cli-path.js';
import type { ExecutionContext, TaskExecutor, TaskOutcome } from '../engine/task-executor.js';
import type { JormTaskConfig, Task } from '../model/task.js';
import { contextSpec, processOutcome } from './process-outcome.js';
import { processRuntime } from './process-runtime.js';
import {
  checkExecutorTimeout,
  configOfKind,
  DEFAULT_EXECUTOR_TIMEOUT,
  optionalString,
  requireStringArray,
} from './validate-config.js';

/** Options of {@link JormTaskExecutor}. */
export interface JormExecutorOptions {
  /** The timeout of jorm tasks when neither the task nor the executor config sets one, ms. @defaultValue 300000 */
  timeout?: number;
  /** The CLI entry point to run. @defaultValue this installation's `jorm` executable (`JORM_CLI_PATH`) */
  cliPath?: string;
}

/** Runs jorm commands as child processes. With `--json` in the arguments, the JSON stdout becomes `outputData`. */
/** How much longer than its grace period a stopped nested jorm is given to end its tasks, ms. */
const NESTED_KILL_MARGIN_MS = 2000;

export class JormTaskExecutor implements TaskExecutor {
  readonly taskType = 'jorm';
  private readonly timeout: number | undefined;
  private readonly cliPath: string;

  constructor(options: JormExecutorOptions = {}) {
    this.timeout = checkExecutorTimeout('JormTaskExecutor', options.timeout);
    this.cliPath = options.cliPath ?? JORM_CLI_PATH;
  }

  supportsParallel(): boolean {
    return true;
  }

  defaultTimeout(): number {
    return this.timeout ?? DEFAULT_EXECUTOR_TIMEOUT;
  }

  validateTask(task: Task): void {
    const config = configOfKind(task, ['jorm'], 'a jorm "command"');
    requireStringArray('command', config.args);
    optionalString('working_dir', config.workingDir);
  }

  async execute(task: Task, context: ExecutionContext): Promise<TaskOutcome> {
    const config = configOfKind(task, ['jorm'], 'a jorm "command"') as JormTaskConfig;
    const args = [this.cliPath, ...config.args];
    const { runProcess, sharedSpawnLauncher } = await processRuntime();
    // Stopped (timeout, cancel), the nested jorm cancels its own tasks, each in a process group of its
    // own, and kills the stubborn ones after its grace period: it gets this run's grace period (unless
    // the task's environment sets one), and this run waits that long and a margin before it kills it,
    // so that its tasks never outlive it.
    const grace = context.killGracePeriod;
    const env = context.environment;
    const { envLayers: _layers, ...spec } = contextSpec(context);
    const result = await runProcess(
      {
        ...spec,
        env:
          env['JORM_KILL_GRACE_PERIOD'] === undefined
            ? { ...env, JORM_KILL_GRACE_PERIOD: `${grace}ms` }
            : env,
        killGracePeriod: grace + NESTED_KILL_MARGIN_MS,
        file: process.execPath,
        args,
      },
      sharedSpawnLauncher(),
    );
    const outcome = processOutcome(result);
    outcome.metadata!['command'] = ['jorm', ...config.args].join(' ');
    if (config.args.includes('--json') && result.stdout.trim() !== '' && result.stdoutTruncated === 0) {
      try {
        outcome.outputData = JSON.parse(result.stdout) as unknown;
      } catch {
        outcome.metadata!['jsonError'] = 'stdout is not valid JSON';
      }
    }
    return outcome;
  }
}
