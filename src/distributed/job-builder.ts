/**
 * Builds the job of one attempt on the coordinator: ids, the payload (task, the environment that must
 * travel, the secret values to mask, upstream results) and the job options.
 * @module
 */

import type { JobsOptions } from 'bullmq';
import type { ExecutionContext } from '../engine/task-executor.js';
import type { Task } from '../model/task.js';
import { collectSecrets, splitEnvironment, stringsOf } from './environment.js';
import { type JobBody, type JobPayload, PAYLOAD_VERSION } from './payload.js';
import type { PayloadCipher } from './payload-crypto.js';
import { encodeTask, encodeTaskResult } from './task-codec.js';

/** How long finished jobs stay in Redis (s): long enough to resume a coordinator that died. */
export const DEFAULT_JOB_RETENTION = 24 * 3600;

/** The job options jorm sets; `jobOptions` of the backend are merged over them. */
export function defaultJobOptions(): JobsOptions {
  return {
    // Retries are the engine's business (retry policy, backoff); BullMQ runs each job once,
    // except when its worker dies (stalled jobs), see the worker's maxStalledCount.
    attempts: 1,
    removeOnComplete: { age: DEFAULT_JOB_RETENTION },
    removeOnFail: { age: DEFAULT_JOB_RETENTION },
  };
}

/**
 * The job id of one attempt: `<executionId>.<taskId>.<attempt>` (the task id URI-encoded: no `:`), plus
 * `.r<n>` when the job is enqueued again after Redis lost it. Deterministic, so that a resumed
 * coordinator finds the jobs of its predecessor.
 */
export function jobIdOf(executionId: string, taskId: string, attempt: number, requeue = 0): string {
  const base = `${executionId}.${encodeURIComponent(taskId)}.${attempt}`;
  return requeue > 0 ? `${base}.r${requeue}` : base;
}

/**
 * The job data of one attempt. The environment is split (see `splitEnvironment`), and the secret
 * values among what is sent are listed so that the worker masks them; with a cipher, the body is sealed.
 * Upstream results are those of the task's direct dependencies, without stdout and stderr. `base` is
 * the coordinator's own environment (a snapshot: reading `process.env` is slow).
 */
export function buildPayload(
  task: Task,
  context: ExecutionContext,
  base: Readonly<Record<string, string>>,
  cipher?: PayloadCipher,
): JobPayload {
  const split = splitEnvironment(context.environment, base, context.inheritedVariables);
  const timeout = context.timeout ?? task.timeout;
  const encoded = encodeTask(task);
  const sent = [
    ...Object.values(split.env),
    ...stringsOf(encoded.config),
    ...Object.values(encoded.environment),
  ];
  // Direct dependencies only: sending every ancestor would make a long chain quadratic.
  const upstream: JobBody['upstream'] = {};
  for (const id of task.dependsOn) {
    const result = context.upstream[id];
    if (result) upstream[id] = encodeTaskResult(result);
  }
  const body: JobBody = {
    task: encoded,
    env: split.env,
    unset: split.unset,
    secrets: collectSecrets(sent, context.mask),
    upstream,
  };
  return {
    v: PAYLOAD_VERSION,
    executionId: context.executionId,
    dagId: context.dagId,
    taskId: context.taskId,
    attempt: context.attempt,
    workingDirectory: context.workingDirectory,
    ...(timeout !== undefined ? { timeout } : {}),
    outputLimit: context.outputLimit,
    killGracePeriod: context.killGracePeriod,
    submittedAt: Date.now(),
    ...(cipher ? { sealed: cipher.seal(body) } : { body }),
  };
}
