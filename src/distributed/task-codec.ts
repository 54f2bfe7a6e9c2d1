/**
 * The task codec: {@link Task} (with its {@link TaskConfig}) and {@link TaskResult} to plain JSON values
 * and back, as they travel in a job through Redis. Decoding validates the shape, so a job written by
 * another jorm version fails with a clear {@link SerializationError} instead of a confusing crash.
 * @module
 */

import type { infer as Infer, ZodType } from 'zod';
import { lazy, zodLib } from '../libraries.js';
import { errorMessage, SerializationError } from '../model/errors.js';
import type { TaskResult } from '../model/result.js';
import { Task, type TaskConfig } from '../model/task.js';

/** The schemas of encoded tasks and results, built on first use (zod loads then). */
function buildSchemas() {
  const { z } = zodLib();
  const json = z.unknown();
  const stringMap = z.record(z.string(), z.string());
  const workingDir = z.string().optional();
  const pythonPath = z.string().optional();

  const authSchema = z.discriminatedUnion('type', [
    z.object({ type: z.literal('basic'), username: z.string(), password: z.string() }),
    z.object({ type: z.literal('bearer'), token: z.string() }),
    z.object({
      type: z.literal('api_key'),
      key: z.string(),
      header: z.string().optional(),
      query: z.string().optional(),
    }),
  ]);

  const configSchema = z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('shell'),
      command: z.string(),
      workingDir,
      shell: z.string().optional(),
      output: z.enum(['text', 'json', 'lines']).optional(),
    }),
    z.object({
      kind: z.literal('python_script'),
      script: z.string(),
      args: z.array(z.string()),
      pythonPath,
      workingDir,
    }),
    z.object({
      kind: z.literal('python_function'),
      module: z.string(),
      function: z.string(),
      args: z.array(json),
      kwargs: z.record(z.string(), json),
      pythonPath,
      workingDir,
    }),
    z.object({
      kind: z.literal('http_request'),
      method: z.string(),
      url: z.string(),
      headers: stringMap,
      body: z.string().optional(),
      auth: authSchema.optional(),
      timeout: z.number().optional(),
      expectedStatus: z.array(z.number()).optional(),
    }),
    z.object({
      kind: z.literal('file_operation'),
      operation: z.enum(['copy', 'move', 'delete', 'create']),
      source: z.string().optional(),
      destination: z.string().optional(),
      options: z.record(z.string(), json),
    }),
    z.object({ kind: z.literal('jorm'), args: z.array(z.string()), workingDir }),
    z.object({ kind: z.literal('custom'), values: z.record(z.string(), json) }),
  ]);

  const locationSchema = z.object({ file: z.string().optional(), line: z.number(), column: z.number() });

  const taskSchema = z.object({
    id: z.string().min(1),
    name: z.string(),
    taskType: z.string().min(1),
    config: configSchema,
    timeout: z.number().positive().optional(),
    retryConfig: z
      .object({
        maxAttempts: z.number(),
        initialDelay: z.number(),
        maxDelay: z.number(),
        backoff: z.enum(['fixed', 'linear', 'exponential']),
        multiplier: z.number(),
        retryOnExitCodes: z.array(z.number()).optional(),
        retryOnTimeout: z.boolean(),
      })
      .optional(),
    environment: stringMap,
    dependsOn: z.array(z.string()),
    metadata: z.record(z.string(), json),
    description: z.string().optional(),
    tags: z.array(z.string()),
    queue: z.string().optional(),
    resources: z.object({ cpu: z.number().optional(), memory: z.number().optional() }).optional(),
    location: locationSchema.optional(),
  });

  const resultSchema = z.object({
    taskId: z.string(),
    status: z.enum(['pending', 'running', 'success', 'failed', 'skipped', 'cancelled', 'timed_out']),
    startedAt: z.string(),
    completedAt: z.string(),
    duration: z.number(),
    stdout: z.string(),
    stderr: z.string(),
    exitCode: z.number().nullable(),
    retryCount: z.number(),
    outputData: json.optional(),
    errorMessage: z.string().optional(),
    metadata: stringMap,
  });
  return { task: taskSchema, result: resultSchema };
}

