/**
 * Runs one job on a worker: decodes it, rebuilds the task's environment and working directory, runs
 * the task through the worker's registry with an {@link ExecutionContext} whose signal the worker
 * controls, and returns the outcome masked of secrets.
 * @module
 */

import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { TaskRegistry } from '../engine/registry.js';
import type { ExecutionContext, TaskOutcome } from '../engine/task-executor.js';
import type { SecretMasker } from '../env/masker.js';
import { CancelledError, errorMessage, TaskTimeoutError } from '../model/errors.js';
import type { TaskResult } from '../model/result.js';
import type { Task } from '../model/task.js';
import { createMasker, rebuildEnvironment, secretValuesByName } from './environment.js';
import { OutputPublisher, type Publish } from './output-publisher.js';
import {
  type AbortKind,
  decodeBody,
  type JobBody,
  type JobPayload,
  type JobResult,
  PAYLOAD_VERSION,
  type WorkerRef,
} from './payload.js';
import type { PayloadCipher } from './payload-crypto.js';
import { decodeTask, decodeTaskResult } from './task-codec.js';

/** What a worker gives {@link runJob}. */
export interface JobRunDeps {
  registry: TaskRegistry;
  worker: WorkerRef;
  cipher?: PayloadCipher;
  /** `--workdir`: where tasks run instead of the coordinator's directory. */
  workingDirectory?: string;
  /** Secret values of the worker's own environment. */
  ownSecrets: readonly string[];
  /** A masker of `ownSecrets` only (shared by jobs that bring no secret of their own). */
  ownMasker: SecretMasker;
  /** The worker's own environment (a snapshot: reading `process.env` is slow). */
  baseEnvironment: Readonly<Record<string, string>>;
  isSecretName: (name: string) => boolean;
  /** Publishes on the job's execution channel. */
  publish: Publish;
  /** Aborted when the job is cancelled, times out, loses its lock or the worker hands it back. */
  signal: AbortSignal;
  /** Times BullMQ found the job stalled (its worker died) before this run. */
  stalledCounter: number;
}

/** The kind of abort behind a signal's reason. */
export function abortKindOf(reason: unknown): AbortKind {
  if (reason instanceof TaskTimeoutError) return 'timeout';
  if (reason instanceof Error && 'abortKind' in reason)
    return (reason as Error & { abortKind: AbortKind }).abortKind;
  return 'cancelled';
}

/** A `CancelledError` that says why the worker stopped the task. */
export function workerAbort(kind: Exclude<AbortKind, 'timeout'>, message: string): CancelledError {
  return Object.assign(new CancelledError(message), { abortKind: kind });
}

function openBody(payload: JobPayload, cipher: PayloadCipher | undefined): JobBody {
  if (payload.sealed !== undefined) {
    if (!cipher) {
      throw new Error(
        'the job body is encrypted: start the worker with the same JORM_PAYLOAD_KEY as the coordinator',
      );
    }
    return decodeBody(cipher.open(payload.sealed));
  }
  if (payload.body === undefined) throw new Error('the job has no body (it was scrubbed after it ended)');
  return decodeBody(payload.body);
}

function taskDirectory(payload: JobPayload, task: Task, override: string | undefined): string {
  if (override === undefined) return payload.workingDirectory;
  const own = 'workingDir' in task.config ? task.config.workingDir : undefined;
  if (!own) return resolve(override);
  return isAbsolute(own) ? own : resolve(override, own);
}

/** Directories seen to exist, with when: a busy worker does not stat the same directory for every task. */
const knownDirectories = new Map<string, number>();
const DIRECTORY_MEMORY = 5000;

function checkDirectory(dir: string, host: string): void {
  const seen = knownDirectories.get(dir);
  if (seen !== undefined && Date.now() - seen < DIRECTORY_MEMORY) return;
  let ok = false;
  try {
    ok = statSync(dir).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) {
    knownDirectories.delete(dir);
    throw new Error(
      `working directory ${dir} does not exist on worker host ${host}: start the worker with --workdir DIR`,
    );
  }
  if (knownDirectories.size > 1000) knownDirectories.clear();
  knownDirectories.set(dir, Date.now());
}

