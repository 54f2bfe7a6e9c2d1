/**
 * Extensions of `jorm run`: a seam for features that add options to the command or act before and after
 * the run (metrics files, …) without editing the command itself. An extension registers itself with
 * {@link registerRunExtension} when its module is imported (load it from `src/cli/commands/index.ts`).
 * @module
 */

import type { Command } from 'commander';
import type { ExecutorConfig } from '../../engine/executor-config.js';
import type { NativeExecutor, NativeExecutorInit } from '../../engine/native-executor.js';
import type { ExecuteDagOptions } from '../../engine/run-options.js';
import type { Dag } from '../../model/dag.js';
import type { ExecutionResult } from '../../model/result.js';
import type { RunOptions } from './options.js';

/** What a run is about to be started with; `beforeRun` may change any of it. */
export interface RunPlan {
  options: RunOptions;
  dag: Dag;
  /** The executor configuration (defaults, file, profile, `JORM_*`, flags). */
  config: ExecutorConfig;
  /** Options of the executor (registry, backend, admission, observers, …). */
  init: NativeExecutorInit;
  /** Options of the execution (params, environment, observers, …). */
  execute: ExecuteDagOptions;
  /** Functions called once the run is over (success or not), last registered first. */
  cleanups: Array<() => void | Promise<void>>;
}

/** A feature plugged into `jorm run`. */
export interface RunExtension {
  /** A name for messages. */
  name: string;
  /** Adds options to the `run` command; their values are in `RunOptions.raw`. */
  addOptions?(command: Command): void;
  /** Called once the DAG is loaded and before the executor is created. */
  beforeRun?(plan: RunPlan): void | Promise<void>;
  /** Called with the executor once it exists (e.g. to start resource monitoring). */
  onExecutor?(executor: NativeExecutor, plan: RunPlan): void | Promise<void>;
  /** Called with the result before the summary; returned lines are added to the summary. */
  afterRun?(result: ExecutionResult, plan: RunPlan): string[] | undefined | Promise<string[] | undefined>;
}

const extensions: RunExtension[] = [];

/** Plugs an extension into `jorm run`. */
export function registerRunExtension(extension: RunExtension): void {
  extensions.push(extension);
}

/** The registered extensions, in registration order. */
export function runExtensions(): readonly RunExtension[] {
  return extensions;
}
