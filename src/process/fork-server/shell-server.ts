/**
 * {@link ShellServer}: one long-lived shell (`sh -s`, detached into its own process group) that runs one
 * task at a time as a forked subshell, fed by `./task-script.ts` lines on its stdin. Task output comes on
 * the server's stdout and stderr between START and END markers; the END marker on stdout carries the
 * exit status.
 *
 * Kill: signals go to the server's process group; the server itself catches the catchable ones (its
 * subshells do not), so SIGTERM ends the task and SIGKILL ends both. A server that was signalled, that saw
 * output outside any task (a background process left by an earlier task) or whose task was cut short
 * is retired: it gets no more tasks and ends when its stdin closes.
 *
 * Forking ahead: asked to ({@link ShellServer.forkAhead}), a server forks the subshell of its next task
 * as soon as its current task ends, without waiting for jorm; that task's commands then go to the
 * subshell through the server's FIFO (`./prefork-fifo.ts`) instead of stdin.
 * @module
 */

import { type ChildProcess, spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { constants } from 'node:os';
import type { OutputStream } from '../../engine/task-executor.js';
import { cryptoLib } from '../../libraries.js';
import { monotonicMs } from '../clock.js';
import { groupHasOtherProcesses, killProcessGroup } from '../kill-group.js';
import type { LaunchedProcess, LaunchListener, LaunchRequest } from '../types.js';
import { MarkerSplitter } from './marker-splitter.js';
import { FIFO_FAILED, FIFO_MADE, PreforkFifo } from './prefork-fifo.js';
import { preforkedBody, preforkScript, taskBody, taskScript } from './task-script.js';

/** Signals the server catches (so that they reach only its task); SIGKILL and SIGSTOP cannot be caught. */
const CAUGHT = 'HUP INT QUIT TERM USR1 USR2 ALRM';
const SIGNAL_NAMES = new Map<number, NodeJS.Signals>(
  Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]),
);

/** The task a server runs now. */
interface CurrentTask {
  request: LaunchRequest;
  listener: LaunchListener;
  /** Where the task went when the server ended before starting it. */
  redirect: LaunchedProcess | undefined;
  /** Whether the task went to a subshell forked ahead of it (through the FIFO). */
  preforked: boolean;
  /** Whether the subshell exists (a START marker was seen on either stream). */
  started: boolean;
  stdoutStarted: boolean;
  stderrStarted: boolean;
  status: number | undefined;
  stdoutEnded: boolean;
  stderrEnded: boolean;
  signalled: boolean;
  done: boolean;
}

/** Callbacks of a server to its pool. */
export interface ServerOwner {
  /** The server finished a task and can take another. */
  idle(server: ShellServer): void;
  /** The server will take no more tasks (retired or dead). Called once. */
  gone(server: ShellServer): void;
  /** Runs a task the server ended before starting, another way. */
  relaunch(request: LaunchRequest, listener: LaunchListener): LaunchedProcess;
}

/** One shell server process. */
export class ShellServer {
  /** The server's pid, which is also its process group id. */
  readonly pid: number | undefined;
  /** The environment the server was started with; tasks send only their differences. */
  readonly base: Readonly<Record<string, string>>;
  /**
   * The shared layer (`LaunchRequest.envLayers.base`) `base` is a copy of, when the server was made for
   * layered requests: a request with this very layer sends only its overrides.
   */
  readonly layerBase: object | undefined;
  private readonly token = cryptoLib().randomBytes(9).toString('base64url');
  private readonly child: ChildProcess;
  private current: CurrentTask | undefined;
  private retired = false;
  private dead = false;
  private goneReported = false;
  private deadTimer: NodeJS.Timeout | undefined;
  private readonly fifo: PreforkFifo;
  /** Whether the server forks a subshell ahead when its current task ends. */
  private forkQueued = false;
  /** Whether a subshell forked ahead waits on the FIFO. */
  private waiting = false;
  /** When the current task was sent ({@link monotonicMs}). */
  private taskSentAt = 0;
  private lastTaskTook: number | undefined;

