/**
 * The process layer (launchers, the fork server, `runProcess`), loaded when the first process task
 * runs: validating a DAG (`jorm validate`) needs the executors but not `node:child_process`.
 * @module
 */

import type * as Launchers from '../process/launchers.js';
import type * as RunProcess from '../process/run-process.js';

/** What the process executors use of the process layer. */
export type ProcessRuntime = typeof Launchers & typeof RunProcess;

let runtime: Promise<ProcessRuntime> | undefined;

/** The process layer (imported once, on the first call). */
export function processRuntime(): Promise<ProcessRuntime> {
  runtime ??= Promise.all([import('../process/launchers.js'), import('../process/run-process.js')]).then(
    ([launchers, run]) => ({ ...launchers, ...run }),
  );
  return runtime;
}
