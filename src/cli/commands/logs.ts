/**
 * `jorm logs <execution-id> [task-id] [--attempt N] [--follow]`: the stored output of an execution's
 * tasks. For one task, stdout goes to stdout and stderr to stderr; for a whole execution, every attempt's
 * output is printed under a `==> task (attempt N) <==` header (`, stderr` for its stderr). `--follow` keeps streaming while it runs.
 * @module
 */

import type { Command } from 'commander';
import { didYouMean } from '../../model/diagnostic.js';
import { followLogs } from '../../state/log-follow.js';
import { STATE_OPTION_HELP, type StateCliOptions, withStateForCli } from '../../state/open-for-cli.js';
import { CliExit, ExitCode } from '../exit-codes.js';
import { registerCommand } from '../program.js';
import { positiveInt } from './history.js';

interface LogsOptions extends StateCliOptions {
  attempt?: number;
  follow?: boolean;
}

registerCommand((program: Command) => {
  program
    .command('logs')
    .description("print the stored output of an execution's tasks (--follow: stream it while it runs)")
    .argument('<execution-id>', 'an execution id, or a unique prefix of at least 6 characters')
    .argument('[task-id]', 'only this task (stdout to stdout, stderr to stderr)')
    .option(
      '--attempt <n>',
      'only this attempt of the task (default: every attempt, the latest last)',
      positiveInt,
    )
    .option('-f, --follow', 'keep printing new output until the task (or the execution) ends')
    .option('--state <path>', STATE_OPTION_HELP)
    .action(async (idOrPrefix: string, taskId: string | undefined, options: LogsOptions) => {
      await withStateForCli(options, async (manager) => {
        const id = manager.resolveExecutionId(idOrPrefix);
        if (taskId !== undefined) {
          const task = manager.getTaskState(id, taskId);
          if (!task) {
            const ids = Object.keys(manager.loadExecutionState(id)?.taskStates ?? {});
            const hint = didYouMean(taskId, ids);
            throw new CliExit(
              ExitCode.InvalidInput,
              `jorm: execution ${id} has no task "${taskId}"${hint ? ` (did you mean "${hint}"?)` : ''}`,
            );
          }
          if (options.attempt !== undefined && options.attempt > task.attempts && !options.follow) {
            throw new CliExit(
              ExitCode.InvalidInput,
              `jorm: task "${taskId}" has ${task.attempts} attempt(s), not ${options.attempt}`,
            );
          }
          if (task.attempts === 0 && !options.follow) {
            process.stderr.write(
              `task "${taskId}" never started (${task.status}${task.errorMessage ? `: ${task.errorMessage}` : ''})\n`,
            );
            return;
          }
        } else if (options.attempt !== undefined) {
          throw new CliExit(ExitCode.InvalidInput, 'jorm: --attempt needs a task id');
        }
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once('SIGINT', stop);
        try {
          await printLogs(manager, id, taskId, options, controller.signal);
        } finally {
          process.off('SIGINT', stop);
        }
      });
    });
});

async function printLogs(
  manager: Parameters<typeof followLogs>[0],
  id: string,
  taskId: string | undefined,
  options: LogsOptions,
  signal: AbortSignal,
): Promise<void> {
  const items = followLogs(manager, id, {
    follow: options.follow ?? false,
    signal,
    ...(taskId === undefined ? {} : { taskId }),
    ...(options.attempt === undefined ? {} : { attempt: options.attempt }),
  });
  let current = '';
  let atLineStart = true;
  for await (const item of items) {
    switch (item.kind) {
      case 'attempt':
        if (taskId !== undefined && item.attempt > 1 && options.attempt === undefined) {
          process.stderr.write(`--- ${item.taskId}: attempt ${item.attempt} ---\n`);
        }
        break;
      case 'output': {
        if (taskId !== undefined) {
          (item.stream === 'stdout' ? process.stdout : process.stderr).write(item.text);
          break;
        }
        const source = `${item.taskId} (attempt ${item.attempt}${item.stream === 'stderr' ? ', stderr' : ''})`;
        if (source !== current) {
          process.stdout.write(`${atLineStart ? '' : '\n'}==> ${source} <==\n`);
          current = source;
        }
        process.stdout.write(item.text);
        atLineStart = item.text.endsWith('\n');
        break;
      }
      case 'interrupted':
        process.stderr.write(
          `jorm: execution ${id} was interrupted (its process is gone); resume it with jorm resume ${id}\n`,
        );
        break;
    }
  }
}
