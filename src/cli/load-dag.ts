/**
 * Loading a DAG file for a CLI command: every problem printed as `file:line:col: message` with the source
 * line and a caret, then exit code 2. Commands that run DAGs (`run`, `serve`, …) call {@link loadDagForCli}.
 * @module
 */

import { readFileSync } from 'node:fs';
import type { TaskRegistry } from '../engine/registry.js';
import { validateReferences } from '../env/references.js';
import { Dag } from '../model/dag.js';
import { type Diagnostic, formatDiagnostic } from '../model/diagnostic.js';
import { attachSourceLines, formatFromPath, readDag, unreadableReason } from '../parse/parse-dag.js';
import { compareDiagnostics } from '../parse/validate.js';
import { CliExit, ExitCode } from './exit-codes.js';

/** A DAG file read for the CLI, with every problem found. */
export interface CheckedDagFile {
  dag: Dag;
  /** Syntax, schema, graph and (with a registry) task type problems, in file order. */
  diagnostics: Diagnostic[];
  /** The file's text. */
  text: string;
}

/**
 * Reads and checks a DAG file: parsing (syntax, keys, values, duplicate ids, unknown dependencies, cycles)
 * and, when a registry is given, the task types and configs its executors accept.
 * @throws CliExit (exit 2) with a one-line message when the file cannot be read.
 */
export async function checkDagFile(path: string, registry?: TaskRegistry): Promise<CheckedDagFile> {
  let text: string;
  try {
    // Read synchronously: the CLI has nothing else to do meanwhile, and the first asynchronous file read
    // of a process starts libuv's thread pool (about 1 ms of a `jorm validate`).
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliExit(ExitCode.InvalidInput, `jorm: ${unreadableReason(path, error)}`);
  }
  const reading = readDag(text, { format: formatFromPath(path), file: path });
  const diagnostics = [...reading.diagnostics];
  if (registry) {
    // Tasks that already have problems are left out, so that each problem is reported once.
    const valid = new Dag(reading.dag.id, reading.dag.name);
    for (const task of reading.dag.tasks) if (!reading.invalidTasks.has(task.id)) valid.addTask(task);
    const typeProblems = registry.diagnoseDagTasks(valid);
    attachSourceLines(typeProblems, text);
    diagnostics.push(...typeProblems);
    diagnostics.sort(compareDiagnostics);
  }
  return { dag: reading.dag, diagnostics, text };
}

/** Writes problems to stderr, one `file:line:col: message` (with caret lines) each. */
export function printDiagnostics(diagnostics: Diagnostic[]): void {
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
}

/**
 * Loads a DAG file for a command: on any problem, prints every one of them on stderr and throws
 * `CliExit(2)`; a missing or unreadable file is a one-line error, also exit 2. With `references`, the
 * `${…}` references to tasks and parameters are checked too, as `jorm validate` does.
 */
export async function loadDagForCli(
  path: string,
  registry?: TaskRegistry,
  options: { references?: boolean } = {},
): Promise<Dag> {
  const { dag, diagnostics, text } = await checkDagFile(path, registry);
  if (diagnostics.length === 0 && options.references) {
    // As `jorm validate`: references to tasks and parameters (variables depend on the run's environment).
    const references = validateReferences(dag, { checkVariables: false });
    attachSourceLines(references, text);
    diagnostics.push(...references.sort(compareDiagnostics));
  }
  if (diagnostics.length > 0) {
    printDiagnostics(diagnostics);
    const count = diagnostics.length === 1 ? '1 problem' : `${diagnostics.length} problems`;
    throw new CliExit(ExitCode.InvalidInput, `jorm: ${path}: ${count}`, diagnostics);
  }
  return dag;
}
