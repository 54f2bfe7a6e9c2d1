/**
 * Choosing a {@link ProcessLauncher}: `spawn` (always available), `fork-server` (fast starts, see
 * `./fork-server/`), or `auto`.
 * @module
 */

import { SpawnLauncher } from './spawn-launcher.js';
import type { ProcessLauncher } from './types.js';

/** A launcher by name. `auto` follows the `JORM_LAUNCHER` environment variable. */
export type LauncherChoice = 'auto' | 'spawn' | 'fork-server';

let spawnLauncher: SpawnLauncher | undefined;

/** The shared plain-spawn launcher. */
export function sharedSpawnLauncher(): SpawnLauncher {
  spawnLauncher ??= new SpawnLauncher();
  return spawnLauncher;
}

/** The launcher for a choice (a launcher object is returned as is). */
export function resolveLauncher(choice: LauncherChoice | ProcessLauncher = 'auto'): ProcessLauncher {
  if (typeof choice === 'object') return choice;
  return sharedSpawnLauncher();
}
