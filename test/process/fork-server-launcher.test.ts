import { ForkServerLauncher } from '../../src/process/fork-server/launcher.js';
import { launcherContract } from './launcher-contract.js';

let launcher: ForkServerLauncher | undefined;
launcherContract(
  'fork-server',
  () => {
    launcher = new ForkServerLauncher();
    return launcher;
  },
  () => launcher?.close(),
);
