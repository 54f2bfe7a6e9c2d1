/**
 * Helpers of the parser tests.
 */

import assert from 'node:assert/strict';
import type { Dag } from '../../src/model/dag.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { DagValidationError } from '../../src/model/errors.js';
import { type DagFormat, parseDag, readDag } from '../../src/parse/parse-dag.js';

/** Every problem of a text (none for a valid one). */
export function diagnose(text: string, format: DagFormat = 'jorm', file = 'dag.test'): Diagnostic[] {
  return readDag(text, { format, file }).diagnostics;
}

/** Parses text that must be valid; on failure the assertion shows every problem. */
export function parseOk(text: string, format: DagFormat = 'jorm'): Dag {
  try {
    return parseDag(text, { format });
  } catch (error) {
    if (error instanceof DagValidationError) assert.fail(`expected a valid DAG, got ${error.message}`);
    throw error;
  }
}

/** The only problem of a text. */
export function onlyProblem(text: string, format: DagFormat = 'jorm'): Diagnostic {
  const problems = diagnose(text, format);
  assert.equal(
    problems.length,
    1,
    `expected one problem, got:\n${problems.map((p) => p.message).join('\n')}`,
  );
  return problems[0]!;
}

/** Asserts a problem's code, position and (part of) its message. */
export function assertProblem(
  problem: Diagnostic | undefined,
  expected: { code: string; line: number; column: number; message: string | RegExp; hint?: string | RegExp },
): void {
  assert.ok(problem, `expected a problem ${expected.code}`);
  assert.equal(problem.code, expected.code, problem.message);
  assert.equal(problem.location?.line, expected.line, `line of: ${problem.message}`);
  assert.equal(problem.location?.column, expected.column, `column of: ${problem.message}`);
  if (typeof expected.message === 'string') assert.equal(problem.message, expected.message);
  else assert.match(problem.message, expected.message);
  if (expected.hint !== undefined) {
    if (typeof expected.hint === 'string') assert.equal(problem.hint, expected.hint);
    else assert.match(problem.hint ?? '', expected.hint);
  }
}

/** A shell task in the JORM format. */
export function shellTask(id: string, extra = ''): string {
  return `task ${id} {\n    type: shell\n    command: "echo ${id}"\n${extra}}\n`;
}

/** What a DAG means, without where it was written. */
export function meaning(dag: Dag): unknown {
  return {
    id: dag.id,
    name: dag.name,
    description: dag.description,
    environment: dag.environment,
    params: dag.params,
    tasks: dag.tasks.map((t) => ({
      id: t.id,
      name: t.name,
      taskType: t.taskType,
      config: t.config,
      timeout: t.timeout,
      retryConfig: t.retryConfig,
      environment: t.environment,
      dependsOn: t.dependsOn,
      metadata: t.metadata,
      description: t.description,
      tags: t.tags,
      queue: t.queue,
      resources: t.resources,
    })),
  };
}
