/**
 * `jorm resume <execution-id> [--force]`: finishes an interrupted, failed or cancelled execution under the
 * same id — succeeded tasks are kept, the others run again — with the same display, configuration and
 * environment handling as `jorm run`. `jorm resume --list` lists what can be resumed.
 * @module
 */

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { addConfigFileOptions, configFlagsOf } from '../../config/cli-options.js';
import { loadConfiguration } from '../../config/load.js';
import { loadExecutorModules } from '../../distributed/register-modules.js';
import { addRegisterOption, registerModulesOf } from '../../distributed/register-option.js';
import type { DistributedSettings } from '../../distributed/settings.js';
import type { NativeExecutorInit } from '../../engine/native-executor.js';
import { TaskRegistry } from '../../engine/registry.js';
import { executionResultToJson } from '../../engine/serialize.js';
import { envFileBeside, readEnvFile } from '../../env/dotenv.js';
import '../../executors/defaults.js';
import { STATE_OPTION_HELP } from '../../state/open-for-cli.js';
import { planResume } from '../../state/resume-plan.js';
import { renderResumable } from '../../state/resume-report.js';
import { StateManager } from '../../state/state-manager.js';
import { StatefulExecutor } from '../../state/stateful-executor.js';
import { painter, useColor } from '../display/format.js';
import { createRunDisplay } from '../display/run-display.js';
import { renderSummary } from '../display/summary.js';
import { CliExit, ExitCode } from '../exit-codes.js';
import { loadDagForCli } from '../load-dag.js';
import { registerCommand } from '../program.js';
import { Interrupts } from '../run/interrupts.js';
import { collectEnv, collectParam } from '../run/options.js';
import { stateFailureExit } from '../run/state-failure.js';

const say = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function configurationOf(raw: Record<string, unknown>, cwd: string) {
  const configuration = loadConfiguration({
    cwd,
    ...(typeof raw['config'] === 'string' ? { configPath: raw['config'] } : {}),
    ...(typeof raw['profile'] === 'string' ? { profile: raw['profile'] } : {}),
    flags: configFlagsOf(raw),
  });
  for (const warning of configuration.warnings) say(`jorm: warning: ${warning}`);
  return configuration;
}

/** The execution backend of the configuration (loaded only when it is not the local one). */
async function backendOf(settings: DistributedSettings): Promise<Pick<NativeExecutorInit, 'backend'>> {
  if ((settings.backend ?? 'local') === 'local') return {};
  const { createExecutionBackend } = await import('../../distributed/create-backend.js');
  return { backend: createExecutionBackend(settings) };
}

function listResumable(manager: StateManager, json: boolean): void {
  const interrupted = manager.listRecoverableExecutions();
  const retryable = [
    ...manager.listExecutions({ status: 'failed', limit: 10 }),
    ...manager.listExecutions({ status: 'cancelled', limit: 10 }),
  ].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  if (json) process.stdout.write(`${JSON.stringify({ interrupted, retryable }, null, 2)}\n`);
  else process.stdout.write(renderResumable(interrupted, retryable));
}

