/**
 * Validation of a {@link Dag}, for DAGs read from files and DAGs built in code alike: the values of each
 * task that the model allows but that cannot run (empty ids and commands, bad timeouts and retry policies),
 * dependencies on tasks that do not exist, and cycles (with their whole path).
 * @module
 */

import type { Dag } from '../model/dag.js';
import { type Diagnostic, didYouMean, type SourceLocation } from '../model/diagnostic.js';
import { analyzeGraph } from '../model/graph.js';
import { assertNever, type Task } from '../model/task.js';

/** Options of {@link validateDag}. */
export interface ValidateDagOptions {
  /** Where a task names one of its dependencies (the parser knows; a DAG built in code does not). */
  locateDependency?: (taskId: string, dependency: string) => SourceLocation | undefined;
}

/**
 * Every problem of a DAG, each located at the task (and key) where it is written when known.
 * A DAG read by `parseDag` has none of the task problems (the parser reports them first).
 */
export function validateDag(dag: Dag, options: ValidateDagOptions = {}): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const locate = (task: Task | undefined, dependency: string): SourceLocation | undefined =>
    task &&
    (options.locateDependency?.(task.id, dependency) ?? task.keyLocations['depends_on'] ?? task.location);
  for (const task of dag.tasks) problems.push(...validateTask(task));
  const analysis = analyzeGraph(dag);
  for (const { taskId, dependency } of analysis.missing) {
    const task = dag.getTask(taskId);
    const location = locate(task, dependency);
    const guess = didYouMean(
      dependency,
      dag.taskIds.filter((id) => id !== taskId),
    );
    problems.push({
      code: 'unknown-dependency',
      message: `task "${taskId}" depends on "${dependency}", which is not a task of this DAG`,
      ...(guess ? { hint: `did you mean "${guess}"?` } : {}),
      ...(location ? { location } : {}),
      taskId,
    });
  }
  for (const cycle of analysis.cycles) {
    // The path is in execution order, so its first task depends on the one before its last.
    const first = dag.getTask(cycle[0]!);
    const back = cycle[cycle.length - 2]!;
    const location = locate(first, back);
    problems.push({
      code: 'cycle',
      message: `dependency cycle: ${cycle.join(' -> ')}`,
      ...(location ? { location } : {}),
      taskId: cycle[0]!,
    });
  }
  return problems;
}

/** The problems of one task's values (not of its place in the graph). */
export function validateTask(task: Task): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const report = (code: string, key: string, message: string) => {
    const location = task.keyLocations[key] ?? task.location;
    problems.push({
      code,
      message: `task "${task.id}": ${message}`,
      ...(location ? { location } : {}),
      taskId: task.id,
    });
  };
  if (task.id.trim() === '') report('invalid-id', 'id', 'the task id is empty');
  if (task.taskType.trim() === '') report('missing-key', 'type', 'the task type is empty');
  if (task.timeout !== undefined && !(Number.isFinite(task.timeout) && task.timeout > 0)) {
    report(
      'invalid-value',
      'timeout',
      `the timeout must be a positive number of milliseconds, not ${task.timeout}`,
    );
  }
  const retry = task.retryConfig;
  if (retry && !(Number.isInteger(retry.maxAttempts) && retry.maxAttempts >= 1)) {
    report(
      'invalid-value',
      'retry',
      `retry.maxAttempts must be a whole number of at least 1, not ${retry.maxAttempts}`,
    );
  }
  if (retry && !(retry.initialDelay >= 0 && retry.maxDelay >= 0)) {
    report('invalid-value', 'retry', 'retry delays must not be negative');
  }
  if (task.dependsOn.some((d) => d === '')) report('invalid-value', 'depends_on', 'a dependency is empty');
  for (const [key, field] of requiredFields(task)) {
    if (typeof field !== 'string' || field.trim() === '') report('missing-key', key, `"${key}" is empty`);
  }
  return problems;
}

/** The string fields a task's config cannot run without, by their file key. */
function requiredFields(task: Task): [string, unknown][] {
  const config = task.config;
  switch (config.kind) {
    case 'shell':
      return [['command', config.command]];
    case 'python_script':
      return [['script', config.script]];
    case 'python_function':
      return [
        ['module', config.module],
        ['function', config.function],
      ];
    case 'http_request':
      return [
        ['url', config.url],
        ['method', config.method],
      ];
    case 'file_operation':
      return requiredFilePaths(config.operation, config.source, config.destination);
    case 'jorm':
      return config.args.length === 0 ? [['command', '']] : [];
    case 'custom':
      return [];
    default:
      return assertNever(config);
  }
}

function requiredFilePaths(operation: string, source?: string, destination?: string): [string, unknown][] {
  if (operation === 'create') return [['path', destination]];
  if (operation === 'delete') return [['path', source]];
  return [
    ['source', source],
    ['destination', destination],
  ];
}

/** Where a diagnostic sorts: by line and column, unlocated last. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return locationKey(a.location) - locationKey(b.location);
}

function locationKey(location: SourceLocation | undefined): number {
  return location ? location.line * 1e6 + location.column : Number.MAX_SAFE_INTEGER;
}
