/**
 * `jorm history [--dag NAME] [--status S] [--limit N] [--json]`: the executions in the state database,
 * newest first (id, dag, status, start, duration, task counts).
 * @module
 */

import { type Command, InvalidArgumentError, Option } from 'commander';
import type { ExecutionStatus } from '../../model/result.js';
import { renderHistory } from '../../state/format.js';
import { STATE_OPTION_HELP, type StateCliOptions, withStateForCli } from '../../state/open-for-cli.js';
import { registerCommand } from '../program.js';

const STATUSES: ExecutionStatus[] = ['running', 'success', 'failed', 'cancelled'];

interface HistoryOptions extends StateCliOptions {
  dag?: string;
  status?: ExecutionStatus;
  limit: number;
  json?: boolean;
}

/** Parses a positive whole number option. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError(
      `expected a whole number from 1 to ${Number.MAX_SAFE_INTEGER}, got "${value}"`,
    );
  return n;
}

registerCommand((program: Command) => {
  program
    .command('history')
    .description('list executions recorded in the state database, newest first')
    .option('--dag <name>', 'only executions of this DAG')
    .addOption(new Option('--status <status>', 'only executions with this status').choices(STATUSES))
    .option('--limit <n>', 'at most this many executions', positiveInt, 20)
    .option('--json', 'print a JSON array of executions')
    .option('--state <path>', STATE_OPTION_HELP)
    .action(async (options: HistoryOptions) => {
      await withStateForCli(options, (manager) => {
        const filter = {
          limit: options.limit,
          ...(options.dag === undefined ? {} : { dagId: options.dag }),
          ...(options.status === undefined ? {} : { status: options.status }),
        };
        const summaries = manager.listExecutions(filter);
        if (options.json) {
          const rows = summaries.map((s) => ({ ...s, interrupted: manager.isInterrupted(s) }));
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        if (summaries.length === 0) {
          process.stderr.write(
            `no executions${options.dag || options.status ? ' match' : ' yet'} in ${manager.displayName}\n`,
          );
          return;
        }
        process.stdout.write(renderHistory(summaries, (s) => manager.isInterrupted(s)));
        const total = manager.countExecutions(filter);
        if (total > summaries.length)
          process.stderr.write(`(${summaries.length} of ${total}; --limit N for more)\n`);
      });
    });
});
