/**
 * `jorm show <execution-id> [--json]`: one execution and its task table (status, attempts, duration,
 * exit code, error).
 * @module
 */

import type { Command } from 'commander';
import { renderExecution } from '../../state/format.js';
import { STATE_OPTION_HELP, type StateCliOptions, withStateForCli } from '../../state/open-for-cli.js';
import type { TaskAttemptRecord } from '../../state/types.js';
import { registerCommand } from '../program.js';

interface ShowOptions extends StateCliOptions {
  json?: boolean;
}

registerCommand((program: Command) => {
  program
    .command('show')
    .description('show one execution: its tasks with status, attempts, duration, exit code and error')
    .argument('<execution-id>', 'an execution id, or a unique prefix of at least 6 characters')
    .option('--json', 'print the execution, its tasks and their attempts as JSON')
    .option('--state <path>', STATE_OPTION_HELP)
    .action(async (idOrPrefix: string, options: ShowOptions) => {
      await withStateForCli(options, (manager) => {
        const id = manager.resolveExecutionId(idOrPrefix);
        const summary = manager.getExecution(id);
        const state = manager.loadExecutionState(id);
        if (!summary || !state) throw new Error(`execution ${id} vanished while being read`);
        const attempts = manager.getTaskAttempts(id);
        const interrupted = manager.isInterrupted(summary);
        if (!options.json) {
          process.stdout.write(renderExecution(summary, state, attempts, interrupted));
          return;
        }
        const byTask = new Map<string, TaskAttemptRecord[]>();
        for (const a of attempts) byTask.set(a.taskId, [...(byTask.get(a.taskId) ?? []), a]);
        const { taskStates, ...execution } = state;
        const document = {
          execution: { ...summary, ...execution, interrupted },
          tasks: Object.values(taskStates).map(({ latest: _latest, ...task }) => ({
            ...task,
            attemptRecords: byTask.get(task.taskId) ?? [],
          })),
        };
        process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      });
    });
});
