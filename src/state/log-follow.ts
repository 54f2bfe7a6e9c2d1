/**
 * {@link followLogs}: streams the output of an execution (or of one task, or one attempt) from its log
 * files while it runs, until what is followed ends. Works across processes: it only reads the database
 * and the files, polling both.
 * @module
 */

import { setTimeout as delay } from 'node:timers/promises';
import type { OutputStream } from '../engine/task-executor.js';
import { isTerminalTaskStatus } from '../model/result.js';
import { getAttemptStatuses } from './queries.js';
import type { StateManager } from './state-manager.js';

/** What {@link followLogs} yields. */
export type FollowItem =
  | { kind: 'output'; taskId: string; attempt: number; stream: OutputStream; text: string }
  /** An attempt appeared (it started, or it is the next one to read). */
  | { kind: 'attempt'; taskId: string; attempt: number }
  /** The execution's owner is gone (it crashed or was killed) while followed: nothing more will come. */
  | { kind: 'interrupted' };

/** Options of {@link followLogs}. */
export interface FollowOptions {
  /** Follow one task only. */
  taskId?: string;
  /** With `taskId`: that attempt only. */
  attempt?: number;
  /** Keep following while it runs; without, read what is there and stop. @defaultValue true */
  follow?: boolean;
  /** Poll period, ms. @defaultValue 200 */
  interval?: number;
  signal?: AbortSignal;
}

const STREAMS: OutputStream[] = ['stdout', 'stderr'];

/**
 * Yields the output of the attempts of an execution, oldest first, then (when following) new output as
 * it is written, until the followed attempt, task or execution ends, or `signal` aborts.
 */
export async function* followLogs(
  manager: StateManager,
  executionId: string,
  options: FollowOptions = {},
): AsyncGenerator<FollowItem> {
  const follow = options.follow ?? true;
  const offsets = new Map<string, number>();
  const done = new Set<string>();
  for (;;) {
    const ended = follow ? hasEnded(manager, executionId, options) : true;
    const attempts = getAttemptStatuses(manager.database, executionId, options.taskId).filter(
      (a) => options.attempt === undefined || a.attempt === options.attempt,
    );
    for (const a of attempts) {
      const key = `${a.taskId}\u0000${a.attempt}`;
      if (done.has(key)) continue;
      if (!offsets.has(`${key}\u0000stdout`)) yield { kind: 'attempt', taskId: a.taskId, attempt: a.attempt };
      for (const stream of STREAMS) {
        const offsetKey = `${key}\u0000${stream}`;
        const chunk = manager.readLog(executionId, a.taskId, a.attempt, stream, {
          offset: offsets.get(offsetKey) ?? 0,
        });
        offsets.set(offsetKey, chunk.nextOffset);
        if (chunk.text)
          yield { kind: 'output', taskId: a.taskId, attempt: a.attempt, stream, text: chunk.text };
      }
      if (isTerminalTaskStatus(a.status)) done.add(key);
    }
    if (ended === 'interrupted') {
      yield { kind: 'interrupted' };
      return;
    }
    if (ended || options.signal?.aborted) return;
    try {
      await delay(options.interval ?? 200, undefined, options.signal ? { signal: options.signal } : {});
    } catch {
      return;
    }
  }
}

/** Whether what is followed ended (`interrupted` when the execution's owner is gone). Checked before reading. */
function hasEnded(
  manager: StateManager,
  executionId: string,
  options: FollowOptions,
): boolean | 'interrupted' {
  const summary = manager.getExecution(executionId);
  if (!summary) return true;
  if (options.taskId !== undefined) {
    const task = manager.getTaskState(executionId, options.taskId);
    if (!task) return true;
    if (options.attempt !== undefined) {
      const attempt = manager
        .getTaskAttempts(executionId, options.taskId)
        .find((a) => a.attempt === options.attempt);
      if (attempt && isTerminalTaskStatus(attempt.status)) return true;
      if (!attempt && (task.attempts > options.attempt || isTerminalTaskStatus(task.status))) return true;
    } else if (isTerminalTaskStatus(task.status)) {
      return true;
    }
  }
  if (summary.status !== 'running') return true;
  return manager.isInterrupted(summary) ? 'interrupted' : false;
}
