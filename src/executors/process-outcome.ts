/**
 * Turning a {@link ProcessResult} into the {@link TaskOutcome} of a process-based executor: output, exit
 * code, start errors, and the metadata that notes truncation, the launcher and the signal.
 * @module
 */

import type { ExecutionContext, TaskOutcome } from '../engine/task-executor.js';
import type { ProcessResult, ProcessSpec } from '../process/types.js';

/** What {@link contextSpec} gives. */
export type ContextSpec = Pick<
  ProcessSpec,
  'cwd' | 'env' | 'envLayers' | 'signal' | 'abortNotice' | 'killGracePeriod' | 'outputLimit' | 'onOutput'
>;

/**
 * The parts of a {@link ProcessSpec} an executor takes from its execution context: its abort as the
 * context's `abortNotice` when it has one (else its `signal`), and, when the context has
 * its environment in layers, `envLayers` is set and `env` is read from the context only when something
 * reads it: a fork server never does (add the program with `Object.assign`, not a spread, which reads it).
 */
export function contextSpec(context: ExecutionContext): ContextSpec {
  const layers = context.environmentLayers;
  const spec = {
    cwd: context.workingDirectory,
    killGracePeriod: context.killGracePeriod,
    outputLimit: context.outputLimit,
  } as ContextSpec;
  // The context's abort notice when it has one: reading `signal` would make an AbortController.
  if (context.abortNotice) spec.abortNotice = context.abortNotice;
  else spec.signal = context.signal;
  if (layers) {
    spec.envLayers = layers;
    Object.defineProperty(spec, 'env', {
      get: () => context.environment,
      set(value: Record<string, string>) {
        Object.defineProperty(spec, 'env', { value, writable: true, enumerable: true, configurable: true });
        delete spec.envLayers;
      },
      enumerable: true,
      configurable: true,
    });
  } else spec.env = context.environment;
  if (context.onOutput) spec.onOutput = context.onOutput;
  return spec;
}

/**
 * The outcome of a run: stdout, stderr and exit code as they are; a start error fails it with its message;
 * a run killed by a signal (not by jorm) fails with the signal's name. Metadata: `launcher`, `pid`,
 * `signal`, `stdoutTruncatedBytes` / `stderrTruncatedBytes` (bytes dropped from the front), `outputCut`.
 */
export function processOutcome(result: ProcessResult): TaskOutcome {
  const metadata: Record<string, string> = { launcher: result.launcher };
  if (result.pid !== undefined) metadata['pid'] = String(result.pid);
  if (result.signal) metadata['signal'] = result.signal;
  if (result.stdoutTruncated > 0) metadata['stdoutTruncatedBytes'] = String(result.stdoutTruncated);
  if (result.stderrTruncated > 0) metadata['stderrTruncatedBytes'] = String(result.stderrTruncated);
  if (result.outputCut) metadata['outputCut'] = 'true';
  const outcome: TaskOutcome = {
    stdout: result.stdout,
    stderr: result.stderr,
    exitCode: result.exitCode,
    metadata,
  };
  if (result.startError) {
    outcome.status = 'failed';
    outcome.errorMessage = result.startError.message;
  } else if (result.signal && !result.aborted) {
    outcome.status = 'failed';
    outcome.errorMessage = `killed by ${result.signal}`;
  } else if (result.aborted && result.exitCode === null) {
    outcome.status = 'failed';
    outcome.errorMessage = 'aborted';
  }
  return outcome;
}

/** The last non-empty line of a text, for error messages (at most 200 characters). */
export function lastLine(text: string): string | undefined {
  const lines = text.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (line !== '') return line.length > 200 ? `${line.slice(0, 197)}...` : line;
  }
  return undefined;
}
