/**
 * {@link validateReferences}: every `${…}` of a DAG checked before anything runs.
 * @module
 */

import type { Dag } from '../model/dag.js';
import { type Diagnostic, didYouMean, type SourceLocation } from '../model/diagnostic.js';
import { upstreamOf } from '../model/graph.js';
import { assertNever, type Task } from '../model/task.js';
import { executionVariables, isBuiltinVariable } from './builtins.js';
import { EnvironmentManager } from './manager.js';
import { configMayHoldDollar, forEachTaskConfigString, locationKeys } from './task-strings.js';
import { parseTemplate, placeholdersOf } from './template.js';

/** Options of {@link validateReferences}. */
export interface ReferenceCheckOptions {
  /**
   * The environment the run will have (parent, `.env`, executor and config variables), for unknown-variable
   * checks. @defaultValue a manager over `process.env` with the default configuration
   */
  environment?: EnvironmentManager;
  /** `--env KEY=VALUE` values of the run. */
  commandLineEnv?: Readonly<Record<string, string>>;
  /** `--param NAME=VALUE` values of the run (over the DAG's `params`). */
  params?: Readonly<Record<string, string>>;
  /**
   * Whether `${NAME}` without a default must name a known variable. Off for checks that do not know the
   * run's environment (such as `jorm validate`). @defaultValue true
   */
  checkVariables?: boolean;
}

interface Where {
  task?: Task;
  /** The DAG-file key of the field (`command`, `env`, …). */
  key: string;
  /** How to name the field in a message. */
  label: string;
  /** The key is one of the DAG's own keys (`env.NAME`). */
  dagLevel?: boolean;
}

function locate(where: Where, dag: Dag): SourceLocation | undefined {
  const owner = where.task ?? (where.dagLevel ? dag : undefined);
  if (!owner) return undefined;
  for (const key of locationKeys(where.key)) {
    const location = owner.keyLocations[key];
    if (location) return location;
  }
  return where.task?.location;
}

/**
 * Every problem of the `${…}` references of a DAG, each with the file, line and column of the key it is
 * written under and the reference as written: malformed references, a `${task.X…}` where X is not a task
 * upstream of the referring task, an unknown parameter, and (with `checkVariables`) an unknown variable
 * without a default. Values of the DAG's `env`, `--env` and the executor's variables may not reference
 * tasks (they are shared by every task). Nothing is reported when interpolation is off.
 */
