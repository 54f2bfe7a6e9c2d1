/**
 * Choosing a {@link ProcessLauncher}: `spawn` (always available), `fork-server` (fast starts for `sh -c`
 * commands, see `./fork-server/`), or `auto`, which is `fork-server` unless the `JORM_LAUNCHER`
 * environment variable says `spawn`.
 * @module
 */

import { ConfigurationError } from '../model/errors.js';
import { ForkServerLauncher } from './fork-server/launcher.js';
import { SpawnLauncher } from './spawn-launcher.js';
import type { ProcessLauncher } from './types.js';

/** A launcher by name. */
export type LauncherChoice = 'auto' | 'spawn' | 'fork-server';

/** The environment variable that picks the launcher of `auto`: `spawn` or `fork-server`. */
export const LAUNCHER_ENV = 'JORM_LAUNCHER';

let spawnLauncher: SpawnLauncher | undefined;
let forkServer: ForkServerLauncher | undefined;

/** The process-wide plain-spawn launcher. */
export function sharedSpawnLauncher(): SpawnLauncher {
  spawnLauncher ??= new SpawnLauncher();
  return spawnLauncher;
}

/** The process-wide fork-server launcher (its servers are shared by every executor). */
export function sharedForkServerLauncher(): ForkServerLauncher {
  forkServer ??= new ForkServerLauncher({ fallback: sharedSpawnLauncher() });
  return forkServer;
}

/**
 * The launcher for a choice (a launcher object is returned as is).
 * @throws ConfigurationError when `JORM_LAUNCHER` names no launcher.
 */
export function resolveLauncher(choice: LauncherChoice | ProcessLauncher = 'auto'): ProcessLauncher {
  if (typeof choice === 'object') return choice;
  let name: string = choice;
  if (name === 'auto') {
    const fromEnv = process.env[LAUNCHER_ENV];
    name = fromEnv === undefined || fromEnv === '' ? 'fork-server' : fromEnv;
    if (name === 'auto') name = 'fork-server';
  }
  switch (name) {
    case 'spawn':
      return sharedSpawnLauncher();
    case 'fork-server':
      return sharedForkServerLauncher();
    default:
      throw new ConfigurationError(
        `${LAUNCHER_ENV} must be "spawn", "fork-server" or "auto", got ${JSON.stringify(name)}`,
        LAUNCHER_ENV,
        name,
      );
  }
}
