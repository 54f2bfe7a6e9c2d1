/**
 * Benchmark of the DAG parser: generates a 10,000-task DAG, writes it in the three formats, and times
 * parsing + validation of each; then times `jorm validate` on a small file, end to end.
 *
 *   node bench/parse-bench.mjs [build-folder]     (default: dist; a tsc build folder such as build works too)
 */

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { jormExecutable } from './lib/jorm.mjs';

const TASKS = 10_000;
const ROUNDS = 5;

const folder = resolve(process.argv[2] ?? 'dist');
const entry = [resolve(folder, 'index.js'), resolve(folder, 'src/index.js')].find((p) => existsSync(p));
const bin = jormExecutable(folder);
if (!entry || !bin) {
  console.error(`no compiled jorm in ${folder}: run npm run build (or tsc --outDir ${folder}) first`);
  process.exit(2);
}
const { Dag, Task, readDag, serializeDag } = await import(pathToFileURL(entry).href);

/** A DAG of `n` shell tasks, each depending on up to three earlier ones (deterministic). */
function generate(n) {
  const dag = new Dag('bench');
  dag.environment = { STAGE: 'bench' };
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < n; i++) {
    const task = Task.shell(`task_${i}`, `echo "task ${i}" && test -n "$STAGE"`).withTimeout('30s');
    task.environment = { INDEX: String(i) };
    const deps = i === 0 ? 0 : Math.min(i, 1 + Math.floor(random() * 3));
    for (let d = 0; d < deps; d++) task.addDependency(`task_${Math.floor(random() * i)}`);
    if (i % 10 === 0) task.withRetry({ maxAttempts: 3 });
    dag.addTask(task);
  }
  return dag;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const dag = generate(TASKS);
console.log(
  `parse + validate of ${TASKS.toLocaleString('en')} tasks (median of ${ROUNDS}, after one warm-up):`,
);
for (const format of ['jorm', 'yaml', 'json']) {
  const text = serializeDag(dag, format);
  const times = [];
  const cpuTimes = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const reading = readDag(text, { format, file: `bench.${format}` });
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu);
    if (round > 0) cpuTimes.push((used.user + used.system) / 1000);
    if (reading.diagnostics.length > 0 || reading.dag.size !== TASKS) {
      console.error(`unexpected result for ${format}: ${reading.diagnostics[0]?.message}`);
      process.exit(1);
    }
    if (round > 0) times.push(ms);
  }
  const kib = (Buffer.byteLength(text) / 1024).toFixed(0);
  console.log(
    `  ${format.padEnd(5)} ${String(kib).padStart(5)} KiB  ${median(times).toFixed(0).padStart(5)} ms` +
      `  (cpu ${median(cpuTimes).toFixed(0)} ms)`,
  );
}

const small = resolve('examples/hello.jorm');
const runs = [];
for (let i = 0; i < 7; i++) {
  const start = performance.now();
  const result = spawnSync(process.execPath, [bin, 'validate', small], { encoding: 'utf8' });
  runs.push(performance.now() - start);
  if (i === 0 && result.status !== 0)
    console.log(`  (jorm validate exited ${result.status}: ${result.stderr.split('\n')[0]})`);
}
console.log(
  `jorm validate examples/hello.jorm, end to end (median of ${runs.length}): ${median(runs).toFixed(0)} ms`,
);
console.log(`(load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`);
