import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runJorm } from '../helpers/cli.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jorm-state-failure-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('jorm run when its state cannot be recorded', () => {
  it('stops the run, says why and exits 74 instead of reporting success', async () => {
    // The first task replaces the log folder with a file, then prints: recording its output fails
    // (ENOTDIR), as it would on a full disk or in a folder jorm may not write.
    const file = join(dir, 'broken-logs.jorm');
    await writeFile(
      file,
      `dag: broken_logs
task a {
    type: shell
    command: "rm -rf .jorm/logs && echo not-a-folder > .jorm/logs; echo first"
}
task b {
    type: shell
    command: "touch ran-b"
    depends_on: [a]
}
task c {
    type: shell
    command: "touch ran-c"
    depends_on: [b]
}
`,
    );
    const run = await runJorm(['run', file], { cwd: dir });
    assert.equal(run.code, 74, run.stdout + run.stderr);
    assert.match(
      run.stderr,
      /^jorm: cannot record execution \w+ in .*state\.db: ENOTDIR: .*; the run was stopped so that no task runs without its record$/m,
    );
    assert.doesNotMatch(run.stdout + run.stderr, /succeeded/);
    assert.equal(existsSync(join(dir, 'ran-b')), false, 'nothing runs after the failure');
    assert.equal(existsSync(join(dir, 'ran-c')), false);
    // The database itself could still be written: it tells the truth about the run.
    const history = await runJorm(['history', '--json'], { cwd: dir });
    assert.equal(history.code, 0, history.stderr);
    const [latest] = JSON.parse(history.stdout) as { status: string; interrupted: boolean }[];
    assert.equal(latest?.status, 'cancelled');
  });
});