  constructor(
    shell: string,
    base: Readonly<Record<string, string>>,
    cwd: string,
    private readonly owner: ServerOwner,
    layerBase?: object,
  ) {
    this.base = base;
    this.layerBase = layerBase;
    this.child = spawn(shell, ['-s'], { cwd, env: base, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    this.pid = this.child.pid;
    const stream = (name: OutputStream) =>
      new MarkerSplitter(this.token, {
        data: (chunk) => this.onData(name, chunk),
        marker: (payload) => this.onMarker(name, payload),
      });
    const stdout = stream('stdout');
    const stderr = stream('stderr');
    this.child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
    this.child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    this.child.stdin!.on('error', () => this.retire());
    this.child.on('error', () => {
      // Only a failed start gets here (the owner checks `pid` right away); kill errors are ignored.
      this.dead = true;
      this.retired = true;
    });
    this.child.once('exit', (code, signal) => this.onExit(code, signal));
    this.child.once('close', () => this.finishDead());
    this.fifo = new PreforkFifo(this.token, (line) => this.child.stdin!.write(line));
    // `sh -s` shows "s" in `$-` where `sh -c` does not: clear it where the shell allows (dash does, bash not).
    // The server's own stderr goes to /dev/null, the tasks' to its pipe (fd 4; see task-script.ts): a
    // shell reports a subshell killed by a signal ("Terminated") on its own stderr, which `sh -c` does not.
    this.child.stdin!.write(`exec 4>&2 2>/dev/null; trap : ${CAUGHT}; (set +s) 2>/dev/null && set +s\n`);
    this.setRef(false);
  }

  /** How long the server's last task took, from being sent to its end, ms (undefined before one ended). */
  get lastTaskMs(): number | undefined {
    return this.lastTaskTook;
  }

  /** Whether the server is running a task. */
  get busy(): boolean {
    return this.current !== undefined;
  }

  /** Whether an idle server has forked the subshell of its next task already. */
  get preforked(): boolean {
    return this.waiting;
  }

  /**
   * Has the server fork the subshell of its next task as soon as its current task ends, or now when it
   * is idle (the launcher asks while no more tasks than cores run, after a short task). When the FIFO is
   * not made yet, this makes it, and forks once it is ready (only this asks for the FIFO, so its answer
   * always finds a fork wanted).
   */
  forkAhead(): void {
    if (this.retired || this.dead || this.forkQueued || this.waiting) return;
    if (!this.fifo.ready) {
      this.fifo.make();
      return;
    }
    // Busy: the line runs when the current task has ended; idle: it runs now.
    this.child.stdin!.write(preforkScript(this.token, this.fifo.readCommand));
    if (this.current) this.forkQueued = true;
    else this.waiting = true;
  }

  /** Runs one `-c` request; the server must be idle. */
  run(request: LaunchRequest, listener: LaunchListener): LaunchedProcess {
    const task: CurrentTask = {
      request,
      listener,
      redirect: undefined,
      preforked: this.waiting,
      started: false,
      stdoutStarted: false,
      stderrStarted: false,
      status: undefined,
      stdoutEnded: false,
      stderrEnded: false,
      signalled: false,
      done: false,
    };
    this.current = task;
    this.taskSentAt = monotonicMs();
    this.setRef(true);
    const layers = request.envLayers;
    const environment =
      layers && layers.base === this.layerBase ? { overrides: layers.overrides } : { env: request.env };
    const body = taskBody(this.token, this.base, environment, request.cwd, request.args[1]!);
    if (this.waiting) {
      this.waiting = false;
      // Cannot happen with a FIFO jorm holds read-write; if it did, ending the server runs the task elsewhere.
      if (!this.fifo.write(Buffer.from(preforkedBody(body)))) killProcessGroup(this.pid!, 'SIGKILL');
    } else {
      this.child.stdin!.write(taskScript(this.token, body));
    }
    return {
      get launcher() {
        return task.redirect?.launcher ?? 'fork-server';
      },
      kill: (signal) => (task.redirect ? task.redirect.kill(signal) : this.kill(task, signal)),
      closeOutput: () => {
        if (task.redirect) return task.redirect.closeOutput();
        // Output is still expected after the exit status: something is wrong; give up on this server.
        this.retire();
        this.complete(task);
      },
    };
  }

  /** Takes no more tasks; the server ends once its current task is done. */
  retire(): void {
    if (this.retired) return;
    this.retired = true;
    if (!this.current) this.shutdown();
  }

  private kill(task: CurrentTask, signal: NodeJS.Signals | 0): boolean {
    if (this.pid === undefined) return false;
    // Once the task ended, "is any of its processes left?" must not count the server itself (which
    // ends at once when retired): otherwise a killed task kept jorm waiting out the kill grace period.
    if (signal === 0 && task.done) return groupHasOtherProcesses(this.pid, this.pid);
    if (signal !== 0 && !task.done) {
      task.signalled = true;
      this.retire();
    }
    return killProcessGroup(this.pid, signal);
  }

  private onData(stream: OutputStream, chunk: Buffer): void {
    const task = this.current;
    // Each stream is read on its own: its data belongs to the task between its own START and END.
    const inTask =
      task &&
      !task.done &&
      (stream === 'stdout'
        ? task.stdoutStarted && !task.stdoutEnded
        : task.stderrStarted && !task.stderrEnded);
    if (inTask) task.listener.output(stream, chunk);
    else this.retire(); // output of a process an earlier task left behind
  }

  private onMarker(stream: OutputStream, payload: string): void {
    const task = this.current;
    if (payload === FIFO_MADE || payload === FIFO_FAILED) {
      this.fifo.answered(payload === FIFO_MADE && !this.retired, this.pid!);
      if (this.fifo.ready) this.forkAhead();
      return;
    }
    if (!task) {
      // A subshell forked ahead ended with no task: something killed it; the FIFO may hold stale bytes.
      if (stream === 'stdout' && this.waiting) {
        this.waiting = false;
        this.retire();
      }
      return;
    }
    if (task.done) return;
    if (payload === 'S') {
      if (stream === 'stdout') task.stdoutStarted = true;
      else task.stderrStarted = true;
      if (!task.started) {
        task.started = true;
        task.listener.spawned(this.pid!);
      }
      return;
    }
    if (stream === 'stderr') task.stderrEnded = true;
    else {
      task.stdoutEnded = true;
      task.status = Number(payload.slice(1));
      const signal = task.signalled && task.status > 128 ? SIGNAL_NAMES.get(task.status - 128) : undefined;
      // A subshell that never started (its `cd` failed) is run elsewhere by `complete`: its listener has
      // seen nothing yet, and must not see an exit.
      if (task.started) task.listener.exited(signal ? null : task.status, signal ?? null);
    }
    if (task.stdoutEnded && task.stderrEnded) this.complete(task);
  }

  /** Ends the current task (its `closed` call) and makes the server idle, or shuts it down. */
  private complete(task: CurrentTask): void {
    if (task.done) return;
    task.done = true;
    this.lastTaskTook = monotonicMs() - this.taskSentAt;
    if (this.current === task) this.current = undefined;
    // A subshell forked ahead that ended before its START may have left part of its task in the FIFO.
    if (!task.started && task.preforked) this.retired = true;
    this.waiting = this.forkQueued && !this.retired && !this.dead;
    this.forkQueued = false;
    // A task the server ended before starting has not been seen by its listener yet: run it elsewhere.
    if (!task.started) task.redirect = this.owner.relaunch(task.request, task.listener);
    else task.listener.closed();
    if (this.retired || this.dead) this.shutdown();
    else {
      this.setRef(false);
      this.owner.idle(this);
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.dead = true;
    this.fifo.close();
    this.retired = true;
    const task = this.current;
    if (task && !task.done && task.started && !task.stdoutEnded) {
      task.stdoutEnded = true;
      task.listener.exited(signal ? null : code, signal);
    }
    // Output still in the pipes is delivered before 'close'; a background process may hold them open.
    this.deadTimer = setTimeout(() => this.finishDead(), 200);
  }

  private finishDead(): void {
    if (this.deadTimer) clearTimeout(this.deadTimer);
    this.deadTimer = undefined;
    this.dead = true;
    const task = this.current;
    if (task) this.complete(task);
    this.shutdown();
  }

  private shutdown(): void {
    if (!this.child.stdin!.writableEnded) this.child.stdin!.end();
    if (this.dead) this.fifo.close();
    else this.fifo.release(); // closed once the server has exited
    this.setRef(false);
    if (this.dead) {
      this.child.stdout!.destroy();
      this.child.stderr!.destroy();
    }
    if (!this.goneReported) {
      this.goneReported = true;
      this.owner.gone(this);
    }
  }

  private setRef(ref: boolean): void {
    const child = this.child;
    const stdin = child.stdin as Socket | null;
    const stdout = child.stdout as Socket | null;
    const stderr = child.stderr as Socket | null;
    if (ref) {
      stdin?.ref();
      stdout?.ref();
      stderr?.ref();
      child.ref();
    } else {
      stdin?.unref();
      stdout?.unref();
      stderr?.unref();
      child.unref();
    }
  }
}
