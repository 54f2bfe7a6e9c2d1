import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ForkServerLauncher } from '../../src/process/fork-server/launcher.js';
import { launcherContract } from './launcher-contract.js';

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
    ahead = new ForkServerLauncher({ preforkBelow: 64 });
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
