/**
 * The process layer's contracts. Glossary:
 * - **launcher** ({@link ProcessLauncher}): the mechanism that starts a program and reports what it does
 *   (plain `child_process.spawn`, or the fork server of `./fork-server/`). It knows nothing of timeouts.
 * - **run** (`runProcess` in `./run-process.ts`): one program run with jorm's rules on top of a launcher:
 *   working-directory check, abort → SIGTERM → SIGKILL of the whole process group, output caps, and the
 *   drain rule for background processes that keep the output open.
 * @module
 */

import type { OutputStream } from '../engine/task-executor.js';
import type { ProcessStartError } from './start-error.js';

/**
 * An environment in two layers: the variables shared by many processes (`base`, one object reused for
 * all of them) and one process's own (`overrides`, over `base`). No variable of `base` is removed.
 */
export interface EnvironmentLayers {
  readonly base: Readonly<Record<string, string>>;
  readonly overrides: Readonly<Record<string, string>>;
}

/** What to start. */
export interface LaunchRequest {
  /** The program: a path, or a name looked up in `env.PATH`. */
  file: string;
  /** The arguments after the program name. */
  args: readonly string[];
  /** Absolute working directory. */
  cwd: string;
  /** The complete environment of the program (nothing else is added). */
  env: Readonly<Record<string, string>>;
  /**
   * The same environment as `env`, in layers, when the caller has it so: a launcher whose processes keep
   * an environment of their own (the fork server's shells) then sends only a task's own variables, and
   * `env` (which may be built when first read) is not read at all.
   */
  envLayers?: EnvironmentLayers;
  /** Windows only: pass the arguments without quoting (for `cmd.exe /s /c`). @defaultValue false */
  windowsVerbatimArguments?: boolean;
}

/**
 * What a launcher reports, in this order: either `failed` alone, or `spawned`, any number of `output`,
 * `exited`, more `output`, and `closed` last. Calls never happen synchronously inside `launch`.
 */
export interface LaunchListener {
  /** The program started; `pid` is also its process group id (POSIX). */
  spawned(pid: number): void;
  output(stream: OutputStream, chunk: Buffer): void;
  /** The program itself ended; its output may still be open (background processes). */
  exited(exitCode: number | null, signal: NodeJS.Signals | null): void;
  /** Both output streams ended or were closed by `closeOutput`. The last call. */
  closed(): void;
  /** The program could not be started (`code` is `ENOENT`, `EACCES`, …). The only call. */
  failed(error: NodeJS.ErrnoException): void;
}

/** A started (or starting) program. */
export interface LaunchedProcess {
  /** The mechanism that really runs it, when a launcher delegates (e.g. a fallback to `spawn`). */
  readonly launcher?: string;
  /**
   * Sends `signal` to the program's whole process group (the whole tree on Windows, where any signal but 0
   * terminates). Returns whether it was delivered: `kill(0)` tells whether any process of the group is left.
   */
  kill(signal: NodeJS.Signals | 0): boolean;
  /** Stops reading output (background processes still hold it open); `closed` follows. */
  closeOutput(): void;
}

/** A mechanism that starts programs, each in a process group of its own. */
export interface ProcessLauncher {
  /** `spawn`, `fork-server`, … (recorded in task metadata). */
  readonly name: string;
  launch(request: LaunchRequest, listener: LaunchListener): LaunchedProcess;
}

/**
 * A light stand-in for an `AbortSignal`, for a caller that makes one per run: Node.js's `AbortController`
 * and the listener `runProcess` adds to its signal cost about 55,000 instructions, some 6% of what jorm
 * does for a short shell task. The engine's attempts are one (`ExecutionContext.abortNotice`).
 */
export interface AbortNotice {
  /** True once the run is to stop. */
  readonly aborted: boolean;
  /** Calls `listener` once when it becomes aborted (not when it already is: read `aborted` first). */
  addAbortListener(listener: () => void): void;
  /** Forgets a listener added before. */
  removeAbortListener(listener: () => void): void;
}

/** One run of a program, for `runProcess`. */
export interface ProcessSpec extends LaunchRequest {
  /** Aborting it terminates the whole process group: SIGTERM, then SIGKILL after `killGracePeriod`. */
  signal?: AbortSignal;
  /** The same as `signal`, as an {@link AbortNotice}; used only when `signal` is not given. */
  abortNotice?: AbortNotice;
  /** ms between SIGTERM and SIGKILL. @defaultValue 5000 */
  killGracePeriod?: number;
  /** Bytes of each stream kept (the tail). @defaultValue 1048576 */
  outputLimit?: number;
  /** Output as it arrives, decoded as UTF-8 (never splitting a character). */
  onOutput?: (stream: OutputStream, chunk: string) => void;
  /**
   * ms to keep reading after the program exited while background processes still hold its output open;
   * then reading stops and the run ends (the background processes are left alone unless the run was
   * aborted). @defaultValue 500
   */
  drainTimeout?: number;
}

/** Why a program could not be started. */
export type StartFailureReason =
  | 'cwd-missing'
  | 'cwd-not-directory'
  | 'not-found'
  | 'permission-denied'
  | 'other';

/** How a run ended. */
export interface ProcessResult {
  /** Exit code, or null when it was killed by a signal or never started. */
  exitCode: number | null;
  /** The signal that killed it, if one did. */
  signal: NodeJS.Signals | null;
  /** The last `outputLimit` bytes of stdout. */
  stdout: string;
  stderr: string;
  /** Bytes of stdout dropped from the front because of `outputLimit`. */
  stdoutTruncated: number;
  stderrTruncated: number;
  /** Set when the program could not be started. */
  startError?: ProcessStartError;
  /** True when `signal` was aborted while the program ran (or before it started). */
  aborted: boolean;
  /** True when reading stopped because background processes kept the output open after the exit. */
  outputCut: boolean;
  /** The process id, once it started. */
  pid?: number;
  /** The launcher that ran it. */
  launcher: string;
}
