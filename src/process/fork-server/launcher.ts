/**
 * {@link ForkServerLauncher}: starts `sh -c` commands as forked subshells of long-lived shell servers
 * (see `./shell-server.ts`) instead of one `spawn` each — several times less work per task, because the
 * server is a small shell that only forks, where `spawn` forks all of Node and then execs a new shell.
 *
 * While no more tasks run than the machine has cores, a server whose last task was short forks the
 * subshell of its next task as soon as its current one ends (`ShellServer.forkAhead`), while jorm handles
 * that end: the ending task has just freed a core, and the fork is off the path from one task's end to the
 * next one's start (a chain of tasks; as many short tasks as cores). With more tasks than cores it does
 * not: the early fork would take CPU from the tasks. After a long task it does not either: a long task ran
 * slower in a subshell forked ahead (see `preforkMaxTaskMs`).
 *
 * Requests it cannot serve exactly go to the fallback launcher (plain spawn): other programs or shells,
 * Windows, commands that leave processes behind (`&`, `nohup`, `setsid`, …) or use `$$`, environments a
 * shell cannot express, and everything once a server failed to start.
 * @module
 */

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { SpawnLauncher } from '../spawn-launcher.js';
import type { LaunchedProcess, LaunchListener, LaunchRequest, ProcessLauncher } from '../types.js';
import { ShellServer } from './shell-server.js';
import { commandNeedsSpawn, environmentFits, overridesFit } from './task-script.js';

/** Options of {@link ForkServerLauncher}. */
export interface ForkServerOptions {
  /** The shell of the servers; only requests for this program with `-c` are served. @defaultValue `'/bin/sh'` */
  shell?: string;
  /** Servers at most (one per concurrently running task); beyond, requests are spawned. @defaultValue 64 */
  maxServers?: number;
  /** Runs what the servers cannot. @defaultValue a {@link SpawnLauncher} */
  fallback?: ProcessLauncher;
  /**
   * Fork the next task's subshell ahead while fewer tasks than this run on the servers (0: never).
   * @defaultValue the number of CPU cores + 1: while no more tasks than cores run (1,000 `true` at
   * concurrency 2 on 2 cores: 0.956× and 0.971× against the number of cores; at concurrency 4 and 8 no
   * difference)
   */
  preforkBelow?: number;
  /**
   * Fork ahead only on a server whose last task took less than this, ms (from being sent to its end; a
   * server's first task counts as short). The early fork spares each short task the fork's latency (a
   * chain of 300 `true`: 25% faster), but a long task then ran slower in the subshell forked ahead (a
   * chain of 30 shell loops of about 30 ms each: 4% slower on a 2-core machine; the same on one core),
   * a cost that grows with the task where the saving does not. @defaultValue 5
   */
  preforkMaxTaskMs?: number;
}

/** {@link ForkServerOptions.preforkMaxTaskMs}'s default, ms. */
const PREFORK_MAX_TASK_MS = 5;

/** Runs `sh -c` requests on a pool of shell servers. */
export class ForkServerLauncher implements ProcessLauncher {
  readonly name = 'fork-server';
  /** Why the servers are not used (set when one failed to start, or the platform has none). */
  disabledReason: string | undefined;
  /** Tasks that ran in a subshell forked ahead of them (see the module's description). */
  forkedAhead = 0;
  private readonly shell: string;
  private readonly maxServers: number;
  private readonly fallback: ProcessLauncher;
  private readonly idle: ShellServer[] = [];
  private readonly servers = new Set<ShellServer>();
  private readonly preforkBelow: number;
  private readonly preforkMaxTaskMs: number;
  /** Tasks launched on servers so far (forking ahead starts with the second: a one-task run needs none). */
  private launched = 0;

  constructor(options: ForkServerOptions = {}) {
    this.shell = options.shell ?? '/bin/sh';
    this.maxServers = options.maxServers ?? 64;
    this.fallback = options.fallback ?? new SpawnLauncher();
    this.preforkBelow = options.preforkBelow ?? availableParallelism() + 1;
    this.preforkMaxTaskMs = options.preforkMaxTaskMs ?? PREFORK_MAX_TASK_MS;
    if (process.platform === 'win32') this.disabledReason = 'not available on Windows';
    else if (!existsSync(this.shell)) this.disabledReason = `${this.shell} does not exist`;
  }

  /** Whether the servers are in use. */
  get enabled(): boolean {
    return this.disabledReason === undefined;
  }

  /** Why a request goes to the fallback launcher, or undefined when a server can run it. */
  fallbackReason(request: LaunchRequest): string | undefined {
    if (this.disabledReason) return this.disabledReason;
    if (request.file !== this.shell || request.args.length !== 2 || request.args[0] !== '-c') {
      return `not a "${this.shell} -c" command`;
    }
    if (request.windowsVerbatimArguments) return 'verbatim arguments';
    return commandNeedsSpawn(request.args[1]!);
  }

  launch(request: LaunchRequest, listener: LaunchListener): LaunchedProcess {
    if (this.fallbackReason(request) !== undefined) return this.fallback.launch(request, listener);
    const server = this.serverFor(request);
    if (!server) return this.fallback.launch(request, listener);
    if (server.preforked) this.forkedAhead++;
    const launched = server.run(request, listener);
    // From the second task on, with a core to spare and after a short task: fork the next subshell when
    // this task ends.
    if (++this.launched > 1 && this.preforkBelow > 0 && (server.lastTaskMs ?? 0) < this.preforkMaxTaskMs) {
      let busy = 0;
      for (const s of this.servers) if (s.busy) busy++;
      if (busy < this.preforkBelow) server.forkAhead();
    }
    return launched;
  }

  /** Stops every idle server and retires the busy ones (they end after their task). */
  close(): void {
    for (const server of [...this.servers]) server.retire();
  }

  private serverFor(request: LaunchRequest): ShellServer | undefined {
    const layers = request.envLayers;
    // A server made for the same shared layer compares only the request's own variables (and the whole
    // environment is never built); any other compares the whole environment.
    const fits = (server: ShellServer): boolean =>
      layers && server.layerBase === layers.base
        ? overridesFit(server.base, layers.overrides)
        : environmentFits(server.base, request.env);
    // A server whose subshell is forked already, then the most recently idle one (a warm one).
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const server = this.idle[i]!;
      if (server.preforked && fits(server)) return this.idle.splice(i, 1)[0];
    }
    for (let i = this.idle.length - 1; i >= 0; i--) {
      if (fits(this.idle[i]!)) return this.idle.splice(i, 1)[0];
    }
    // A new server starts with the shared layer when there is one, else with this request's environment.
    const base = layers ? layers.base : request.env;
    if (!environmentFits(base, base) || (layers && !overridesFit(base, layers.overrides))) return undefined;
    if (this.servers.size >= this.maxServers) {
      const spare = this.idle.shift();
      if (!spare) return undefined;
      spare.retire();
    }
    let server: ShellServer;
    try {
      server = new ShellServer(
        this.shell,
        { ...base },
        request.cwd,
        {
          idle: (s) => this.idle.push(s),
          gone: (s) => {
            this.servers.delete(s);
            const at = this.idle.indexOf(s);
            if (at >= 0) this.idle.splice(at, 1);
          },
          relaunch: (req, listener) => this.fallback.launch(req, listener),
        },
        layers?.base,
      );
    } catch {
      return undefined; // this request's directory (a file, say): the fallback reports it
    }
    if (server.pid === undefined) {
      this.disabledReason = `the shell server (${this.shell}) could not be started`;
      return undefined;
    }
    this.servers.add(server);
    return server;
  }
}
