/**
 * The BullMQ backend against the local backend, in the same run:
 *
 * - `shell ×N`: N independent `true` shell tasks (local: child processes of this process; bullmq: child
 *   processes of two local `jorm worker` processes), same number of tasks in flight: tasks/s, and the
 *   overhead per task ((wall bullmq − wall local) / N).
 * - `shell chain`: a chain of tasks, one at a time: the latency the backend adds to each task.
 * - `noop ×N`: no-op tasks of a custom executor: the dispatch capacity (tasks/s) of coordinator + Redis +
 *   two workers, with nothing to run.
 *
 * Prints medians of the rounds; `--json` prints them as JSON.
 *
 * Usage: node bench/bullmq-bench.mjs [--tasks 1000] [--chain 200] [--noop 5000] [--rounds 3] [--json]
 * Reads the compiled code from dist/ (npm run build), or from $JORM_DIST (e.g. build-dist/src).
 * Redis: $JORM_BENCH_REDIS_URL, $JORM_TEST_REDIS_URL or redis://127.0.0.1:6379 (skipped with a note when
 * it does not answer).
 */

import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { jormExecutable } from './lib/jorm.mjs';

const { values: args } = parseArgs({
  options: {
    tasks: { type: 'string', default: '1000' },
    chain: { type: 'string', default: '200' },
    noop: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
  },
});
const TASKS = Number(args.tasks);
const CHAIN = Number(args.chain);
const NOOPS = Number(args.noop);
const ROUNDS = Number(args.rounds);
const WORKER_CONCURRENCY = 8;
const IN_FLIGHT = 2 * WORKER_CONCURRENCY;

const dist = process.env.JORM_DIST ?? new URL('../dist/', import.meta.url).pathname;
const load = (p) => import(pathToFileURL(join(dist, p)).href);
const { NativeExecutor } = await load('engine/native-executor.js');
const { LocalBackend } = await load('engine/backend.js');
const { TaskRegistry } = await load('engine/registry.js');
const { BullMQBackend } = await load('distributed/bullmq-backend.js');
const { createRedisClient } = await load('distributed/redis.js');
const { Dag } = await load('model/dag.js');
const { Task } = await load('model/task.js');

const redisUrl =
  process.env.JORM_BENCH_REDIS_URL ?? process.env.JORM_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const log = (text) => process.stderr.write(`${text}\n`);

