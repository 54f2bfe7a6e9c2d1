/**
 * The sub-commands of `jorm`. Each command's module registers itself with `registerCommand` when it is
 * imported; {@link loadCommands} imports only the one a command line names, so that `jorm validate` does
 * not pay for the state database, the BullMQ client or the dashboard server.
 * @module
 */

import { commandName } from '../command-name.js';

type Loader = () => Promise<unknown>;

/** Every sub-command and how to load it, in the order `jorm --help` lists them. */
const COMMANDS: Readonly<Record<string, Loader>> = {
  worker: () => import('./worker.js'),
  workers: () => import('./workers.js'),
  serve: () => import('./serve.js'),
  validate: () => import('./validate.js'),
  graph: () => import('./graph.js'),
  history: () => import('./history.js'),
  show: () => import('./show.js'),
  logs: () => import('./logs.js'),
  config: () => import('./config.js'),
  resume: () => import('./resume.js'),
  run: async () => {
    // Extensions add options to `run`, so they register before it.
    await import('../../distributed/run-extension.js');
    await import('../../metrics/run-extension.js');
    await import('./run.js');
  },
};

/**
 * Imports the command `argv` names, or every command when it names none (help, version, a typo that
 * deserves a suggestion). Commands register in {@link COMMANDS} order either way.
 */
export async function loadCommands(argv: readonly string[]): Promise<void> {
  const first = commandName(argv);
  const only = first === undefined ? undefined : COMMANDS[first];
  if (only && !argv.includes('--help') && !argv.includes('-h')) {
    await only();
    return;
  }
  for (const load of Object.values(COMMANDS)) await load();
}
