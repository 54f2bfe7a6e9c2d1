import { SpawnLauncher } from '../../src/process/spawn-launcher.js';
import { launcherContract } from './launcher-contract.js';

launcherContract('spawn', () => new SpawnLauncher());
