/**
 * `jorm resume <execution-id> [--force]`: finishes an interrupted, failed or cancelled execution under the
 * same id — succeeded tasks are kept, the others run again. `jorm resume --list` lists what can be resumed.
 * @module
 */

import type { Command } from 'commander';
import { loadConfiguration } from '../../config/load.js';
import { createExecutionBackend } from '../../distributed/create-backend.js';
import { loadExecutorModules } from '../../distributed/register-modules.js';
import { collectModules } from '../../distributed/register-option.js';
import { TaskRegistry } from '../../engine/registry.js';
import '../../executors/defaults.js';
import { STATE_OPTION_HELP, type StateCliOptions, stateConfigForCli } from '../../state/open-for-cli.js';
import { planResume } from '../../state/resume-plan.js';
import { describePlan, progressLine, renderResumable, summaryLine } from '../../state/resume-report.js';
import { StateManager } from '../../state/state-manager.js';
import { StatefulExecutor } from '../../state/stateful-executor.js';
import { CliExit, ExitCode } from '../exit-codes.js';
import { loadDagForCli } from '../load-dag.js';
import { registerCommand } from '../program.js';
import { positiveInt } from './history.js';

interface ResumeOptions extends StateCliOptions {
  list?: boolean;
  force?: boolean;
  file?: string;
  concurrency?: number;
  json?: boolean;
  quiet?: boolean;
  /** `--backend`, `--redis`, `--queue`: where the re-run tasks run (as for `jorm run`). */
  backend?: string;
  redis?: string;
  queue?: string;
  /** `--register MODULE`: executor modules (as for `jorm run`). */
  register?: string[];
}

function listResumable(manager: StateManager, json: boolean): void {
  const interrupted = manager.listRecoverableExecutions();
  const retryable = [
    ...manager.listExecutions({ status: 'failed', limit: 10 }),
    ...manager.listExecutions({ status: 'cancelled', limit: 10 }),
  ].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  if (json) {
    process.stdout.write(`${JSON.stringify({ interrupted, retryable }, null, 2)}\n`);
    return;
  }
  process.stdout.write(renderResumable(interrupted, retryable));
}

async function resume(idOrPrefix: string, options: ResumeOptions): Promise<void> {
  const cwd = process.cwd();
  const { backend, redis, queue } = options;
  const configuration = loadConfiguration({
    cwd,
    flags: { ...(backend ? { backend } : {}), ...(redis ? { redis } : {}), ...(queue ? { queue } : {}) },
  });
  const manager = StateManager.open(stateConfigForCli(options, cwd), { mustExist: true, cwd });
  let executor: StatefulExecutor | undefined;
  try {
    const id = manager.resolveExecutionId(idOrPrefix);
    const file = options.file ?? manager.loadExecutionState(id)?.dagFile;
    if (file === undefined) {
      throw new CliExit(
        ExitCode.InvalidInput,
        `jorm: execution ${id} has no recorded DAG file; name it with --file PATH`,
      );
    }
    const registry = TaskRegistry.withDefaultExecutors();
    await loadExecutorModules(registry, options.register ?? []);
    const dag = await loadDagForCli(file, registry);
    const plan = planResume(manager, id, dag, { force: options.force ?? false });
    if (!options.quiet) process.stderr.write(`${describePlan(plan, dag.id)}\n`);
    const config = {
      ...configuration.executor,
      ...(options.concurrency === undefined ? {} : { maxConcurrentTasks: options.concurrency }),
    };
    executor = new StatefulExecutor(config, manager, {
      taskRegistry: registry,
      environment: configuration.environment,
      backend: createExecutionBackend(configuration.distributed ?? {}),
    });
    const controller = new AbortController();
    const interrupt = () => controller.abort();
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    try {
      const result = await executor.resumeExecution(id, dag, {
        force: options.force ?? false,
        signal: controller.signal,
        onEvent: (event) => {
          if (options.quiet) return;
          const line = progressLine(event);
          if (line !== undefined) process.stderr.write(`${line}\n`);
        },
      });
      if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else process.stdout.write(`${summaryLine(result)}\n`);
      process.exitCode =
        result.status === 'success'
          ? ExitCode.Success
          : result.status === 'cancelled'
            ? ExitCode.Interrupted
            : ExitCode.TaskFailed;
    } finally {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
    }
  } finally {
    if (executor) await executor.close();
    else manager.close();
  }
}

registerCommand((program: Command) => {
  program
    .command('resume')
    .description(
      'finish an interrupted, failed or cancelled execution under the same id: succeeded tasks are kept, the others run again',
    )
    .argument('[execution-id]', 'an execution id, or a unique prefix of at least 6 characters')
    .option('--list', 'list the executions that can be resumed')
    .option('--force', 'resume even if the DAG changed since the run (or the run still looks alive)')
    .option('--file <path>', 'the DAG file to run (default: the file the execution ran)')
    .option('--concurrency <n>', 'tasks running at once', positiveInt)
    .option('--json', 'print the execution result as JSON')
    .option('--quiet', 'print only the summary')
    .option('--state <path>', STATE_OPTION_HELP)
    .option('--backend <name>', 'where the re-run tasks run: local (default) or bullmq')
    .option('--redis <url>', 'the Redis of the bullmq backend (default redis://127.0.0.1:6379)')
    .option('--queue <name>', 'the queue of the bullmq backend')
    .option('--register <module>', 'load executors from a module (repeatable)', collectModules)
    .action(async (idOrPrefix: string | undefined, options: ResumeOptions) => {
      if (options.list) {
        const manager = StateManager.open(stateConfigForCli(options), { mustExist: true });
        try {
          listResumable(manager, options.json ?? false);
        } finally {
          manager.close();
        }
        return;
      }
      if (idOrPrefix === undefined) {
        throw new CliExit(
          ExitCode.InvalidInput,
          'jorm: name the execution to resume (see jorm resume --list)',
        );
      }
      await resume(idOrPrefix, options);
    });
});