export function validateReferences(dag: Dag, options: ReferenceCheckOptions = {}): Diagnostic[] {
  const manager = options.environment ?? new EnvironmentManager();
  if (!manager.config.enableInterpolation) return [];
  const checkVariables = options.checkVariables ?? true;
  const params = { ...dag.params, ...options.params };
  const commandLine = options.commandLineEnv ?? {};
  const problems: Diagnostic[] = [];
  const seen = new Set<string>();
  const report = (where: Where, code: string, message: string, hint?: string): void => {
    const location = locate(where, dag);
    const diagnostic: Diagnostic = {
      code,
      message: where.task
        ? `task "${where.task.id}", ${where.label}: ${message}`
        : `${where.label}: ${message}`,
      ...(location ? { location } : {}),
      ...(hint ? { hint } : {}),
      ...(where.task ? { taskId: where.task.id } : {}),
    };
    const id = `${diagnostic.message}@${location?.line}:${location?.column}`;
    if (seen.has(id)) return;
    seen.add(id);
    problems.push(diagnostic);
  };

  const check = (
    text: string,
    where: Where,
    known: (name: string) => boolean,
    upstream: (() => ReadonlySet<string>) | undefined,
  ): void => {
    if (!text.includes('$')) return;
    const parsed = parseTemplate(text);
    for (const p of parsed.problems) report(where, 'bad-reference', `${p.message} in ${p.raw}`);
    for (const p of placeholdersOf(parsed.segments)) {
      const ref = p.ref;
      switch (ref.kind) {
        case 'task': {
          if (!upstream) {
            report(
              where,
              'task-reference-not-allowed',
              `${p.raw}: only a task's own fields and env may reference task outputs`,
            );
          } else if (!dag.hasTask(ref.taskId)) {
            const guess = didYouMean(ref.taskId, dag.taskIds);
            report(
              where,
              'unknown-task-reference',
              `${p.raw} refers to "${ref.taskId}", which is not a task of this DAG`,
              guess ? `did you mean "${guess}"?` : undefined,
            );
          } else if (where.task && ref.taskId === where.task.id) {
            report(where, 'not-upstream', `${p.raw}: a task cannot read its own output`);
          } else if (!where.task?.dependsOn.includes(ref.taskId) && !upstream().has(ref.taskId)) {
            report(
              where,
              'not-upstream',
              `${p.raw} refers to task "${ref.taskId}", which is not upstream of this task`,
              `add "${ref.taskId}" to depends_on`,
            );
          }
          break;
        }
        case 'variable':
          if (checkVariables && !p.fallback && !known(ref.name)) {
            const guess = didYouMean(ref.name, shared);
            report(
              where,
              'unknown-variable',
              `${p.raw}: unknown variable ${ref.name}`,
              guess
                ? `did you mean ${guess}? or give a default: \${${ref.name}:-value}`
                : `define it, or give a default: \${${ref.name}:-value}`,
            );
          }
          break;
        case 'param':
          if (checkVariables && !p.fallback && params[ref.name] === undefined) {
            const guess = didYouMean(ref.name, Object.keys(params));
            report(
              where,
              'unknown-parameter',
              `${p.raw}: unknown parameter ${ref.name}`,
              guess ? `did you mean "${guess}"?` : `declare it in params, or pass --param ${ref.name}=VALUE`,
            );
          }
          break;
        case 'system':
        case 'dag':
        case 'execution':
          break;
        default:
          assertNever(ref);
      }
    }
  };

  // Names every task sees; the shared layers also see the execution-wide builtins.
  const shared = manager.visibleNames(
    {},
    { dag: dag.environment, commandLine, builtins: executionVariables('', '') },
  );
  const sharedKnown = (name: string): boolean => shared.has(name);
  for (const { label, values } of manager.sharedDeclarations()) {
    for (const [name, value] of Object.entries(values)) {
      check(value, { key: label, label: `${label}.${name}` }, sharedKnown, undefined);
    }
  }
  for (const [name, value] of Object.entries(dag.environment)) {
    check(value, { key: `env.${name}`, label: `DAG env.${name}`, dagLevel: true }, sharedKnown, undefined);
  }
  for (const [name, value] of Object.entries(commandLine)) {
    check(value, { key: '--env', label: `--env ${name}` }, sharedKnown, undefined);
  }

  for (const task of dag.tasks) {
    const fields = configMayHoldDollar(task.config);
    if (!fields && !envMayHoldDollar(task.environment)) continue;
    let ancestors: Set<string> | undefined;
    const upstream = (): ReadonlySet<string> => {
      ancestors ??= upstreamOf(dag, task.id);
      return ancestors;
    };
    const known = (name: string): boolean =>
      shared.has(name) ||
      (Object.hasOwn(task.environment, name) && !manager.isExcluded(name)) ||
      isBuiltinVariable(name, task.dependsOn);
    if (fields) {
      forEachTaskConfigString(task.config, (value, key) =>
        check(value, { task, key, label: key }, known, upstream),
      );
    }
    for (const [name, value] of Object.entries(task.environment)) {
      check(value, { task, key: `env.${name}`, label: `env.${name}` }, known, upstream);
    }
  }
  return problems;
}

/** Whether a value of `env` holds a `$` (a loop, not `Object.values`: this runs once per task). */
function envMayHoldDollar(env: Readonly<Record<string, string>>): boolean {
  for (const name in env) if (env[name]!.includes('$')) return true;
  return false;
}