function maskOutcome(outcome: TaskOutcome, masker: SecretMasker): TaskOutcome {
  return {
    ...outcome,
    ...(outcome.stdout !== undefined ? { stdout: masker.mask(outcome.stdout) } : {}),
    ...(outcome.stderr !== undefined ? { stderr: masker.mask(outcome.stderr) } : {}),
    ...(outcome.errorMessage !== undefined ? { errorMessage: masker.mask(outcome.errorMessage) } : {}),
    ...(outcome.outputData !== undefined ? { outputData: masker.maskValue(outcome.outputData) } : {}),
  };
}

/** Runs one job and returns its result; never throws (a failure is a failed outcome). */
export async function runJob(jobId: string, payload: JobPayload, deps: JobRunDeps): Promise<JobResult> {
  let masker = deps.ownMasker;
  const stalled: Record<string, string> =
    deps.stalledCounter > 0
      ? { stalled: String(deps.stalledCounter), runs: String(deps.stalledCounter + 1) }
      : {};
  const finish = (outcome: TaskOutcome): JobResult => ({
    v: PAYLOAD_VERSION,
    outcome: { ...maskOutcome(outcome, masker), metadata: { ...outcome.metadata, ...stalled } },
    worker: deps.worker,
    ...(deps.signal.aborted ? { aborted: abortKindOf(deps.signal.reason) } : {}),
  });
  let body: JobBody;
  let task: Task;
  try {
    body = openBody(payload, deps.cipher);
    task = decodeTask(body.task);
  } catch (error) {
    return finish({ status: 'failed', errorMessage: `cannot read job ${jobId}: ${errorMessage(error)}` });
  }
  const jobSecrets = [...body.secrets, ...secretValuesByName(body.env, deps.isSecretName)];
  if (jobSecrets.length > 0) masker = createMasker(deps.ownSecrets, jobSecrets);
  const executor = deps.registry.get(task.taskType);
  if (!executor) {
    return finish({
      status: 'failed',
      errorMessage: `task type "${task.taskType}" has no executor on worker ${deps.worker.host}:${deps.worker.pid} (load one with jorm worker --register MODULE)`,
    });
  }
  const publisher = new OutputPublisher(jobId, deps.publish, masker);
  if (deps.stalledCounter > 0) publisher.lost(deps.stalledCounter);
  const upstream: Record<string, TaskResult> = {};
  let outcome: TaskOutcome;
  try {
    for (const [id, value] of Object.entries(body.upstream)) upstream[id] = decodeTaskResult(value);
    const workingDirectory = taskDirectory(payload, task, deps.workingDirectory);
    checkDirectory(workingDirectory, deps.worker.host);
    let environment: Record<string, string> | undefined;
    // A run after workers died counts those lost runs as attempts, as the coordinator records them.
    const attempt = payload.attempt + deps.stalledCounter;
    const context: ExecutionContext = {
      executionId: payload.executionId,
      dagId: payload.dagId,
      taskId: payload.taskId,
      attempt,
      // Built on first use: an executor that does not read it (a no-op, an HTTP call) does not pay for it.
      get environment() {
        if (!environment) {
          environment = rebuildEnvironment(body, deps.baseEnvironment);
          if (deps.stalledCounter > 0 && environment['JORM_ATTEMPT'] !== undefined) {
            environment['JORM_ATTEMPT'] = String(attempt);
          }
        }
        return environment;
      },
      workingDirectory,
      signal: deps.signal,
      upstream,
      onOutput: (stream, chunk) => publisher.write(stream, chunk),
      outputLimit: payload.outputLimit,
      killGracePeriod: payload.killGracePeriod,
      mask: (text) => masker.mask(text),
      ...(payload.timeout !== undefined ? { timeout: payload.timeout } : {}),
    };
    deps.signal.throwIfAborted();
    outcome = await executor.execute(task, context);
  } catch (error) {
    outcome = { status: 'failed', errorMessage: errorMessage(error) };
  }
  await publisher.close();
  return finish(outcome);
}
