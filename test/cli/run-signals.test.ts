import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { startJorm } from '../helpers/cli.js';
import { goneWithin, readPid } from '../helpers/processes.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jorm-run-signals-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Resolves once every file exists with content (tasks write them; no event tells when). */
async function filesWritten(paths: string[], within = 20_000): Promise<void> {
  const end = Date.now() + within;
  while (!paths.every((p) => existsSync(p) && readFileSync(p, 'utf8').trim() !== '')) {
    if (Date.now() > end) throw new Error(`not written: ${paths.join(', ')}`);
    await delay(20);
  }
}

/** Starts `jorm run` and resolves once the tasks wrote the pid files of their background children. */
async function startRun(file: string, markers: string[]) {
  const run = startJorm(['run', file, '--no-state'], { cwd: dir });
  await filesWritten(markers.map((m) => join(dir, m)));
  return {
    child: run.child,
    exited: run.exited,
    output: () => ({ stdout: run.stdout(), stderr: run.stderr() }),
  };
}

const DAG = (name: string) => `dag: ${name}
task polite {
    type: shell
    command: "sleep 60 & echo $! > ${name}-polite.pid; echo up; wait"
}
task stubborn {
    type: shell
    command: "trap '' TERM; sleep 60 & echo $! > ${name}-stubborn.pid; echo up; wait; wait; wait"
}
task later {
    type: shell
    command: "echo never"
    depends_on: [polite]
}
`;

describe('jorm run and signals', () => {
  it('cancels gracefully on SIGINT, then kills at once on a second SIGINT: exit 130, no task process left', async () => {
    const file = join(dir, 'twice.jorm');
    await writeFile(file, DAG('twice'));
    const run = await startRun(file, ['twice-polite.pid', 'twice-stubborn.pid']);
    run.child.kill('SIGINT');
    assert.ok(await goneWithin(readPid(join(dir, 'twice-polite.pid'))), 'SIGTERM ends the polite task');
    run.child.kill('SIGINT');
    assert.equal(await run.exited, 130);
    assert.ok(
      await goneWithin(readPid(join(dir, 'twice-stubborn.pid'))),
      'the second Ctrl-C kills the stubborn one',
    );
    assert.match(run.output().stderr, /cancelling the run/);
  });

  it('on SIGTERM cancels the run, prints the summary and exits 130', async () => {
    const file = join(dir, 'term.jorm');
    await writeFile(file, DAG('term').replace(/task stubborn[\s\S]*?\n}\n/, ''));
    const run = await startRun(file, ['term-polite.pid']);
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 130);
    const { stdout } = run.output();
    assert.match(stdout, /^polite\s+cancelled/m);
    assert.match(stdout, /^later\s+cancelled/m);
    assert.match(stdout, /cancelled in .*: 0 succeeded, 2 cancelled/);
    assert.ok(await goneWithin(readPid(join(dir, 'term-polite.pid'))));
  });

  it('on SIGHUP (the terminal closed) cancels the run like SIGTERM instead of leaving its tasks running', async () => {
    const file = join(dir, 'hup.jorm');
    await writeFile(file, DAG('hup').replace(/task stubborn[\s\S]*?\n}\n/, ''));
    const run = await startRun(file, ['hup-polite.pid']);
    run.child.kill('SIGHUP');
    assert.equal(await run.exited, 130);
    const { stdout, stderr } = run.output();
    assert.match(stderr, /SIGHUP received, cancelling the run \(send SIGHUP again to kill the tasks now\)/);
    assert.match(stdout, /^polite\s+cancelled/m);
    assert.match(stdout, /cancelled in .*: 0 succeeded, 2 cancelled/);
    assert.ok(await goneWithin(readPid(join(dir, 'hup-polite.pid'))), 'the task is ended with its run');
  });
});
