/**
 * One in-process measurement, run in its own Node.js process so that peak RSS is its own:
 *   node bench/workloads/in-process-child.mjs <jorm|p-graph> <layers> <width> <concurrency>
 * Builds the layered graph (fixed seed), runs no-op async tasks through the tool, and prints
 * `{ "ms": wall time of building the tool's graph and running it, "maxRssKb": peak RSS }`.
 */

import { layered } from '../lib/graphs.mjs';

const [tool, layersArg, widthArg, concurrencyArg] = process.argv.slice(2);
const graph = layered(Number(layersArg), Number(widthArg));
const concurrency = Number(concurrencyArg);

async function runJorm() {
  const { Dag, NativeExecutor, Task, TaskRegistry } = await import(
    process.env.JORM_BENCH_ENTRY ?? '../../dist/index.js'
  );
  const registry = new TaskRegistry();
  registry.register({ taskType: 'noop', execute: async () => ({}) });
  const start = performance.now();
  const dag = new Dag('in-process');
  for (const t of graph) {
    const task = new Task(t.id, t.id, 'noop', { kind: 'custom', values: {} });
    for (const dep of t.deps) task.addDependency(dep);
    dag.addTask(task);
  }
  const executor = NativeExecutor.withTaskRegistry({ maxConcurrentTasks: concurrency }, registry);
  const result = await executor.executeDag(dag);
  const ms = performance.now() - start;
  if (result.status !== 'success') throw new Error(`jorm run ended ${result.status}`);
  return ms;
}

async function runPGraph() {
  const { PGraph } = await import('p-graph');
  const start = performance.now();
  const nodes = new Map();
  const edges = [];
  for (const t of graph) {
    nodes.set(t.id, { run: async () => {} });
    for (const dep of t.deps) edges.push([dep, t.id]);
  }
  await new PGraph(nodes, edges).run({ concurrency });
  return performance.now() - start;
}

const ms = tool === 'jorm' ? await runJorm() : tool === 'p-graph' ? await runPGraph() : Number.NaN;
if (Number.isNaN(ms)) throw new Error(`unknown tool ${tool}`);
console.log(JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, tasks: graph.length }));
