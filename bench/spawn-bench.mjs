#!/usr/bin/env node
/**
 * Compares ways of starting processes: N independent `/bin/sh -c true` tasks at concurrency C.
 *
 *   node bench/spawn-bench.mjs [--tasks 1000] [--concurrency 2] [--rounds 5] [--build dist]
 *
 * Mechanisms, each measured in a fresh process, rounds interleaved, medians printed:
 * - node-spawn: a bare loop of child_process.spawn (the baseline of issue 6);
 * - spawn: jorm's runProcess with the plain spawn launcher;
 * - fork-server: jorm's runProcess with the fork-server launcher (forked subshells of shell servers);
 * - engine-spawn / engine-fork-server: the whole NativeExecutor (scheduling included) on a DAG of N tasks;
 * - make -jC and ninja -jC on the same graph, when installed.
 * The times are of the task loop only (the process's own start is not counted), except for make and
 * ninja, which are timed as whole commands.
 */

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const TASKS = Number(option('tasks', 1000));
const CONCURRENCY = Number(option('concurrency', 2));
const ROUNDS = Number(option('rounds', 5));
const BUILD = resolve(option('build', process.env.JORM_BUILD ?? 'dist'));
const ONE = option('one', undefined);

const srcOf = (path) => pathToFileURL(join(BUILD, BUILD.endsWith('dist') ? '' : 'src', path)).href;

async function pool(run) {
  let started = 0;
  const worker = async () => {
    while (started < TASKS) {
      started++;
      await run();
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return performance.now() - t0;
}

function bareSpawn() {
  return new Promise((done) => {
    const child = spawn('/bin/sh', ['-c', 'true'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout.resume();
    child.stderr.resume();
    child.on('close', done);
  });
}

async function measureOne(name) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined));
  const cwd = process.cwd();
  if (name === 'node-spawn') return pool(bareSpawn);
  if (name === 'spawn' || name === 'fork-server') {
    const { runProcess } = await import(srcOf('process/run-process.js'));
    const { resolveLauncher } = await import(srcOf('process/launchers.js'));
    const launcher = resolveLauncher(name);
    const spec = { file: '/bin/sh', args: ['-c', 'true'], cwd, env };
    return pool(async () => {
      const result = await runProcess(spec, launcher);
      if (result.exitCode !== 0) throw new Error(`task failed: ${JSON.stringify(result)}`);
    });
  }
  if (name === 'engine-spawn' || name === 'engine-fork-server') {
    process.env.JORM_LAUNCHER = name.slice('engine-'.length);
    await import(srcOf('executors/defaults.js'));
    const { NativeExecutor } = await import(srcOf('engine/native-executor.js'));
    const { Dag } = await import(srcOf('model/dag.js'));
    const { Task } = await import(srcOf('model/task.js'));
    const dag = new Dag('bench', 'bench');
    for (let i = 0; i < TASKS; i++) dag.addTask(Task.shell(`t${i}`, 'true'));
    const executor = new NativeExecutor({ maxConcurrentTasks: CONCURRENCY });
    const t0 = performance.now();
    const result = await executor.executeDag(dag);
    const elapsed = performance.now() - t0;
    if (result.status !== 'success') throw new Error(`execution ${result.status}`);
    return elapsed;
  }
  throw new Error(`unknown mechanism ${name}`);
}

function installed(tool) {
  return spawnSync('/bin/sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

function graphDir() {
  const dir = mkdtempSync(join(tmpdir(), 'jorm-spawn-bench-'));
  const ids = Array.from({ length: TASKS }, (_, i) => `t${i}`);
  writeFileSync(
    join(dir, 'Makefile'),
    `all: ${ids.join(' ')}\n.PHONY: all ${ids.join(' ')}\n${ids.map((id) => `${id}:\n\ttrue\n`).join('')}`,
  );
  writeFileSync(
    join(dir, 'build.ninja'),
    `rule r\n  command = true\n${ids.map((id) => `build ${id}: r\n`).join('')}default ${ids.join(' ')}\n`,
  );
  return dir;
}

function timeCommand(file, argv, cwd) {
  const t0 = performance.now();
  execFileSync(file, argv, { cwd, stdio: 'ignore' });
  return performance.now() - t0;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

if (ONE) {
  const ms = await measureOne(ONE);
  process.stdout.write(`${ms}\n`);
  process.exit(0);
}

const mechanisms = ['node-spawn', 'spawn', 'fork-server', 'engine-spawn', 'engine-fork-server'];
const dir = graphDir();
const tools = [];
if (installed('make')) tools.push(['make', () => timeCommand('make', ['-s', `-j${CONCURRENCY}`], dir)]);
if (installed('ninja')) {
  tools.push([
    'ninja',
    () => {
      rmSync(join(dir, '.ninja_log'), { force: true });
      return timeCommand('ninja', [`-j${CONCURRENCY}`], dir);
    },
  ]);
}
const samples = new Map([...mechanisms, ...tools.map(([n]) => n)].map((n) => [n, []]));
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of mechanisms) {
      const out = execFileSync(process.execPath, [
        new URL(import.meta.url).pathname,
        '--one',
        name,
        '--tasks',
        String(TASKS),
        '--concurrency',
        String(CONCURRENCY),
        '--build',
        BUILD,
      ]);
      samples.get(name).push(Number(String(out).trim()));
    }
    for (const [name, run] of tools) samples.get(name).push(run());
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const reference = samples.has('make') ? median(samples.get('make')) : undefined;
console.log(`${TASKS} × "/bin/sh -c true" at concurrency ${CONCURRENCY}, median of ${ROUNDS} rounds`);
for (const [name, values] of samples) {
  const m = median(values);
  const ratio = reference ? `  ${(m / reference).toFixed(2)}× make` : '';
  console.log(
    `${name.padEnd(20)} ${(m / 1000).toFixed(3)} s${ratio}   [${values.map((v) => (v / 1000).toFixed(2)).join(' ')}]`,
  );
}
