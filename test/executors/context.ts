/**
 * Test helper: an {@link ExecutionContext} for calling an executor directly.
 */

import type { ExecutionContext, OutputStream } from '../../src/engine/task-executor.js';

/** Options of {@link makeContext}. */
export interface ContextOptions {
  workingDirectory: string;
  environment?: Record<string, string>;
  signal?: AbortSignal;
  outputLimit?: number;
  killGracePeriod?: number;
  /** Collects streamed output when set. */
  onOutput?: (stream: OutputStream, chunk: string) => void;
}

/** A context for one attempt of task `t` with PATH (and `PYTHONDONTWRITEBYTECODE`) as its environment. */
export function makeContext(options: ContextOptions): ExecutionContext {
  const context: ExecutionContext = {
    executionId: 'exec-test',
    dagId: 'dag-test',
    taskId: 't',
    attempt: 1,
    environment: options.environment ?? {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      PYTHONDONTWRITEBYTECODE: '1',
    },
    workingDirectory: options.workingDirectory,
    signal: options.signal ?? new AbortController().signal,
    upstream: {},
    outputLimit: options.outputLimit ?? 1024 * 1024,
    killGracePeriod: options.killGracePeriod ?? 5000,
    mask: (text) => text,
  };
  if (options.onOutput) context.onOutput = options.onOutput;
  return context;
}
