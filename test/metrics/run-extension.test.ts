import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runJorm } from '../helpers/cli.js';

const DIAMOND = `dag: diamond

task a {
  type: shell
  command: "true"
}
task b {
  type: shell
  command: "true"
  depends_on: [a]
}
task c {
  type: shell
  command: "true"
  depends_on: [a]
}
task d {
  type: shell
  command: "true"
  depends_on: [b, c]
}
`;

describe('jorm run: metrics', () => {
  let dir = '';
  let dagFile = '';
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'jorm-run-metrics-'));
    dagFile = path.join(dir, 'diamond.jorm');
    await writeFile(dagFile, DIAMOND);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('shows the critical path and the slot wait in the summary and writes Prometheus text', async () => {
    const prom = path.join(dir, 'out', 'run.prom');
    const run = await runJorm(['run', dagFile, '--no-state', '--concurrency', '1', '--metrics-file', prom], {
      cwd: dir,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^critical path: a → [bc] → d \(\d+(\.\d+)?m?s\)$/m);
    assert.match(run.stdout, /^slot wait: \S+ over [1-4] tasks? \(longest: [a-d] \S+\)$/m);
    assert.ok(run.stdout.includes(`metrics: ${prom}`));
    const text = await readFile(prom, 'utf8');
    assert.match(
      text,
      /^jorm_execution_tasks\{dag="diamond",execution_id="[0-9A-Z]{26}",status="success"\} 4$/m,
    );
    assert.match(
      text,
      /^jorm_critical_path_task\{dag="diamond",execution_id="\w+",task="d",position="3"\} 1$/m,
    );
    assert.match(text, /^# TYPE jorm_task_wait_seconds gauge$/m);
  });

  it('writes JSON for any other extension', async () => {
    const json = path.join(dir, 'run.json');
    const run = await runJorm(
      ['run', dagFile, '--no-state', '--quiet', '--concurrency', '1', '--metrics-file', json],
      {
        cwd: dir,
      },
    );
    assert.equal(run.code, 0, run.stderr);
    const metrics = JSON.parse(await readFile(json, 'utf8')) as {
      totalTasks: number;
      successfulTasks: number;
      criticalPath: string[];
      taskWaitTimes: Record<string, number>;
      taskExecutionTimes: Record<string, number>;
    };
    assert.equal(metrics.totalTasks, 4);
    assert.equal(metrics.successfulTasks, 4);
    assert.equal(metrics.criticalPath.length, 3);
    assert.equal(metrics.criticalPath[0], 'a');
    assert.deepEqual(Object.keys(metrics.taskWaitTimes).sort(), ['a', 'b', 'c', 'd']);
    assert.deepEqual(Object.keys(metrics.taskExecutionTimes).sort(), ['a', 'b', 'c', 'd']);
    // With one slot, whichever of b and c starts second waits at least as long as the first one runs.
    const { b: waitB = 0, c: waitC = 0 } = metrics.taskWaitTimes;
    const { b: runB = 0, c: runC = 0 } = metrics.taskExecutionTimes;
    const [waited, otherRun] = waitB > waitC ? [waitB, runC] : [waitC, runB];
    assert.ok(waited >= otherRun - 2, `waited ${waited} ms while the other ran ${otherRun} ms`);
  });

  it('refuses a metrics path it cannot write before running anything', async () => {
    const target = path.join(dir, 'a-directory');
    await mkdir(target);
    const marker = path.join(dir, 'ran');
    const dag = path.join(dir, 'marker.jorm');
    await writeFile(dag, `task t {\n  type: shell\n  command: "touch ${marker}"\n}\n`);
    const run = await runJorm(['run', dag, '--no-state', '--metrics-file', target], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--metrics-file .*a-directory: is a directory/);
    await assert.rejects(readFile(marker));
  });
});
