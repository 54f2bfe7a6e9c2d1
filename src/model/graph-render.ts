/**
 * Drawing a {@link Dag}: Mermaid flowcharts and Graphviz DOT, with an edge from each dependency to the
 * task that depends on it (the direction work flows).
 * @module
 */

import type { Dag } from './dag.js';

/** Mermaid words that cannot be node ids. */
const MERMAID_RESERVED = new Set([
  'end',
  'graph',
  'subgraph',
  'flowchart',
  'style',
  'class',
  'classDef',
  'click',
  'linkStyle',
  'direction',
  'default',
]);

/** Mermaid node ids: the task id when it is a safe word, otherwise `t<position>`. */
function mermaidIds(dag: Dag): Map<string, string> {
  const ids = new Map<string, string>();
  for (const [i, task] of dag.tasks.entries()) {
    const safe =
      /^[A-Za-z][A-Za-z0-9_]*$/.test(task.id) && !MERMAID_RESERVED.has(task.id) && !/^t\d+$/.test(task.id);
    const id = safe ? task.id : `t${i + 1}`;
    ids.set(task.id, id);
  }
  return ids;
}

/** Text for a Mermaid label in double quotes. */
function mermaidText(text: string): string {
  return text.replace(/[&"<>#]/g, (c) => `#${c.codePointAt(0)};`);
}

/**
 * The DAG as a Mermaid flowchart (`flowchart TD`). Each node shows the task id and its type; dependencies
 * on tasks that do not exist are left out.
 */
export function dagToMermaid(dag: Dag): string {
  const ids = mermaidIds(dag);
  const lines = ['flowchart TD'];
  for (const task of dag.tasks) {
    lines.push(
      `    ${ids.get(task.id)}["${mermaidText(task.id)}<br/><small>${mermaidText(task.taskType)}</small>"]`,
    );
  }
  for (const task of dag.tasks) {
    for (const dep of new Set(task.dependsOn)) {
      const from = ids.get(dep);
      if (from !== undefined) lines.push(`    ${from} --> ${ids.get(task.id)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A DOT string literal. */
function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

/**
 * The DAG as a Graphviz `digraph`: boxes labelled with the task id and type; dependencies on tasks that do
 * not exist are left out.
 */
export function dagToDot(dag: Dag): string {
  const lines = [
    `digraph ${dotString(dag.id)} {`,
    '    rankdir=TB;',
    '    node [shape=box, style=rounded, fontname="Helvetica"];',
  ];
  if (dag.name !== dag.id) lines.push(`    label=${dotString(dag.name)};`);
  for (const task of dag.tasks) {
    lines.push(`    ${dotString(task.id)} [label=${dotString(`${task.id}\n${task.taskType}`)}];`);
  }
  for (const task of dag.tasks) {
    for (const dep of new Set(task.dependsOn)) {
      if (dag.hasTask(dep)) lines.push(`    ${dotString(dep)} -> ${dotString(task.id)};`);
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