async function resume(idOrPrefix: string, raw: Record<string, unknown>): Promise<number> {
  const cwd = process.cwd();
  const configuration = configurationOf(raw, cwd);
  const manager = StateManager.open(configuration.state.config, { mustExist: true, cwd });
  let executor: StatefulExecutor | undefined;
  try {
    const id = manager.resolveExecutionId(idOrPrefix);
    const file = typeof raw['file'] === 'string' ? raw['file'] : manager.loadExecutionState(id)?.dagFile;
    if (file === undefined) {
      throw new CliExit(
        ExitCode.InvalidInput,
        `jorm: execution ${id} has no recorded DAG file; name it with --file PATH`,
      );
    }
    const registry = TaskRegistry.withDefaultExecutors();
    await loadExecutorModules(registry, registerModulesOf(raw));
    const dag = await loadDagForCli(file, registry);
    const force = raw['force'] === true;
    const params = raw['param'] as Record<string, string> | undefined;
    planResume(manager, id, dag, { force, ...(params ? { params } : {}) }); // refuses early, before anything is set up
    const quiet = raw['quiet'] === true;
    const config = { ...configuration.executor };
    if (configuration.sources['executor.default_timeout']?.kind === 'default') {
      delete (config as Partial<typeof config>).defaultTimeout;
    }
    executor = new StatefulExecutor(config, manager, {
      taskRegistry: registry,
      environment: configuration.environment,
      ...(await backendOf(configuration.distributed ?? {})),
    });
    const envFilePath = typeof raw['envFile'] === 'string' ? raw['envFile'] : envFileBeside(file);
    const display = createRunDisplay(dag, process.stderr, { quiet });
    const interrupts = new Interrupts(say, () => display.close()).install();
    try {
      const result = await executor
        .resumeExecution(id, dag, {
          force,
          ...(params ? { params } : {}),
          signal: interrupts.controller.signal,
          onEvent: (event) => display.onEvent(event),
          commandLineEnv: (raw['env'] as Record<string, string> | undefined) ?? {},
          ...(envFilePath ? { envFile: readEnvFile(resolve(cwd, envFilePath)) } : {}),
        })
        .catch((error: unknown) => {
          display.close();
          throw stateFailureExit(error);
        });
      display.close();
      if (raw['json'] === true) {
        process.stdout.write(`${JSON.stringify(executionResultToJson(result), null, 2)}\n`);
      } else {
        const hints = [
          `details: jorm show ${result.executionId}`,
          `output:  jorm logs ${result.executionId} <task>`,
        ];
        process.stdout.write(renderSummary(result, dag, { paint: painter(useColor(process.stdout)), hints }));
      }
      if (interrupts.received !== undefined || result.status === 'cancelled') return ExitCode.Interrupted;
      return result.status === 'success' ? ExitCode.Success : ExitCode.TaskFailed;
    } finally {
      display.close();
      interrupts.dispose();
    }
  } finally {
    if (executor) await executor.close();
    else manager.close();
  }
}

registerCommand((program: Command) => {
  const command = program
    .command('resume')
    .description(
      'finish an interrupted, failed or cancelled execution under the same id: succeeded tasks are kept, the others run again',
    )
    .argument('[execution-id]', 'an execution id, or a unique prefix of at least 6 characters')
    .option('--list', 'list the executions that can be resumed')
    .option('--force', 'resume even if the DAG changed since the run (or the run still looks alive)')
    .option('--file <path>', 'the DAG file to run (default: the file the execution ran)')
    .option('--concurrency <n>', 'tasks running at once (default: the number of CPU cores)')
    .option('--timeout <duration>', 'timeout of tasks that set none, e.g. 90s or 10m')
    .option('--fail-fast', 'at the first failure, start nothing more and cancel the running tasks')
    .option(
      '-e, --env <KEY=VALUE>',
      'a DAG-level environment variable, as given to jorm run (repeatable)',
      collectEnv,
    )
    .option('--env-file <path>', 'a .env file of variables (default: .env beside the DAG file)')
    .option(
      '-p, --param <NAME=VALUE>',
      'a secret parameter of the run, which jorm does not store: give it again (repeatable)',
      collectParam,
    )
    .option('--json', 'print the result as one JSON document on stdout')
    .option('-q, --quiet', 'show no progress, only the summary')
    .option('--state <path>', STATE_OPTION_HELP)
    .option('--backend <name>', 'where the re-run tasks run: local (default) or bullmq')
    .option('--redis <url>', 'the Redis of the bullmq backend (default redis://127.0.0.1:6379)')
    .option('--queue <name>', 'the queue of the bullmq backend');
  addConfigFileOptions(command);
  addRegisterOption(command);
  command.action(async (idOrPrefix: string | undefined, raw: Record<string, unknown>) => {
    if (raw['list'] === true) {
      const configuration = configurationOf(raw, process.cwd());
      const manager = StateManager.open(configuration.state.config, { mustExist: true });
      try {
        listResumable(manager, raw['json'] === true);
      } finally {
        manager.close();
      }
      return;
    }
    if (idOrPrefix === undefined) {
      throw new CliExit(ExitCode.InvalidInput, 'jorm: name the execution to resume (see jorm resume --list)');
    }
    process.exitCode = await resume(idOrPrefix, raw);
  });
});