const schemas = lazy(buildSchemas);

/** A task as plain JSON. */
export type EncodedTask = Infer<ReturnType<typeof buildSchemas>['task']>;

/** A task result as plain JSON (dates as ISO strings; the `error` object reduced to `errorMessage`). */
export type EncodedTaskResult = Infer<ReturnType<typeof buildSchemas>['result']>;

/** Options of {@link encodeTaskResult}. */
export interface EncodeResultOptions {
  /** Keep stdout and stderr (they may be large). @defaultValue false */
  includeOutput?: boolean;
}

/** Drops `undefined` members, so that encoded values compare equal after a JSON round trip. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * A task as a plain JSON value. Its `config` and `metadata` must be JSON values (they are, for tasks read
 * from DAG files). Source locations of individual keys are not kept.
 */
export function encodeTask(task: Task): EncodedTask {
  return compact({
    id: task.id,
    name: task.name,
    taskType: task.taskType,
    config: compact({ ...task.config }) as EncodedTask['config'],
    timeout: task.timeout,
    retryConfig: task.retryConfig ? compact({ ...task.retryConfig }) : undefined,
    environment: { ...task.environment },
    dependsOn: [...task.dependsOn],
    metadata: { ...task.metadata },
    description: task.description,
    tags: [...task.tags],
    queue: task.queue,
    resources: task.resources ? compact({ ...task.resources }) : undefined,
    location: task.location ? compact({ ...task.location }) : undefined,
  });
}

/**
 * Checks `value` against `schema` and returns `value` itself (not zod's copy, which would turn a key
 * such as `__proto__` of a record into a prototype instead of keeping it).
 */
function parse<T>(schema: ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return value as T;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new SerializationError(`invalid ${what}${where}: ${issue?.message ?? 'unknown problem'}`, {
    cause: parsed.error,
  });
}

/** A {@link Task} from its JSON form. @throws SerializationError when the value is not an encoded task */
export function decodeTask(value: unknown): Task {
  const data = parse(schemas().task, value, 'task');
  const task = new Task(data.id, data.name, data.taskType, compact(data.config) as TaskConfig);
  if (data.timeout !== undefined) task.timeout = data.timeout;
  if (data.retryConfig) task.retryConfig = compact(data.retryConfig);
  task.environment = data.environment;
  task.dependsOn = data.dependsOn;
  task.metadata = data.metadata;
  if (data.description !== undefined) task.description = data.description;
  task.tags = data.tags;
  if (data.queue !== undefined) task.queue = data.queue;
  if (data.resources) task.resources = compact(data.resources);
  if (data.location) task.location = compact(data.location);
  return task;
}

/** A task result as a plain JSON value. */
export function encodeTaskResult(result: TaskResult, options: EncodeResultOptions = {}): EncodedTaskResult {
  const keep = options.includeOutput === true;
  return compact({
    taskId: result.taskId,
    status: result.status,
    startedAt: result.startedAt.toISOString(),
    completedAt: result.completedAt.toISOString(),
    duration: result.duration,
    stdout: keep ? result.stdout : '',
    stderr: keep ? result.stderr : '',
    exitCode: result.exitCode,
    retryCount: result.retryCount,
    outputData: result.outputData,
    errorMessage: result.errorMessage ?? (result.error ? errorMessage(result.error) : undefined),
    metadata: { ...result.metadata },
  });
}

/** A {@link TaskResult} from its JSON form (without an `error` object). @throws SerializationError */
export function decodeTaskResult(value: unknown): TaskResult {
  const data = parse(schemas().result, value, 'task result');
  return compact({
    ...data,
    startedAt: new Date(data.startedAt),
    completedAt: new Date(data.completedAt),
  });
}
