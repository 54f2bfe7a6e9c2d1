import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ForkServerLauncher } from '../../src/process/fork-server/launcher.js';
import { runProcess } from '../../src/process/run-process.js';
import { launcherContract } from './launcher-contract.js';
import { minimalEnv, tempDir } from './process-helpers.js';

// The contract twice: each task forked when it is launched, and (the tests run one at a time, so a core
// is always spare) each task in a subshell its server forked ahead of it.
let plain: ForkServerLauncher | undefined;
launcherContract(
  'fork-server',
  () => {
    plain = new ForkServerLauncher({ preforkBelow: 0 });
    return plain;
  },
  () => plain?.close(),
);

let ahead: ForkServerLauncher | undefined;
launcherContract(
  'fork-server, forking ahead',
  () => {
    ahead = new ForkServerLauncher({ preforkBelow: 64, preforkMaxTaskMs: Number.POSITIVE_INFINITY });
    return ahead;
  },
  () => ahead?.close(),
);

it('ran the contract once without forking ahead, and once with', () => {
  assert.equal(plain?.forkedAhead, 0);
  // Tasks that kill their server retire it, and a new server forks ahead only once its FIFO is ready
  // (4 of the contract's tasks here); fork-ahead.test.ts checks each behaviour on a task forked ahead.
  assert.ok((ahead?.forkedAhead ?? 0) >= 1, `${ahead?.forkedAhead} tasks ran forked ahead`);
});

it('forks ahead only after a short task (preforkMaxTaskMs)', async () => {
  const launcher = new ForkServerLauncher({ preforkBelow: 64, preforkMaxTaskMs: 100 });
  const dir = await tempDir('jorm-prefork-');
  const sh = (command: string) =>
    runProcess({ file: '/bin/sh', args: ['-c', command], cwd: dir.path, env: minimalEnv() }, launcher);
  try {
    for (let i = 0; i < 3; i++) assert.equal((await sh('sleep 0.3')).exitCode, 0);
    // After each 300 ms task, the next one was forked when it was launched.
    assert.equal(launcher.forkedAhead, 0);
    for (let i = 0; i < 20 && launcher.forkedAhead === 0; i++) await sh('true');
    assert.ok(launcher.forkedAhead >= 1, 'after short tasks, a task ran in a subshell forked ahead');
    // The fork for a task is asked for when the task before it is launched, after the one before that:
    // the subshells of the long task and of the task after it were asked for after short tasks, the next
    // one's after the long task, so it is not forked ahead.
    const before = launcher.forkedAhead;
    await sh('sleep 0.3');
    await sh('true');
    assert.equal(launcher.forkedAhead, before + 2);
    await sh('true');
    assert.equal(launcher.forkedAhead, before + 2, 'no fork ahead was asked for after the long task');
  } finally {
    launcher.close();
    await dir.remove();
  }
});
