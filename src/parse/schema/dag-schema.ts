/**
 * The schema of a whole DAG file: its DAG-level keys and its tasks, turned into a {@link Dag}, with every
 * problem found (duplicate task ids, then the graph checks of {@link validateDag}).
 * @module
 */

import { Dag } from '../../model/dag.js';
import type { Diagnostic, SourceLocation } from '../../model/diagnostic.js';
import { type DagDocument, type MapEntry, setOwn, type TaskEntry } from '../tree.js';
import { validateDag } from '../validate.js';
import { Checker } from './checker.js';
import { buildTask, checkEnvNames, dependencyLocation } from './task-schema.js';

/** The DAG-level keys. `tasks` is a key only in YAML and JSON. */
const DAG_KEYS = ['dag', 'id', 'name', 'description', 'env', 'params'];

const DAG_ID_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Parameter names, as used in `${params.NAME}` and `--param NAME=VALUE`. */
const PARAM_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What the schema made of a document. */
export interface BuiltDag {
  /** The DAG; tasks with problems are in it as placeholders, with their dependencies. */
  dag: Dag;
  /** Every problem: the document's syntax problems, then the schema's and the graph's. */
  diagnostics: Diagnostic[];
  /** Ids of the tasks that had problems. */
  invalidTasks: Set<string>;
}

/** Options of {@link buildDag}. */
export interface BuildDagOptions {
  file?: string;
  /** The id when the file does not give one. */
  defaultId: string;
}

/** Turns a document into a DAG, collecting every problem. */
export function buildDag(doc: DagDocument, options: BuildDagOptions): BuiltDag {
  const diagnostics = [...doc.diagnostics];
  const c = new Checker(diagnostics, '', undefined, doc.damaged);
  const dag = new Dag(options.defaultId);
  if (options.file !== undefined) dag.sourceFile = options.file;
  readDagKeys(c, dag, doc.entries);

  const invalidTasks = new Set<string>();
  const declared = new Map<string, SourceLocation>();
  for (const entry of doc.tasks) {
    const first = declared.get(entry.id);
    if (first) {
      c.fail(
        'duplicate-task',
        `task "${entry.id}" is declared twice (first at line ${first.line})`,
        entry.idLoc,
        'task ids must be unique: rename one of them',
      );
      continue;
    }
    declared.set(entry.id, entry.idLoc);
    const built = buildTask(entry, c);
    if (built.invalid) invalidTasks.add(entry.id);
    dag.addTask(built.task);
  }
  if (doc.tasks.length === 0 && diagnostics.length === 0) {
    c.fail(
      'no-tasks',
      'the DAG has no tasks',
      { ...(options.file === undefined ? {} : { file: options.file }), line: 1, column: 1 },
      'declare at least one task',
    );
  }
  if (!doc.damaged) {
    const entries = new Map<string, TaskEntry>();
    for (const t of doc.tasks) if (!entries.has(t.id)) entries.set(t.id, t);
    const locateDependency = (taskId: string, dependency: string) => {
      const entry = entries.get(taskId);
      return entry && dependencyLocation(entry, dependency);
    };
    diagnostics.push(...validateDag(dag, { locateDependency }));
  }
  return { dag, diagnostics, invalidTasks };
}

function readDagKeys(c: Checker, dag: Dag, entries: MapEntry[]): void {
  c.checkKeys({ kind: 'map', entries, loc: { line: 1, column: 1 } }, DAG_KEYS, 'at the top of the DAG', {
    tasks: 'in a .jorm file, declare each task as: task <id> { … }',
    task: 'write: task <id> { … }',
  });
  const byKey = new Map(entries.map((e) => [e.key, e]));
  for (const e of entries) {
    setOwn(dag.keyLocations, e.key, e.keyLoc);
    if (e.value.kind === 'map') {
      for (const sub of e.value.entries) setOwn(dag.keyLocations, `${e.key}.${sub.key}`, sub.keyLoc);
    }
  }
  const dagEntry = byKey.get('dag');
  const idEntry = byKey.get('id');
  if (dagEntry && idEntry) {
    c.fail('conflicting-keys', '"dag" and "id" both name the DAG', idEntry.keyLoc, 'keep one of them');
  }
  const named = dagEntry ?? idEntry;
  if (named) {
    const id = c.nonEmptyString(named.value, named.key);
    if (id !== undefined && !DAG_ID_RE.test(id)) {
      c.fail(
        'invalid-id',
        'a DAG id may contain only letters, digits, "_", "-" and ".", starting with a letter, digit or "_"',
        named.value.loc,
      );
    } else if (id !== undefined) {
      dag.id = id;
    }
  }
  const name = byKey.get('name');
  dag.name = (name ? c.string(name.value, 'name') : undefined) ?? dag.id;
  const description = byKey.get('description');
  if (description) {
    const text = c.string(description.value, 'description');
    if (text !== undefined) dag.description = text;
  }
  const env = byKey.get('env');
  if (env) {
    const map = c.stringMap(env.value, 'env');
    if (map) {
      checkEnvNames(c, env.value);
      dag.environment = map;
    }
  }
  const params = byKey.get('params');
  if (params) {
    dag.params = c.stringMap(params.value, 'params') ?? {};
    if (params.value.kind === 'map') {
      for (const entry of params.value.entries) {
        if (!PARAM_NAME_RE.test(entry.key)) {
          c.fail(
            'invalid-value',
            `"${entry.key}" is not a valid parameter name`,
            entry.keyLoc,
            'use letters, digits and "_", not starting with a digit',
          );
        }
      }
    }
  }
}
