/**
 * What travels through Redis: the job data ({@link JobPayload}), the job's return value
 * ({@link JobResult}), and the messages on the execution and cancel channels. Everything is plain
 * JSON, checked when read.
 * @module
 */

import type { ZodType } from 'zod';
import type { TaskOutcome } from '../engine/task-executor.js';
import { lazy, zodLib } from '../libraries.js';
import { SerializationError } from '../model/errors.js';
import type { EncodedTask, EncodedTaskResult } from './task-codec.js';

/** The version of the job format; a worker refuses jobs of another version with a clear message. */
export const PAYLOAD_VERSION = 1;

/** The part of a job that may hold secrets; sealed (encrypted) when a payload key is configured. */
export interface JobBody {
  task: EncodedTask;
  /** Variables the coordinator set for the task (see `splitEnvironment`); the rest comes from the worker. */
  env: Record<string, string>;
  /** Names to remove from the worker's own environment (excluded or not inherited on the coordinator). */
  unset: string[];
  /** Values to mask in output before it leaves the worker. */
  secrets: string[];
  /** Results of the task's direct dependencies, without their stdout and stderr. */
  upstream: Record<string, EncodedTaskResult>;
}

/** The data of one job: one attempt of one task. */
export interface JobPayload {
  v: number;
  executionId: string;
  dagId: string;
  taskId: string;
  attempt: number;
  /** The coordinator's working directory for the task (absolute). */
  workingDirectory: string;
  /** The attempt's timeout (ms), enforced on the worker too, in case the coordinator is gone. */
  timeout?: number;
  outputLimit: number;
  killGracePeriod: number;
  /** When the coordinator enqueued it (epoch ms). */
  submittedAt: number;
  /** The body in clear, when no payload key is configured. */
  body?: JobBody;
  /** The body sealed with the payload key (see `payload-crypto.ts`). */
  sealed?: string;
  /** Set when the worker removed the body after the job ended (it held secrets). */
  scrubbed?: boolean;
}

/** Why a worker stopped a task before it ended by itself. */
export type AbortKind = 'timeout' | 'cancelled' | 'lost' | 'shutdown';

/** Who ran a job. */
export interface WorkerRef {
  id: string;
  host: string;
  pid: number;
}

/** The return value of a job: the attempt's outcome (masked) and who ran it. */
export interface JobResult {
  v: number;
  outcome: TaskOutcome;
  worker: WorkerRef;
  /** Set when the worker stopped the task. */
  aborted?: AbortKind;
}

/** A message on an execution's channel. */
export type ExecutionMessage =
  /** Output of a running job (masked). */
  | { k: 'out'; j: string; s: 'stdout' | 'stderr'; c: string }
  /** A job completed; `r` is its result. */
  | { k: 'done'; j: string; r: JobResult }
  /** A job failed in BullMQ (not a task failure, which is a `done` with a failed outcome). */
  | { k: 'fail'; j: string; e: string }
  /** A job runs again on a worker after the workers of `n` earlier runs died (BullMQ's stalled jobs). */
  | { k: 'lost'; j: string; n: number };

/** A message on the cancel channel. */
export interface CancelMessage {
  /** The job id. */
  j: string;
  /** Why. */
  r: 'timeout' | 'cancelled';
  /** The timeout (ms), when `r` is `timeout`. */
  t?: number;
}

/** The shapes of what travels through Redis, built on first use (zod loads then). */
const schemas = lazy(() => {
  const { z } = zodLib();
  const outcomeSchema = z.object({
    status: z.enum(['success', 'failed']).optional(),
    stdout: z.string().optional(),
    stderr: z.string().optional(),
    exitCode: z.number().nullable().optional(),
    outputData: z.unknown().optional(),
    errorMessage: z.string().optional(),
    metadata: z.record(z.string(), z.string()).optional(),
  });

  const workerSchema = z.object({ id: z.string(), host: z.string(), pid: z.number() });

  const resultSchema = z.object({
    v: z.number(),
    outcome: outcomeSchema,
    worker: workerSchema,
    aborted: z.enum(['timeout', 'cancelled', 'lost', 'shutdown']).optional(),
  });

  const messageSchema = z.discriminatedUnion('k', [
    z.object({ k: z.literal('out'), j: z.string(), s: z.enum(['stdout', 'stderr']), c: z.string() }),
    z.object({ k: z.literal('done'), j: z.string(), r: resultSchema }),
    z.object({ k: z.literal('fail'), j: z.string(), e: z.string() }),
    z.object({ k: z.literal('lost'), j: z.string(), n: z.number().int().positive() }),
  ]);

  const cancelSchema = z.object({
    j: z.string(),
    r: z.enum(['timeout', 'cancelled']),
    t: z.number().optional(),
  });

  const payloadSchema = z.object({
    v: z.number(),
    executionId: z.string(),
    dagId: z.string(),
    taskId: z.string(),
    attempt: z.number(),
    workingDirectory: z.string(),
    timeout: z.number().optional(),
    outputLimit: z.number(),
    killGracePeriod: z.number(),
    submittedAt: z.number(),
    body: z.unknown().optional(),
    sealed: z.string().optional(),
    scrubbed: z.boolean().optional(),
  });

  const bodySchema = z.object({
    task: z.unknown(),
    env: z.record(z.string(), z.string()),
    unset: z.array(z.string()),
    secrets: z.array(z.string()),
    upstream: z.record(z.string(), z.unknown()),
  });
  return {
    result: resultSchema,
    message: messageSchema,
    cancel: cancelSchema,
    payload: payloadSchema,
    body: bodySchema,
  };
});

function check<T>(schema: ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new SerializationError(`invalid ${what}${where}: ${issue?.message ?? 'unknown problem'}`);
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SerializationError(`invalid ${what}: not JSON`, { cause: error });
  }
}

/** Checks a job's data. @throws SerializationError, naming the version when it is another one */
export function decodePayload(value: unknown): JobPayload {
  const payload = check(schemas().payload, value, 'job data');
  if (payload.v !== PAYLOAD_VERSION) {
    throw new SerializationError(
      `job format version ${payload.v} is not supported by this worker (it reads version ${PAYLOAD_VERSION}): run the same jorm version on the coordinator and the workers`,
    );
  }
  return payload as JobPayload;
}

/** Checks a job body (the task itself is decoded by `decodeTask`). */
export function decodeBody(value: unknown): JobBody {
  return check(schemas().body, value, 'job body') as JobBody;
}

/** Checks a job's return value (an object, or its JSON text). */
export function decodeResult(value: unknown): JobResult {
  const data = typeof value === 'string' ? parseJson(value, 'job result') : value;
  return check(schemas().result, data, 'job result') as JobResult;
}

/** Parses a message of an execution channel. */
export function decodeExecutionMessage(text: string): ExecutionMessage {
  return check(schemas().message, parseJson(text, 'channel message'), 'channel message') as ExecutionMessage;
}

/** Parses a message of the cancel channel. */
export function decodeCancelMessage(text: string): CancelMessage {
  return check(schemas().cancel, parseJson(text, 'cancel message'), 'cancel message');
}
