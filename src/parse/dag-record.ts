/**
 * A {@link Dag} as the plain, ordered key/value record its files hold (snake_case keys, durations as
 * `30s`, sizes as `512MiB`): the common ground of the three writers.
 * @module
 */

import type { Dag } from '../model/dag.js';
import {
  assertNever,
  DEFAULT_TASK_RETRY,
  type FileTaskConfig,
  type Task,
  type TaskConfig,
  type TaskRetryConfig,
} from '../model/task.js';
import { COMMON_TASK_KEYS } from './schema/task-schema.js';
import { setOwn } from './tree.js';
import { formatMemorySize, joinCommandLine } from './units.js';

/** A plain record with keys in the order they are written. */
export type PlainRecord = Record<string, unknown>;

/** The DAG as a record: `dag`, `name`, `description`, `env`, `params`, `tasks` (a list, each with `id`). */
export function dagToRecord(dag: Dag): PlainRecord {
  const record: PlainRecord = { dag: dag.id };
  if (dag.name !== dag.id) record['name'] = dag.name;
  if (dag.description !== undefined) record['description'] = dag.description;
  if (Object.keys(dag.environment).length > 0) record['env'] = { ...dag.environment };
  if (Object.keys(dag.params).length > 0) record['params'] = { ...dag.params };
  record['tasks'] = dag.tasks.map((task) => ({ id: task.id, ...taskToRecord(task) }));
  return record;
}

/** The file type of a task: the config's kind decides, except for custom configs. */
export function fileTypeOf(task: Task): string {
  const config = task.config;
  switch (config.kind) {
    case 'shell':
      return 'shell';
    case 'python_script':
      return 'python';
    case 'python_function':
      return 'python_function';
    case 'http_request':
      return 'http';
    case 'file_operation':
      return `file_${config.operation}`;
    case 'jorm':
      return 'jorm';
    case 'custom':
      return task.taskType;
    default:
      return assertNever(config);
  }
}

/** One task as a record (without its id). */
export function taskToRecord(task: Task): PlainRecord {
  const r: PlainRecord = { type: fileTypeOf(task) };
  if (task.name !== task.id) r['name'] = task.name;
  if (task.description !== undefined) r['description'] = task.description;
  if (task.dependsOn.length > 0) r['depends_on'] = [...task.dependsOn];
  Object.assign(r, configToRecord(task.config));
  if (task.timeout !== undefined) r['timeout'] = formatDurationValue(task.timeout);
  if (task.retryConfig) Object.assign(r, retryToRecord(task.retryConfig));
  if (Object.keys(task.environment).length > 0) r['env'] = { ...task.environment };
  if (Object.keys(task.metadata).length > 0) r['metadata'] = task.metadata;
  if (task.tags.length > 0) r['tags'] = [...task.tags];
  if (task.queue !== undefined) r['queue'] = task.queue;
  if (task.resources && (task.resources.cpu !== undefined || task.resources.memory !== undefined)) {
    const resources: PlainRecord = {};
    if (task.resources.cpu !== undefined) resources['cpu'] = task.resources.cpu;
    if (task.resources.memory !== undefined) resources['memory'] = formatMemorySize(task.resources.memory);
    r['resources'] = resources;
  }
  return r;
}

function configToRecord(config: TaskConfig): PlainRecord {
  const r: PlainRecord = {};
  const put = (key: string, value: unknown) => {
    if (value !== undefined) r[key] = value;
  };
  switch (config.kind) {
    case 'shell':
      put('command', config.command);
      put('working_dir', config.workingDir);
      put('shell', config.shell);
      put('output', config.output);
      break;
    case 'python_script':
      put('script', config.script);
      if (config.args.length > 0) put('args', [...config.args]);
      put('python_path', config.pythonPath);
      put('working_dir', config.workingDir);
      break;
    case 'python_function':
      put('module', config.module);
      put('function', config.function);
      if (config.args.length > 0) put('args', config.args);
      if (Object.keys(config.kwargs).length > 0) put('kwargs', config.kwargs);
      put('python_path', config.pythonPath);
      put('working_dir', config.workingDir);
      break;
    case 'http_request':
      put('method', config.method);
      put('url', config.url);
      if (Object.keys(config.headers).length > 0) put('headers', { ...config.headers });
      put('body', config.body);
      put('auth', config.auth ? { ...config.auth } : undefined);
      put('request_timeout', config.timeout === undefined ? undefined : formatDurationValue(config.timeout));
      put('expected_status', config.expectedStatus ? [...config.expectedStatus] : undefined);
      break;
    case 'file_operation':
      Object.assign(r, fileToRecord(config));
      break;
    case 'jorm':
      put('command', joinCommandLine(config.args));
      put('working_dir', config.workingDir);
      break;
    case 'custom':
      for (const [key, value] of Object.entries(config.values)) {
        if (key !== 'id' && !(COMMON_TASK_KEYS as readonly string[]).includes(key)) setOwn(r, key, value);
      }
      break;
    default:
      return assertNever(config);
  }
  return r;
}

function fileToRecord(config: FileTaskConfig): PlainRecord {
  const r: PlainRecord = {};
  const { overwrite, content, ...rest } = config.options;
  if (config.operation === 'copy' || config.operation === 'move') {
    r['source'] = config.source ?? '';
    r['destination'] = config.destination ?? '';
  } else if (config.operation === 'create') {
    r['path'] = config.destination ?? '';
    if (typeof content === 'string' && content !== '') r['content'] = content;
    else if (content !== undefined && typeof content !== 'string') rest['content'] = content;
  } else {
    r['path'] = config.source ?? '';
  }
  if (config.operation !== 'create' && content !== undefined) rest['content'] = content;
  if (typeof overwrite === 'boolean' && config.operation !== 'delete') r['overwrite'] = overwrite;
  else if (overwrite !== undefined) rest['overwrite'] = overwrite;
  if (Object.keys(rest).length > 0) r['options'] = rest;
  return r;
}

function retryToRecord(retry: TaskRetryConfig): PlainRecord {
  const d = DEFAULT_TASK_RETRY;
  const onlyAttempts =
    retry.initialDelay === d.initialDelay &&
    retry.maxDelay === d.maxDelay &&
    retry.backoff === d.backoff &&
    retry.multiplier === d.multiplier &&
    retry.retryOnExitCodes === undefined &&
    retry.retryOnTimeout === d.retryOnTimeout;
  if (onlyAttempts) return { retries: Math.max(0, retry.maxAttempts - 1) };
  const block: PlainRecord = { max_attempts: retry.maxAttempts };
  if (retry.initialDelay !== d.initialDelay) block['initial_delay'] = formatDurationValue(retry.initialDelay);
  if (retry.maxDelay !== d.maxDelay) block['max_delay'] = formatDurationValue(retry.maxDelay);
  if (retry.backoff !== d.backoff) block['backoff'] = retry.backoff;
  if (retry.multiplier !== d.multiplier) block['multiplier'] = retry.multiplier;
  if (retry.retryOnExitCodes !== undefined) block['retry_on_exit_codes'] = [...retry.retryOnExitCodes];
  if (retry.retryOnTimeout !== d.retryOnTimeout) block['retry_on_timeout'] = retry.retryOnTimeout;
  return { retry: block };
}

const DURATION_UNITS: [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/** Milliseconds as the largest whole unit: `30s`, `10m`, `2h`, `7d`, or `1500ms`. */
export function formatDurationValue(ms: number): string {
  for (const [unit, factor] of DURATION_UNITS) {
    if (ms >= factor && ms % factor === 0) return `${ms / factor}${unit}`;
  }
  return `${ms}ms`;
}
