/**
 * V8 tuning for the commands that run DAGs, applied by the `jorm` executable once jorm's code is loaded.
 *
 * Why: a run of many short tasks is over in a fraction of a second, and V8 spends that time optimizing
 * jorm's functions with TurboFan on a background thread. On a machine whose cores are busy with the
 * tasks' processes, that thread takes CPU from the run: 1,000 `true` tasks at concurrency 2 on a 2-core
 * machine triggered 72 TurboFan compilations, 147 ms of compile time (`node --trace-opt`). A larger
 * interrupt budget makes V8 wait for more work in a function before optimizing it: fewer, later
 * compilations, and hot code of a long run is still optimized. Measured: wide 591 → 502 ms, layered
 * 628 → 515 ms, chain 370 → 344 ms (medians of interleaved runs, docs/performance.md).
 *
 * Why after loading: V8 refuses code caches made under other flags, and that includes the ones Node.js
 * keeps for its own built-in modules. Tuned before loading, `jorm run` compiled Node.js's `http`,
 * `crypto`, `child_process`… from source: 11 ms more at every start.
 * @module
 */

import { setFlagsFromString } from 'node:v8';
import { commandName } from './command-name.js';

/** V8's profiler-tick budget for these commands (V8's default in Node.js 20 is 67,584). */
export const RUN_INTERRUPT_BUDGET = 1_000_000;

/** Commands whose process runs tasks. */
const RUNNING_COMMANDS = new Set(['run', 'resume', 'worker']);

/** Whether the command of `argv` (the command line after the script) runs tasks: `run`, `resume`, `worker`. */
export function runsTasks(argv: readonly string[]): boolean {
  const command = commandName(argv);
  return command !== undefined && RUNNING_COMMANDS.has(command);
}

/**
 * Whether the tuning applies: the command runs tasks and `JORM_V8_TUNING` is not `0`. `argv` is the
 * command line after the script (as `main` gets it).
 */
export function wantsV8Tuning(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['JORM_V8_TUNING'] === '0') return false;
  return runsTasks(argv);
}

/** Applies the tuning when {@link wantsV8Tuning} says so. Returns whether it did. */
export function tuneV8ForCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  if (!wantsV8Tuning(argv, env)) return false;
  try {
    setFlagsFromString(`--interrupt-budget=${RUN_INTERRUPT_BUDGET}`);
  } catch {
    // A Node.js whose V8 refuses flag changes after start: run with V8's defaults.
    return false;
  }
  return true;
}
