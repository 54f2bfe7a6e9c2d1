/**
 * Starts runs for the dashboard as real `jorm run` / `jorm resume` child processes (detached, in their
 * own process group, so they survive the server and can be signalled as a group), and finds the
 * execution each one records by its owner pid.
 * @module
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JORM_CLI_PATH } from '../../cli-path.js';
import { HttpError } from '../http/http-error.js';
import type { DashboardStore } from '../store.js';

/** How long to wait for a started run to record its execution. @defaultValue 30000 */
export const START_TIMEOUT = 30_000;

/** Environment variables never passed on to runs (they are the server's own secrets). */
const WITHHELD_ENV = ['JORM_SERVER_TOKEN'];

/** A run this server started. */
export interface LaunchedRun {
  executionId: string;
  pid: number;
  /** `run` or `resume`. */
  command: 'run' | 'resume';
  startedAt: Date;
  /** Set once the process ended. */
  exitCode?: number | null;
}

/** Options of {@link RunLauncher}. */
export interface RunLauncherOptions {
  /** The state database URL passed as `--state`. */
  databaseUrl: string;
  /** The working directory of runs (the served directory). */
  cwd: string;
  store: DashboardStore;
  /** Resolves when the state database may have changed (the change feed); used while waiting. */
  waitForChange: (signal: AbortSignal) => Promise<void>;
  /** @defaultValue {@link JORM_CLI_PATH}, this installation's `jorm` */
  cliPath?: string;
}

/** Starts and tracks runs. */
export class RunLauncher {
  private readonly runs = new Map<string, LaunchedRun>();
  private readonly children = new Map<number, ChildProcess>();
  private readonly outputDir = mkdtempSync(path.join(os.tmpdir(), 'jorm-serve-'));

  constructor(private readonly options: RunLauncherOptions) {}

  /** Starts `jorm run <file> --param …` and resolves once it recorded its execution. */
  start(file: string, params: Record<string, string>): Promise<LaunchedRun> {
    const args = ['run', file, '--json'];
    for (const [k, v] of Object.entries(params)) args.push('--param', `${k}=${v}`);
    return this.launch('run', args, undefined);
  }

  /** Starts `jorm resume <id>` and resolves once it took the execution over. */
  resume(executionId: string): Promise<LaunchedRun> {
    return this.launch('resume', ['resume', executionId, '--json'], executionId);
  }

  /** The run this server started for an execution (the newest one), if any. */
  runOf(executionId: string): LaunchedRun | undefined {
    return this.runs.get(executionId);
  }

  /**
   * Sends `signal` to the process group of the run started for an execution, when it still runs.
   * @returns whether a signal was sent.
   */
  signal(executionId: string, signal: NodeJS.Signals): boolean {
    const run = this.runs.get(executionId);
    if (!run || run.exitCode !== undefined || !this.children.has(run.pid)) return false;
    try {
      process.kill(-run.pid, signal);
      return true;
    } catch {
      return false;
    }
  }

  /** Removes the launcher's temporary files; with `stopRuns`, also ends the runs it started (SIGINT). */
  close(options: { stopRuns?: boolean } = {}): void {
    if (options.stopRuns) {
      for (const child of this.children.values()) {
        if (child.pid !== undefined && child.exitCode === null) {
          try {
            process.kill(-child.pid, 'SIGINT');
          } catch {
            // already gone
          }
        }
      }
    }
    rmSync(this.outputDir, { recursive: true, force: true });
  }

  private async launch(
    command: 'run' | 'resume',
    args: string[],
    knownId: string | undefined,
  ): Promise<LaunchedRun> {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
    for (const name of WITHHELD_ENV) delete env[name];
    const cli = this.options.cliPath ?? JORM_CLI_PATH;
    const fullArgs = [cli, ...args, '--state', this.options.databaseUrl];
    const stamp = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    const outFile = path.join(this.outputDir, `${stamp}.out`);
    const errFile = path.join(this.outputDir, `${stamp}.err`);
    const out = openSync(outFile, 'w');
    const err = openSync(errFile, 'w');
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, fullArgs, {
        cwd: this.options.cwd,
        env,
        detached: true,
        stdio: ['ignore', out, err],
      });
    } finally {
      closeSync(out);
      closeSync(err);
    }
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
      child.once('error', () => resolve(null));
    });
    child.unref();
    const pid = child.pid;
    if (pid === undefined) {
      throw new HttpError(500, `could not start jorm ${command}: ${readTail(errFile) || 'spawn failed'}`);
    }
    this.children.set(pid, child);
    let exitCode: number | null | undefined;
    void exited.then((code) => {
      exitCode = code;
      this.children.delete(pid);
      for (const run of this.runs.values()) if (run.pid === pid) run.exitCode = code;
    });

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), START_TIMEOUT);
    try {
      for (;;) {
        const ended = exitCode !== undefined;
        const found = await this.findExecution(pid, knownId);
        if (found !== undefined) {
          const run: LaunchedRun = { executionId: found, pid, command, startedAt: new Date() };
          if (exitCode !== undefined) run.exitCode = exitCode;
          this.runs.set(found, run);
          return run;
        }
        if (ended) {
          const message = readTail(errFile) || `exit code ${exitCode}`;
          throw new HttpError(exitCode === 2 ? 400 : 500, `jorm ${command} failed to start: ${message}`);
        }
        if (controller.signal.aborted) {
          throw new HttpError(504, `jorm ${command} did not record an execution within ${START_TIMEOUT} ms`);
        }
        await Promise.race([this.options.waitForChange(controller.signal), exited]);
      }
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  }

  /** The execution owned by `pid` on this host (the newest few are enough: it was just started). */
  private async findExecution(pid: number, knownId: string | undefined): Promise<string | undefined> {
    const host = os.hostname();
    if (knownId !== undefined) {
      const state = await this.options.store.loadExecutionState(knownId);
      return state?.owner?.pid === pid && state.owner.host === host ? knownId : undefined;
    }
    const recent = await this.options.store.listExecutions({ limit: 20 });
    return recent.find((e) => e.owner?.pid === pid && e.owner.host === host)?.executionId;
  }
}

/** The last lines of a file (a child's stderr), at most 2,000 characters, or `''`. */
function readTail(file: string): string {
  try {
    const text = readFileSync(file, 'utf8').trim();
    return text.length > 2000 ? `…${text.slice(-2000)}` : text;
  } catch {
    return '';
  }
}
