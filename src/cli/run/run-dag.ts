/**
 * The `jorm run` flow: load and check the DAG, read the configuration, build the executor (state,
 * backend, extensions), run with a display listening to the events, then print the summary or the JSON
 * result and return the exit code.
 * @module
 */

import { resolve } from 'node:path';
import { configFlagsOf } from '../../config/cli-options.js';
import { type Configuration, loadConfiguration } from '../../config/load.js';
import { loadExecutorModules } from '../../distributed/register-modules.js';
import { registerModulesOf } from '../../distributed/register-option.js';
import { NativeExecutor } from '../../engine/native-executor.js';
import { TaskRegistry } from '../../engine/registry.js';
import { executionResultToJson } from '../../engine/serialize.js';
import { envFileBeside, readEnvFile } from '../../env/dotenv.js';
import '../../executors/defaults.js';
import { newExecutionId } from '../../model/ids.js';
import type { ExecutionResult } from '../../model/result.js';
import { painter, useColor } from '../display/format.js';
import { createRunDisplay } from '../display/run-display.js';
import { renderSummary } from '../display/summary.js';
import { ExitCode } from '../exit-codes.js';
import { loadDagForCli } from '../load-dag.js';
import { dryRun, renderDryRun } from './dry-run.js';
import { type RunPlan, runExtensions } from './extensions.js';
import { Interrupts } from './interrupts.js';
import type { RunOptions } from './options.js';
import { stateFailureExit } from './state-failure.js';

const say = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** The executor configuration, leaving `defaultTimeout` unset when nobody set it (executors' own apply). */
function executorConfigOf(configuration: Configuration): RunPlan['config'] {
  const config = { ...configuration.executor };
  if (configuration.sources['executor.default_timeout']?.kind === 'default') {
    delete (config as Partial<typeof config>).defaultTimeout;
  }
  return config;
}

/** Builds what the run starts with. */
async function planRun(
  options: RunOptions,
  registry: TaskRegistry,
): Promise<RunPlan & { configuration: Configuration }> {
  const dag = await loadDagForCli(options.file, registry);
  const cwd = process.cwd();
  const configuration = loadConfiguration({
    cwd,
    ...(options.config ? { configPath: options.config } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    flags: configFlagsOf(options.raw),
  });
  for (const warning of configuration.warnings) say(`jorm: warning: ${warning}`);
  const envFilePath = options.envFile ?? envFileBeside(options.file);
  const execute: RunPlan['execute'] = {
    executionId: newExecutionId(),
    params: options.params,
    commandLineEnv: options.env,
    ...(envFilePath ? { envFile: readEnvFile(resolve(cwd, envFilePath)) } : {}),
  };
  const plan = {
    configuration,
    options,
    dag,
    config: executorConfigOf(configuration),
    init: {
      taskRegistry: registry,
      environment: configuration.environment,
      ...(await backendOf(configuration)),
    },
    execute,
    cleanups: [],
  };
  for (const extension of runExtensions()) await extension.beforeRun?.(plan);
  return plan;
}

/** The execution backend of the configuration (loaded only when it is not the local one). */
async function backendOf(configuration: Configuration): Promise<Pick<RunPlan['init'], 'backend'>> {
  const settings = configuration.distributed ?? {};
  if ((settings.backend ?? 'local') === 'local') return {};
  const { createExecutionBackend } = await import('../../distributed/create-backend.js');
  return { backend: createExecutionBackend(settings) };
}

/** The executor of a plan: recording into the state database unless state is off. */
async function executorOf(plan: RunPlan & { configuration: Configuration }): Promise<NativeExecutor> {
  const state = plan.configuration.state;
  if (!state.enabled) return new NativeExecutor(plan.config, plan.init);
  const { StateManager } = await import('../../state/state-manager.js');
  const { StatefulExecutor } = await import('../../state/stateful-executor.js');
  const manager = StateManager.open(state.config, { cwd: process.cwd() });
  try {
    return new StatefulExecutor(plan.config, manager, plan.init);
  } catch (error) {
    manager.close();
    throw error;
  }
}

/** Exit code of a finished run. */
function exitCodeOf(result: ExecutionResult, interrupted: boolean): number {
  if (interrupted || result.status === 'cancelled') return ExitCode.Interrupted;
  return result.status === 'success' ? ExitCode.Success : ExitCode.TaskFailed;
}

/** Runs `jorm run` and resolves to its exit code. */
export async function runDagFile(options: RunOptions): Promise<number> {
  const registry = TaskRegistry.withDefaultExecutors();
  await loadExecutorModules(registry, registerModulesOf(options.raw));
  if (options.dryRun) {
    const dag = await loadDagForCli(options.file, registry, { references: true });
    const plan = dryRun(dag);
    process.stdout.write(options.json ? `${JSON.stringify(plan, null, 2)}\n` : renderDryRun(plan));
    return ExitCode.Success;
  }
  const plan = await planRun(options, registry);
  const display = createRunDisplay(plan.dag, process.stderr, { quiet: options.quiet });
  const interrupts = new Interrupts(say, () => display.close()).install();
  let executor: NativeExecutor | undefined;
  try {
    executor = await executorOf(plan);
    const stateful = plan.configuration.state.enabled;
    for (const extension of runExtensions()) await extension.onExecutor?.(executor, plan);
    const result = await executor
      .executeDag(plan.dag, {
        ...plan.execute,
        signal: plan.execute.signal
          ? AbortSignal.any([plan.execute.signal, interrupts.controller.signal])
          : interrupts.controller.signal,
        onEvent: (event) => {
          display.onEvent(event);
          plan.execute.onEvent?.(event);
        },
        ...(stateful ? { dagFile: resolve(options.file) } : {}),
      })
      .catch((error: unknown) => {
        display.close();
        throw stateFailureExit(error);
      });
    display.close();
    const extra: string[] = [];
    for (const extension of runExtensions())
      extra.push(...((await extension.afterRun?.(result, plan)) ?? []));
    if (options.json) {
      process.stdout.write(`${JSON.stringify(executionResultToJson(result), null, 2)}\n`);
    } else {
      const hints = stateful
        ? [`details: jorm show ${result.executionId}`, `output:  jorm logs ${result.executionId} <task>`]
        : [];
      const paint = painter(useColor(process.stdout));
      process.stdout.write(renderSummary(result, plan.dag, { paint, hints, extra }));
    }
    return exitCodeOf(result, interrupts.received !== undefined);
  } finally {
    display.close();
    interrupts.dispose();
    for (const cleanup of plan.cleanups.reverse()) await cleanup();
    await executor?.close();
  }
}
