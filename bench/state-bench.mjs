/**
 * State persistence cost: how long recording the events of 1,000 tasks takes (the events a run of 1,000
 * independent `true` tasks produces: ready, started, finished; one flush per scheduler turn), into a
 * real SQLite file, compared with the same events given to an observer that does nothing.
 *
 * Prints medians: wall time, and the CPU time of the recording process (less sensitive to a busy machine).
 *
 * Usage: node bench/state-bench.mjs [tasks=1000] [rounds=7]
 * Reads the compiled code from dist/ (npm run build), or from $JORM_DIST (e.g. build-state/src).
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = process.env.JORM_DIST ?? new URL('../dist/', import.meta.url).pathname;
const load = (p) => import(pathToFileURL(join(dist, p)).href);
const { StateManager } = await load('state/state-manager.js');
const { StateRecorder } = await load('state/state-recorder.js');
const { Dag } = await load('model/dag.js');
const { Task } = await load('model/task.js');
const { newExecutionId } = await load('model/ids.js');
const { emptyMetrics } = await load('model/result.js');

const tasks = Number(process.argv[2] ?? 1000);
const rounds = Number(process.argv[3] ?? 7);
const concurrency = 2;

const dag = new Dag('bench-state');
for (let i = 0; i < tasks; i++)
  dag.addTask(new Task(`t${i}`, undefined, 'shell', { kind: 'shell', command: 'true' }));

/** Plays a run of the DAG with `concurrency` slots: each turn one task ends and the next starts. */
function play(observer) {
  const executionId = newExecutionId();
  const now = () => new Date();
  const emit = (e) => observer.onEvent(e);
  const results = {};
  emit({
    type: 'execution_started',
    executionId,
    dagId: dag.id,
    taskCount: tasks,
    timestamp: now(),
    resumed: false,
  });
  for (const t of dag.tasks) emit({ type: 'task_ready', executionId, taskId: t.id, timestamp: now() });
  const ids = dag.taskIds;
  let next = 0;
  const start = () => {
    const taskId = ids[next++];
    emit({ type: 'task_started', executionId, taskId, attempt: 1, timestamp: now() });
  };
  for (let i = 0; i < concurrency && next < ids.length; i++) start();
  observer.flush();
  for (let done = 0; done < ids.length; done++) {
    const taskId = ids[done];
    const at = now();
    const result = {
      taskId,
      status: 'success',
      startedAt: at,
      completedAt: at,
      duration: 1,
      stdout: '',
      stderr: '',
      exitCode: 0,
      retryCount: 0,
      metadata: {},
    };
    results[taskId] = result;
    emit({ type: 'task_finished', executionId, taskId, attempt: 1, result });
    if (next < ids.length) start();
    observer.flush();
  }
  const result = {
    dagId: dag.id,
    executionId,
    status: 'success',
    startedAt: now(),
    completedAt: now(),
    totalDuration: 0,
    taskResults: results,
    metrics: emptyMetrics(),
  };
  emit({ type: 'execution_finished', executionId, result });
  observer.flush();
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const root = mkdtempSync(join(tmpdir(), 'jorm-state-bench-'));
try {
  const manager = StateManager.open({ databaseUrl: join(root, 'state.db') });
  const noop = { onEvent() {}, flush() {} };
  const off = [];
  const on = [];
  const onCpu = [];
  const cpuMs = (c) => (c.user + c.system) / 1000;
  for (let r = 0; r < rounds + 1; r++) {
    let t = performance.now();
    play(noop);
    const offMs = performance.now() - t;
    t = performance.now();
    const cpu = process.cpuUsage();
    play(new StateRecorder(manager, { dag }));
    const onMs = performance.now() - t;
    if (r > 0) {
      // the first round warms up
      off.push(offMs);
      on.push(onMs);
      onCpu.push(cpuMs(process.cpuUsage(cpu)));
    }
  }
  const transactions = tasks + 2;
  manager.close();
  const onMedian = median(on);
  const offMedian = median(off);
  const report = {
    tasks,
    rounds,
    transactions,
    noObserverMs: Number(offMedian.toFixed(2)),
    stateRecorderMs: Number(onMedian.toFixed(2)),
    stateRecorderCpuMs: Number(median(onCpu).toFixed(2)),
    costPerTaskUs: Number((((onMedian - offMedian) / tasks) * 1000).toFixed(1)),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
