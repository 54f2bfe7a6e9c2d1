/**
 * How the dashboard reads a DAG file: jorm's parser (every syntax, key, value and graph problem) plus
 * the task types the built-in executors know — the same checks as `jorm validate`.
 * @module
 */

import { readFile } from 'node:fs/promises';
import { TaskRegistry } from '../../engine/registry.js';
import '../../executors/defaults.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import { formatFromPath, readDag, unreadableReason } from '../../parse/parse-dag.js';
import type { DagLoader } from './dag-files.js';

/** Reads a DAG file into the DAG (possibly partial) and every problem found; never throws. */
export const loadDagFile: DagLoader = async (file) => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { diagnostics: [{ code: 'unreadable-file', message: unreadableReason(file, error) }] };
  }
  const { dag, diagnostics, invalidTasks } = readDag(text, { format: formatFromPath(file), file });
  const registry = TaskRegistry.withDefaultExecutors();
  const problems: Diagnostic[] = [...diagnostics];
  if (registry.taskTypes.length > 0) {
    for (const d of registry.diagnoseDagTasks(dag)) {
      if (d.taskId === undefined || !invalidTasks.has(d.taskId)) problems.push(d);
    }
  }
  return { dag, diagnostics: problems };
};
