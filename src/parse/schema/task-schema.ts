/**
 * The schema of one task: the keys every task type shares (`type`, `depends_on`, `timeout`, `retries`,
 * `retry`, `env`, …) and the dispatch to the built-in types or a custom type.
 * @module
 */

import type { SourceLocation } from '../../model/diagnostic.js';
import { Task } from '../../model/task.js';
import { type MapNode, setOwn, type TaskEntry, type ValueNode } from '../tree.js';
import { type Checker, entriesByKey, scalarText } from './checker.js';
import { readResources, readRetry } from './task-policies.js';
import { customValues, TASK_TYPES, type TaskTypeSpec, taskTypeSpec } from './task-types.js';

/** Keys every task may have, whatever its type. */
export const COMMON_TASK_KEYS = [
  'type',
  'name',
  'description',
  'depends_on',
  'timeout',
  'retries',
  'retry',
  'env',
  'metadata',
  'tags',
  'queue',
  'resources',
] as const;

/** Task ids: letters, digits, `_` and `-` (no dots: ids appear in `${tasks.<id>…}` references). */
export const TASK_ID_RE = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

/** Environment variable names. */
const ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What the schema made of one task entry. */
export interface BuiltTask {
  task: Task;
  /** The task had problems; `task` is a placeholder with its id and dependencies (for graph checks). */
  invalid: boolean;
}

const allowedByType = new Map<TaskTypeSpec, readonly string[]>();

/** The keys a task of a built-in type may have: the common ones and its own. */
function allowedKeys(spec: TaskTypeSpec): readonly string[] {
  let keys = allowedByType.get(spec);
  if (!keys) {
    keys = [...COMMON_TASK_KEYS, ...spec.keys];
    allowedByType.set(spec, keys);
  }
  return keys;
}

/** Where the task of `entry` names `dependency` in its `depends_on`, if it does. */
export function dependencyLocation(entry: TaskEntry, dependency: string): SourceLocation | undefined {
  const deps = entry.body.entries.find((e) => e.key === 'depends_on')?.value;
  for (const item of deps?.kind === 'list' ? deps.items : deps ? [deps] : []) {
    if (item.kind === 'scalar' && item.value !== null && scalarText(item) === dependency) return item.loc;
  }
  return undefined;
}

/** Builds a task from its entry, reporting every problem of it to `checker`. */
export function buildTask(entry: TaskEntry, parent: Checker): BuiltTask {
  const c = parent.forTask(entry.id, entry.damaged || parent.damaged);
  const before = c.count;
  if (!TASK_ID_RE.test(entry.id)) {
    c.fail(
      'invalid-id',
      'a task id may contain only letters, digits, "_" and "-", starting with a letter, digit or "_"',
      entry.idLoc,
      `rename it, e.g. "${entry.id.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^-/, '_') || 'task'}"`,
    );
  }
  const body = entry.body;
  const entries = entriesByKey(body);
  const get = (key: string): ValueNode | undefined => entries.get(key)?.value;

  const typeNode = get('type');
  const type = typeNode ? c.nonEmptyString(typeNode, 'type') : undefined;
  if (!typeNode) {
    c.missing(
      'type',
      'the task',
      entry.loc,
      `one of ${Object.keys(TASK_TYPES).join(', ')}, or a custom executor's type`,
    );
  }
  const spec = type === undefined ? undefined : taskTypeSpec(type);
  if (spec) {
    const misspelt = c.checkKeys(body, allowedKeys(spec), `for a task of type ${type}`, spec.hints);
    for (const key of spec.required) {
      if (!entries.has(key) && !misspelt.has(key)) c.missing(key, `a task of type ${type}`, entry.loc);
    }
  }
  const config = spec
    ? spec.build(c, get)
    : type === undefined
      ? undefined
      : { kind: 'custom' as const, values: customValues(body, COMMON_TASK_KEYS).values };
  const taskType = spec?.taskType ?? type ?? 'unknown';
  const task = new Task(entry.id, undefined, taskType, config ?? { kind: 'custom', values: {} });
  task.location = entry.loc;
  recordKeyLocations(task, body);
  readCommonKeys(c, task, get);
  return { task, invalid: c.count > before || config === undefined };
}

function readCommonKeys(c: Checker, task: Task, get: (key: string) => ValueNode | undefined): void {
  const node = (key: string) => get(key);
  let n = node('name');
  if (n) task.name = c.string(n, 'name') ?? task.name;
  n = node('description');
  if (n) {
    const description = c.string(n, 'description');
    if (description !== undefined) task.description = description;
  }
  n = node('depends_on');
  if (n) {
    for (const [i, dep] of (c.stringList(n, 'depends_on', true) ?? []).entries()) {
      if (dep === '') {
        const at = n.kind === 'list' ? (n.items[i]?.loc ?? n.loc) : n.loc;
        c.fail('invalid-value', 'an entry of "depends_on" is empty', at);
      } else task.addDependency(dep);
    }
  }
  n = node('timeout');
  if (n) {
    const timeout = c.duration(n, 'timeout');
    if (timeout !== undefined) task.timeout = timeout;
  }
  const retry = readRetry(c, get('retries'), get('retry'));
  if (retry) task.retryConfig = retry;
  n = node('env');
  if (n) {
    const env = c.stringMap(n, 'env');
    if (env) {
      checkEnvNames(c, n);
      task.environment = env;
    }
  }
  n = node('metadata');
  if (n) task.metadata = c.plainMap(n, 'metadata') ?? {};
  n = node('tags');
  if (n) task.tags = c.stringList(n, 'tags', true) ?? [];
  n = node('queue');
  if (n) {
    const queue = c.nonEmptyString(n, 'queue');
    if (queue !== undefined) task.queue = queue;
  }
  n = node('resources');
  if (n) {
    const resources = readResources(c, n);
    if (resources) task.resources = resources;
  }
}

/** Reports environment variable names that a process could not receive. */
export function checkEnvNames(c: Checker, node: ValueNode): void {
  if (node.kind !== 'map') return;
  for (const entry of node.entries) {
    if (!ENV_NAME_RE.test(entry.key)) {
      c.fail(
        'invalid-value',
        `"${entry.key}" is not a valid environment variable name`,
        entry.keyLoc,
        'use letters, digits and "_", not starting with a digit',
      );
    }
  }
}

/** Records where each key (and each key of a nested map, as `key.sub`) of the task is written. */
function recordKeyLocations(task: Task, body: MapNode): void {
  const locations: Record<string, SourceLocation> = {};
  for (const entry of body.entries) {
    setOwn(locations, entry.key, entry.keyLoc);
    if (entry.value.kind === 'map') {
      for (const sub of entry.value.entries) setOwn(locations, `${entry.key}.${sub.key}`, sub.keyLoc);
    }
  }
  task.keyLocations = locations;
}