async function redisAnswers() {
  const client = createRedisClient(redisUrl, { failFast: true });
  try {
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

if (!(await redisAnswers())) {
  log(`bullmq-bench: skipped: Redis at ${redisUrl} does not answer`);
  process.exit(0);
}

const prefix = `bench-${process.pid}`;
const NOOP_MODULE =
  "data:text/javascript,export default { taskType: 'noop', async execute() { return { status: 'success' }; } };";
const noopExecutor = { taskType: 'noop', execute: async () => ({ status: 'success' }) };

function startWorker() {
  const child = spawn(
    process.execPath,
    [jormExecutable(dist), 'worker', '--redis', redisUrl, '--prefix', prefix, '--quiet'].concat([
      '--concurrency',
      String(WORKER_CONCURRENCY),
      '--register',
      NOOP_MODULE,
    ]),
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      if (out.includes('jorm worker ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker exited (${code})`)));
  });
}

function independent(n, make) {
  const dag = new Dag('bench');
  for (let i = 0; i < n; i++) dag.addTask(make(`t${i}`));
  return dag;
}

function chain(n, make) {
  const dag = new Dag('bench-chain');
  for (let i = 0; i < n; i++) {
    const task = make(`t${i}`);
    if (i > 0) task.addDependency(`t${i - 1}`);
    dag.addTask(task);
  }
  return dag;
}

const shell = (id) => Task.shell(id, 'true');
const noop = (id) => new Task(id, id, 'noop', { kind: 'custom', values: {} });

function registry() {
  const r = TaskRegistry.withDefaultExecutors();
  r.register(noopExecutor);
  return r;
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU ms used by a process and its waited-for children (Linux /proc). */
function processCpu(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    return (ticks * 1000) / CLK_TCK;
  } catch {
    return 0;
  }
}

let redisClient;
/** CPU ms used by Redis so far. */
async function redisCpu() {
  redisClient ??= createRedisClient(redisUrl, { failFast: true });
  const info = await redisClient.info('cpu');
  const get = (name) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (get('used_cpu_sys') + get('used_cpu_user')) * 1000;
}

async function cpuNow(pids) {
  return {
    self: processCpu(process.pid),
    workers: pids.reduce((s, p) => s + processCpu(p), 0),
    redis: await redisCpu(),
  };
}

async function timeRun(backend, dag, concurrency, pids) {
  const executor = new NativeExecutor(
    { maxConcurrentTasks: concurrency, defaultTimeout: 120_000 },
    { backend, taskRegistry: registry() },
  );
  const before = await cpuNow(pids);
  const started = performance.now();
  const result = await executor.executeDag(dag);
  const wall = performance.now() - started;
  const after = await cpuNow(pids);
  if (result.status !== 'success') {
    const failed = Object.values(result.taskResults).find((r) => r.status !== 'success');
    throw new Error(`bench run failed: ${failed?.taskId}: ${failed?.errorMessage ?? failed?.stderr}`);
  }
  const parts = {
    coordinator: after.self - before.self,
    workers: after.workers - before.workers,
    redis: after.redis - before.redis,
  };
  return { wall, cpu: parts.coordinator + parts.workers + parts.redis, parts };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function compare(name, dag, concurrency, local, bullmq, pids) {
  const runs = { local: [], bullmq: [] };
  for (let round = 0; round < ROUNDS; round++) {
    runs.local.push(await timeRun(local, dag, concurrency, pids));
    runs.bullmq.push(await timeRun(bullmq, dag, concurrency, pids));
  }
  const n = dag.size;
  const l = median(runs.local.map((r) => r.wall));
  const b = median(runs.bullmq.map((r) => r.wall));
  const lc = median(runs.local.map((r) => r.cpu));
  const bc = median(runs.bullmq.map((r) => r.cpu));
  return {
    scenario: name,
    tasks: n,
    inFlight: concurrency,
    localMs: Math.round(l),
    bullmqMs: Math.round(b),
    localTasksPerSecond: Math.round((n / l) * 1000),
    bullmqTasksPerSecond: Math.round((n / b) * 1000),
    overheadPerTaskMs: Number(((b - l) / n).toFixed(3)),
    localCpuPerTaskMs: Number((lc / n).toFixed(3)),
    bullmqCpuPerTaskMs: Number((bc / n).toFixed(3)),
    bullmqCpuPerTaskByProcess: Object.fromEntries(
      Object.keys(runs.bullmq[0].parts).map((k) => [
        k,
        Number((median(runs.bullmq.map((r) => r.parts[k])) / n).toFixed(3)),
      ]),
    ),
  };
}

const workers = await Promise.all([startWorker(), startWorker()]);
const pids = workers.map((w) => w.pid);
const local = new LocalBackend();
const bullmq = new BullMQBackend({ connection: redisUrl, prefix });
const rows = [];
try {
  log('bullmq-bench: warming up');
  await timeRun(bullmq, independent(50, shell), IN_FLIGHT, pids);
  await timeRun(local, independent(50, shell), IN_FLIGHT, pids);
  log(`bullmq-bench: ${TASKS} shell tasks, ${IN_FLIGHT} in flight`);
  rows.push(await compare(`shell ×${TASKS}`, independent(TASKS, shell), IN_FLIGHT, local, bullmq, pids));
  log(`bullmq-bench: chain of ${CHAIN} shell tasks`);
  rows.push(await compare(`shell chain ×${CHAIN}`, chain(CHAIN, shell), 1, local, bullmq, pids));
  log(`bullmq-bench: chain of ${CHAIN} no-op tasks`);
  rows.push(await compare(`noop chain ×${CHAIN}`, chain(CHAIN, noop), 1, local, bullmq, pids));
  log(`bullmq-bench: ${NOOPS} no-op tasks (dispatch capacity)`);
  rows.push(await compare(`noop ×${NOOPS}`, independent(NOOPS, noop), 256, local, bullmq, pids));
} finally {
  await bullmq.close();
  for (const w of workers) w.kill('SIGTERM');
  await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r() : w.on('exit', r)))));
  const client = createRedisClient(redisUrl, { failFast: true });
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
  client.disconnect();
  redisClient?.disconnect();
}

if (args.json) {
  process.stdout.write(
    `${JSON.stringify({ bench: 'bullmq', redis: redisUrl, rounds: ROUNDS, rows }, null, 2)}\n`,
  );
} else {
  const header = [
    'scenario',
    'in flight',
    'local ms',
    'bullmq ms',
    'local tasks/s',
    'bullmq tasks/s',
    'overhead/task',
    'CPU/task local',
    'CPU/task bullmq',
  ];
  const lines = rows.map((r) => [
    r.scenario,
    String(r.inFlight),
    String(r.localMs),
    String(r.bullmqMs),
    String(r.localTasksPerSecond),
    String(r.bullmqTasksPerSecond),
    `${r.overheadPerTaskMs} ms`,
    `${r.localCpuPerTaskMs} ms`,
    `${r.bullmqCpuPerTaskMs} ms`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  process.stdout.write(
    `BullMQ backend (2 local workers × ${WORKER_CONCURRENCY}) vs local backend, median of ${ROUNDS}\n`,
  );
  process.stdout.write(`${fmt(header)}\n${lines.map(fmt).join('\n')}\n`);
  const capacity = rows.find((r) => r.scenario.startsWith('noop ×'));
  const latency = rows.find((r) => r.scenario.startsWith('noop chain'));
  const shell = rows.find((r) => r.scenario.startsWith('shell ×'));
  process.stdout.write(
    `dispatch capacity: ${capacity.bullmqTasksPerSecond} tasks/s (target ≥ 1000), ` +
      `${capacity.bullmqCpuPerTaskMs} ms of CPU per task (${Object.entries(capacity.bullmqCpuPerTaskByProcess)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}); ` +
      `overhead per task of ${shell.scenario}: ${shell.overheadPerTaskMs} ms (target < 2 ms); ` +
      `latency added to a task that runs alone: ${latency.overheadPerTaskMs} ms\n` +
      'CPU/task counts this process, the workers and their children, and Redis: it does not depend on other load.\n',
  );
}
