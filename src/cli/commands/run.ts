/**
 * `jorm run <file>`: runs a DAG file. Every option is parsed into {@link RunOptions} here and handed to
 * `runDagFile` (src/cli/run/run-dag.ts); features of other areas plug in as run extensions.
 * @module
 */

import type { Command } from 'commander';
import { addConfigFileOptions, addExtraValueOptions } from '../../config/cli-options.js';
import { registerCommand } from '../program.js';
import { runExtensions } from '../run/extensions.js';
import { collectEnv, collectParam, type RunOptions, runOptionsOf } from '../run/options.js';

export type { RunOptions };

registerCommand((program: Command) => {
  const command = program
    .command('run')
    .description('run a DAG file: each task starts as soon as its dependencies succeeded and a slot is free')
    .argument('<file>', 'the DAG file (.jorm, .yaml, .yml or .json)')
    .option('--concurrency <n>', 'tasks running at once (default: the number of CPU cores)')
    .option('--timeout <duration>', 'timeout of tasks that set none, e.g. 90s or 10m (default: 5m)')
    .option('--fail-fast', 'at the first failure, start nothing more and cancel the running tasks')
    .option('--dry-run', 'print the order and the parallel waves, and run nothing')
    .option('--json', 'print the result as one JSON document on stdout (everything else goes to stderr)')
    .option('-q, --quiet', 'show no progress, only the summary')
    .option('-e, --env <KEY=VALUE>', 'set a DAG-level environment variable (repeatable)', collectEnv)
    .option('-p, --param <NAME=VALUE>', 'set the parameter NAME of the DAG (repeatable)', collectParam)
    .option('--env-file <path>', 'a .env file of variables (default: .env beside the DAG file)')
    .option('--state <path>', 'state database (path or sqlite: URL; default .jorm/state.db)')
    .option('--no-state', 'do not record the execution in the state database')
    .option('--backend <name>', 'where tasks run: local (default) or bullmq')
    .option('--redis <url>', 'the Redis of the bullmq backend (default redis://127.0.0.1:6379)')
    .option('--queue <name>', 'the queue of the bullmq backend');
  addConfigFileOptions(command);
  addExtraValueOptions(command);
  for (const extension of runExtensions()) extension.addOptions?.(command);
  command.action(async (file: string, raw: Record<string, unknown>) => {
    // Loaded on use, so that other commands do not pay for the engine, state and backends.
    const { runDagFile } = await import('../run/run-dag.js');
    process.exitCode = await runDagFile(runOptionsOf(file, raw));
  });
});
