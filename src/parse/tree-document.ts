/**
 * The shape shared by YAML and JSON files: a map of DAG keys with `tasks`, either a list of tasks that each
 * carry an `id` or a map from id to task, turned into a {@link DagDocument}.
 * @module
 */

import type { Diagnostic, SourceLocation } from '../model/diagnostic.js';
import type { DagDocument, MapNode, TaskEntry, ValueNode } from './tree.js';

/**
 * The document of a file whose whole content is `top` (`null` for an empty file; `undefined` when it could
 * not be read). `diagnostics` holds the problems found so far (syntax): when there are any, the document is
 * marked damaged.
 */
export function documentFromTree(
  top: ValueNode | null | undefined,
  diagnostics: Diagnostic[],
  start: SourceLocation,
): DagDocument {
  const document: DagDocument = { entries: [], tasks: [], diagnostics, damaged: diagnostics.length > 0 };
  if (top === null) {
    if (!document.damaged) {
      diagnostics.push({
        code: 'missing-key',
        message: 'the file is empty: it needs "tasks"',
        location: start,
      });
    }
    document.damaged = true;
    return document;
  }
  if (top === undefined) return document;
  if (top.kind !== 'map') {
    const what = top.kind === 'list' ? 'a list' : 'a single value';
    diagnostics.push({
      code: 'wrong-type',
      message: `the file must hold a map with "tasks", not ${what}`,
      location: top.loc,
    });
    document.damaged = true;
    return document;
  }
  for (const entry of top.entries) {
    if (entry.key === 'tasks') document.tasks = tasksOf(entry.value, diagnostics);
    else document.entries.push(entry);
  }
  if (!top.entries.some((e) => e.key === 'tasks') && !document.damaged) {
    diagnostics.push({
      code: 'missing-key',
      message: 'the DAG needs "tasks" (a list of tasks with an "id", or a map from id to task)',
      location: top.loc,
    });
  }
  return document;
}

/** The `tasks` value: a list of maps with `id`, or a map from id to task. */
function tasksOf(value: ValueNode, diagnostics: Diagnostic[]): TaskEntry[] {
  const tasks: TaskEntry[] = [];
  if (value.kind === 'map') {
    for (const entry of value.entries) {
      const body = taskBody(entry.value, `task "${entry.key}"`, diagnostics);
      if (!body) continue;
      const idEntry = body.entries.find((e) => e.key === 'id');
      if (idEntry) {
        diagnostics.push({
          code: 'unknown-key',
          message: `task "${entry.key}" has an "id" key, but its id is already its key in "tasks"`,
          location: idEntry.keyLoc,
          hint: 'remove "id", or write "tasks" as a list',
          taskId: entry.key,
        });
        body.entries = body.entries.filter((e) => e !== idEntry);
      }
      tasks.push({ id: entry.key, loc: entry.keyLoc, idLoc: entry.keyLoc, body, damaged: false });
    }
    return tasks;
  }
  if (value.kind !== 'list') {
    diagnostics.push({
      code: 'wrong-type',
      message: '"tasks" must be a list of tasks with an "id", or a map from id to task',
      location: value.loc,
    });
    return tasks;
  }
  for (const [i, item] of value.items.entries()) {
    const body = taskBody(item, `item ${i + 1} of "tasks"`, diagnostics);
    if (!body) continue;
    const idEntry = body.entries.find((e) => e.key === 'id');
    const id = idEntry?.value;
    if (id?.kind !== 'scalar' || id.value === null || id.value === '') {
      diagnostics.push({
        code: 'missing-key',
        message: `item ${i + 1} of "tasks" needs an "id" (a string)`,
        location: id?.loc ?? body.loc,
      });
      continue;
    }
    body.entries = body.entries.filter((e) => e !== idEntry);
    tasks.push({ id: id.raw ?? String(id.value), loc: body.loc, idLoc: id.loc, body, damaged: false });
  }
  return tasks;
}

function taskBody(value: ValueNode, what: string, diagnostics: Diagnostic[]): MapNode | undefined {
  if (value.kind === 'map') return value;
  diagnostics.push({
    code: 'wrong-type',
    message: `${what} must be a map of task keys`,
    location: value.loc,
  });
  return undefined;
}
