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

it('ran the contract once without forking ahead, and once mostly with', () => {
  assert.equal(plain?.forkedAhead, 0);
  // Tasks that kill their server retire it, and a new server forks ahead from its second task on.
  assert.ok((ahead?.forkedAhead ?? 0) >= 3, `${ahead?.forkedAhead} tasks ran forked ahead`);
});
