/**
 * {@link SpawnLauncher}: starts each program with `child_process.spawn`, detached into a process group of
 * its own (POSIX), with stdin from /dev/null and stdout and stderr piped.
 * @module
 */

import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { killProcessGroup } from './kill-group.js';
import type { LaunchedProcess, LaunchListener, LaunchRequest, ProcessLauncher } from './types.js';

const isWindows = process.platform === 'win32';

/** The plain, always-available launcher: one `child_process.spawn` per program. */
export class SpawnLauncher implements ProcessLauncher {
  readonly name = 'spawn';

  launch(request: LaunchRequest, listener: LaunchListener): LaunchedProcess {
    let child: ChildProcess;
    const nul = nulCharacterError(request);
    if (nul) {
      process.nextTick(() => listener.failed(nul));
      return { launcher: 'spawn', kill: () => false, closeOutput: () => {} };
    }
    try {
      child = spawn(request.file, request.args, {
        cwd: request.cwd,
        env: request.env,
        detached: !isWindows,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
        windowsVerbatimArguments: request.windowsVerbatimArguments ?? false,
      });
    } catch (error) {
      // spawn throws at once for some failures (a working directory that is a file: ENOTDIR; a NUL in an
      // argument): report them like the others, and never inside launch.
      process.nextTick(() => listener.failed(error as NodeJS.ErrnoException));
      return { launcher: 'spawn', kill: () => false, closeOutput: () => {} };
    }
    let pid: number | undefined;
    let state: 'starting' | 'running' | 'exited' | 'over' = 'starting';
    let openStreams = 2;
    const streamClosed = (): void => {
      openStreams--;
      if (openStreams === 0 && state === 'exited') {
        state = 'over';
        listener.closed();
      }
    };
    const watch = (stream: Readable, name: 'stdout' | 'stderr'): void => {
      stream.on('data', (chunk: Buffer) => {
        if (state === 'running' || state === 'exited') listener.output(name, chunk);
      });
      stream.once('close', streamClosed);
      stream.on('error', () => stream.destroy());
    };
    watch(child.stdout!, 'stdout');
    watch(child.stderr!, 'stderr');
    child.once('spawn', () => {
      if (state !== 'starting') return;
      pid = child.pid;
      state = 'running';
      listener.spawned(pid!);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (state !== 'starting') return;
      state = 'over';
      listener.failed(error);
    });
    child.once('exit', (code, signal) => {
      if (state !== 'running') return;
      state = 'exited';
      listener.exited(code, signal);
      if (openStreams === 0) {
        state = 'over';
        listener.closed();
      }
    });
    return {
      launcher: 'spawn',
      kill: (signal) => (pid === undefined ? false : killProcessGroup(pid, signal)),
      closeOutput: () => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      },
    };
  }
}

/**
 * A NUL character in an argument or a variable: no process can be given one (C strings end there), and
 * Node.js's own error would quote the value, which may be a secret. This one names where it is, not what.
 */
function nulCharacterError(request: LaunchRequest): NodeJS.ErrnoException | undefined {
  const fail = (where: string): NodeJS.ErrnoException =>
    Object.assign(
      new Error(
        `${where} holds a NUL character, which no process can be given (its value is not shown); remove it`,
      ),
      { code: 'ERR_NUL_CHARACTER' },
    );
  for (let i = 0; i < request.args.length; i++) {
    if (request.args[i]!.includes('\0')) return fail(`argument ${i + 1}`);
  }
  for (const name in request.env) {
    if (name.includes('\0')) return fail('a variable name');
    if (request.env[name]!.includes('\0')) return fail(`the variable ${name}`);
  }
  return undefined;
}
