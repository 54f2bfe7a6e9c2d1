/**
 * {@link ShellTaskExecutor}: runs a task's `command` in a shell (`sh` by default).
 * @module
 */

import type { ExecutionContext, TaskExecutor, TaskOutcome } from '../engine/task-executor.js';
import type { ShellTaskConfig, Task } from '../model/task.js';
import type { LauncherChoice } from '../process/launchers.js';
import type { ProcessLauncher } from '../process/types.js';
import { outputData } from './output-data.js';
import { contextSpec, lastLine, processOutcome } from './process-outcome.js';
import { processRuntime } from './process-runtime.js';
import { checkShell, PLATFORM_DEFAULT_SHELL, shellInvocation } from './shell-invocation.js';
import {
  checkExecutorTimeout,
  configOfKind,
  DEFAULT_EXECUTOR_TIMEOUT,
  optionalOneOf,
  optionalString,
  requireString,
} from './validate-config.js';

/** Options of {@link ShellTaskExecutor}. */
export interface ShellExecutorOptions {
  /** The shell of tasks that name none. @defaultValue `'sh'` (`'cmd'` on Windows) */
  shell?: string;
  /** The timeout of shell tasks when neither the task nor the executor config sets one, ms. @defaultValue 300000 */
  timeout?: number;
  /**
   * How processes are started: `auto` (the fork server when available, else spawn; the `JORM_LAUNCHER`
   * environment variable overrides), `spawn`, `fork-server`, or a launcher of one's own. @defaultValue `'auto'`
   */
  launcher?: LauncherChoice | ProcessLauncher;
}

/** Runs shell commands (the reference's `ShellTaskExecutor`). */
export class ShellTaskExecutor implements TaskExecutor {
  readonly taskType = 'shell';
  /** The shell of tasks that name none. */
  readonly shell: string;
  private readonly timeout: number | undefined;
  private readonly launcherChoice: LauncherChoice | ProcessLauncher;
  private launcher: ProcessLauncher | undefined;

  constructor(options: ShellExecutorOptions = {}) {
    this.shell = options.shell ?? PLATFORM_DEFAULT_SHELL;
    checkShell(this.shell);
    this.timeout = checkExecutorTimeout('ShellTaskExecutor', options.timeout);
    this.launcherChoice = options.launcher ?? 'auto';
  }

  /** A shell executor whose tasks time out after `timeout` ms by default. */
  static withTimeout(timeout: number): ShellTaskExecutor {
    return new ShellTaskExecutor({ timeout });
  }

  /** A shell executor whose tasks run in `shell` by default. */
  static withShell(shell: string): ShellTaskExecutor {
    return new ShellTaskExecutor({ shell });
  }

  supportsParallel(): boolean {
    return true;
  }

  defaultTimeout(): number {
    return this.timeout ?? DEFAULT_EXECUTOR_TIMEOUT;
  }

  validateTask(task: Task): void {
    const config = configOfKind(task, ['shell'], 'a "command"');
    requireString('command', config.command);
    optionalString('working_dir', config.workingDir);
    const shell = optionalString('shell', config.shell);
    if (shell !== undefined) checkShell(shell);
    optionalOneOf('output', config.output, ['text', 'json', 'lines']);
  }

  async execute(task: Task, context: ExecutionContext): Promise<TaskOutcome> {
    const config = configOfKind(task, ['shell'], 'a "command"') as ShellTaskConfig;
    const shell = config.shell ?? this.shell;
    const { resolveLauncher, runProcess } = await processRuntime();
    this.launcher ??= resolveLauncher(this.launcherChoice);
    const invocation = shellInvocation(shell, config.command);
    const result = await runProcess(Object.assign(contextSpec(context), invocation), this.launcher);
    const outcome = processOutcome(result);
    outcome.metadata!['shell'] = shell;
    if (result.exitCode === 127 && !result.aborted) {
      const detail = lastLine(result.stderr);
      outcome.errorMessage = `exited with code 127: command not found${detail ? ` (${detail})` : ''}`;
    } else if (result.exitCode === 126 && !result.aborted) {
      const detail = lastLine(result.stderr);
      outcome.errorMessage = `exited with code 126: command not executable${detail ? ` (${detail})` : ''}`;
    }
    if (config.output && config.output !== 'text' && result.exitCode === 0 && !result.aborted) {
      const parsed = outputData(config.output, result.stdout, result.stdoutTruncated);
      if (parsed.ok) outcome.outputData = parsed.data;
      else {
        outcome.status = 'failed';
        outcome.errorMessage = parsed.message;
      }
    }
    return outcome;
  }
}
