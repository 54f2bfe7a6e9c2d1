/**
 * `jorm validate <file...>`: checks DAG files (syntax, keys, values, dependencies, cycles, task types
 * against the built-in executors, `${…}` references) and prints a one-line summary per valid file.
 * @module
 */

import type { Command } from 'commander';
import { TaskRegistry } from '../../engine/registry.js';
import { validateReferences } from '../../env/references.js';
import { analyzeGraph } from '../../model/graph.js';
import { attachSourceLines } from '../../parse/parse-dag.js';
import { compareDiagnostics } from '../../parse/validate.js';
import { plural } from '../display/format.js';
import { CliExit, ExitCode } from '../exit-codes.js';
import { checkDagFile, printDiagnostics } from '../load-dag.js';
import { registerCommand } from '../program.js';

/** Validates each file; resolves when all are valid, throws `CliExit(2)` otherwise. */
async function runValidate(files: string[]): Promise<void> {
  // Loaded here, not at start-up, so that other commands do not pay for the executors.
  await import('../../executors/defaults.js');
  const registry = TaskRegistry.withDefaultExecutors();
  let invalid = 0;
  let problems = 0;
  for (const file of files) {
    let checked: Awaited<ReturnType<typeof checkDagFile>>;
    try {
      checked = await checkDagFile(file, registry);
    } catch (error) {
      if (!(error instanceof CliExit) || files.length === 1) throw error;
      process.stderr.write(`${error.message}\n`);
      invalid++;
      problems++;
      continue;
    }
    const { dag } = checked;
    const diagnostics = [...checked.diagnostics];
    if (diagnostics.length === 0) {
      // References to tasks and parameters; variables depend on the run's environment, which `jorm run`
      // checks before it starts anything.
      const references = validateReferences(dag, { checkVariables: false });
      attachSourceLines(references, checked.text);
      diagnostics.push(...references.sort(compareDiagnostics));
    }
    if (diagnostics.length > 0) {
      printDiagnostics(diagnostics);
      invalid++;
      problems += diagnostics.length;
      continue;
    }
    const graph = analyzeGraph(dag);
    process.stdout.write(
      `${file}: ok, dag "${dag.id}": ${plural(dag.size, 'task')}, ${plural(graph.edges, 'edge')}, ` +
        `longest chain ${graph.longestChain}\n`,
    );
  }
  if (invalid > 0) {
    const which = files.length === 1 ? (files[0] ?? '') : `${invalid} of ${files.length} files`;
    throw new CliExit(ExitCode.InvalidInput, `jorm: ${which}: ${plural(problems, 'problem')}`);
  }
}

registerCommand((program: Command) => {
  program
    .command('validate')
    .description('check DAG files (.jorm, .yaml, .json) and report every problem with file:line:col')
    .argument('<file...>', 'DAG files to check')
    .action(async (files: string[]) => {
      await runValidate(files);
    });
});
