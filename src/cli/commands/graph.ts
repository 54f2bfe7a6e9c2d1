/**
 * `jorm graph <file> [--format mermaid|dot]`: prints the DAG as a Mermaid flowchart or Graphviz DOT.
 * @module
 */

import { type Command, Option } from 'commander';
import { dagToDot, dagToMermaid } from '../../model/graph-render.js';
import { loadDagForCli } from '../load-dag.js';
import { registerCommand } from '../program.js';

interface GraphFlags {
  format: 'mermaid' | 'dot';
}

registerCommand((program: Command) => {
  program
    .command('graph')
    .description('print a DAG as a Mermaid flowchart or a Graphviz (DOT) graph')
    .argument('<file>', 'the DAG file (.jorm, .yaml, .json)')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['mermaid', 'dot']).default('mermaid'),
    )
    .action(async (file: string, flags: GraphFlags) => {
      const dag = await loadDagForCli(file);
      process.stdout.write(flags.format === 'dot' ? dagToDot(dag) : dagToMermaid(dag));
    });
});
