/**
 * {@link runProcess}: one program run with jorm's rules on top of a {@link ProcessLauncher}.
 *
 * - A start that fails because the working directory is missing (or not a directory) is an error that
 *   names it; the directory is only looked at when a start failed.
 * - Aborting `signal`, or `abortNotice` (timeout, cancellation), sends SIGTERM to the program's whole
 *   process group, then SIGKILL after `killGracePeriod` if any process of the group is left. An abort
 *   before the program started kills it as soon as it starts (or starts nothing when it comes before
 *   `runProcess`).
 * - Each stream keeps its last `outputLimit` bytes; dropped bytes are counted.
 * - Drain rule: when the program exited but background processes still hold its output open, reading
 *   continues for `drainTimeout` ms, then stops and the run ends.
 * - Nothing outlives the run: the abort listener is removed when it ends and the drain timer, shared by
 *   all runs, never keeps the process alive; the SIGKILL timer only stays while processes of an aborted
 *   run's group are left.
 * @module
 */

import { StringDecoder } from 'node:string_decoder';
import type { OutputStream } from '../engine/task-executor.js';
import { Deadlines, type Expirable } from './deadlines.js';
import { checkWorkingDirectory, ProcessStartError } from './start-error.js';
import { TailBuffer } from './tail-buffer.js';
import type {
  LaunchedProcess,
  LaunchListener,
  ProcessLauncher,
  ProcessResult,
  ProcessSpec,
} from './types.js';

/** @defaultValue values of {@link ProcessSpec}. */
export const PROCESS_DEFAULTS = Object.freeze({
  killGracePeriod: 5000,
  outputLimit: 1024 * 1024,
  drainTimeout: 500,
});

/** Runs one program to its end and resolves with how it ended; never rejects for the program's sake. */
export function runProcess(spec: ProcessSpec, launcher: ProcessLauncher): Promise<ProcessResult> {
  return new Promise((resolve) => {
    if (spec.signal ? spec.signal.aborted : spec.abortNotice?.aborted) {
      resolve(notStarted(launcher, undefined, true));
      return;
    }
    new ProcessRun(spec, launcher, resolve);
  });
}

function notStarted(
  launcher: ProcessLauncher,
  error: ProcessStartError | undefined,
  aborted: boolean,
): ProcessResult {
  const result: ProcessResult = {
    exitCode: null,
    signal: null,
    stdout: '',
    stderr: '',
    stdoutTruncated: 0,
    stderrTruncated: 0,
    aborted,
    outputCut: false,
    launcher: launcher.name,
  };
  if (error) result.startError = error;
  return result;
}

/**
 * The drain times of every run of the process: one timer per distinct drain time rather than one per run.
 * Unreferenced: a draining run's open pipes keep the process alive.
 */
const drains = new Deadlines<ProcessRun>((run) => run.drainExpired(), { unref: true });

/** The state of one run; it is the launcher's listener. */
class ProcessRun implements LaunchListener, Expirable {
  private readonly handle: LaunchedProcess;
  private readonly stdout: TailBuffer;
  private readonly stderr: TailBuffer;
  private stdoutDecoder: StringDecoder | undefined;
  private stderrDecoder: StringDecoder | undefined;
  private pid: number | undefined;
  private exitCode: number | null = null;
  private exitSignal: NodeJS.Signals | null = null;
  private aborted = false;
  private outputCut = false;
  private killTimer: NodeJS.Timeout | undefined;
  /** The drain time started at `exited`, ms (undefined before). */
  private draining: number | undefined;
  /** When the drain time is over ({@link Expirable}). */
  deadline = Number.POSITIVE_INFINITY;
  /** The run is over ({@link Expirable}). */
  ended = false;

  constructor(
    private readonly spec: ProcessSpec,
    private readonly launcher: ProcessLauncher,
    private readonly resolve: (result: ProcessResult) => void,
  ) {
    const limit = spec.outputLimit ?? PROCESS_DEFAULTS.outputLimit;
    this.stdout = new TailBuffer(limit);
    this.stderr = new TailBuffer(limit);
    if (spec.signal) spec.signal.addEventListener('abort', this.onAbort, { once: true });
    else spec.abortNotice?.addAbortListener(this.onAbort);
    this.handle = launcher.launch(spec, this);
  }

  spawned(pid: number): void {
    this.pid = pid;
    if (this.aborted) this.terminate();
  }

  output(stream: OutputStream, chunk: Buffer): void {
    if (stream === 'stdout') this.stdout.push(chunk);
    else this.stderr.push(chunk);
    const onOutput = this.spec.onOutput;
    if (!onOutput) return;
    let decoder = stream === 'stdout' ? this.stdoutDecoder : this.stderrDecoder;
    if (!decoder) {
      decoder = new StringDecoder('utf8');
      if (stream === 'stdout') this.stdoutDecoder = decoder;
      else this.stderrDecoder = decoder;
    }
    const text = decoder.write(chunk);
    if (text !== '') onOutput(stream, text);
  }

  exited(exitCode: number | null, signal: NodeJS.Signals | null): void {
    this.exitCode = exitCode;
    this.exitSignal = signal;
    if (this.ended || this.draining !== undefined) return;
    this.draining = this.spec.drainTimeout ?? PROCESS_DEFAULTS.drainTimeout;
    drains.add(this, this.draining);
  }

  /** The drain time is over and the output is still open: stop reading it. */
  drainExpired(): void {
    this.outputCut = true;
    this.handle.closeOutput();
  }

  closed(): void {
    this.finish(undefined);
  }

  failed(error: NodeJS.ErrnoException): void {
    // A missing working directory fails the start too (ENOENT, like a missing program): tell them apart
    // here rather than with a stat before every start.
    this.finish(checkWorkingDirectory(this.spec.cwd) ?? ProcessStartError.fromErrno(this.spec.file, error));
  }

  private readonly onAbort = (): void => {
    if (this.ended || this.aborted) return;
    this.aborted = true;
    if (this.pid !== undefined) this.terminate();
  };

  /** SIGTERM to the group now, SIGKILL after the grace period. */
  private terminate(): void {
    const grace = this.spec.killGracePeriod ?? PROCESS_DEFAULTS.killGracePeriod;
    if (grace <= 0) {
      this.handle.kill('SIGKILL');
      return;
    }
    this.handle.kill('SIGTERM');
    this.killTimer = setTimeout(() => {
      this.killTimer = undefined;
      this.handle.kill('SIGKILL');
    }, grace);
  }

  private finish(startError: ProcessStartError | undefined): void {
    if (this.ended) return;
    this.ended = true;
    if (this.spec.signal) this.spec.signal.removeEventListener('abort', this.onAbort);
    else this.spec.abortNotice?.removeAbortListener(this.onAbort);
    if (this.draining !== undefined) drains.ended(this.draining);
    if (this.killTimer && !this.handle.kill(0)) {
      clearTimeout(this.killTimer);
      this.killTimer = undefined;
    }
    this.flushDecoders();
    const result = notStarted(this.launcher, startError, this.aborted);
    result.launcher = this.handle.launcher ?? this.launcher.name;
    result.exitCode = this.exitCode;
    result.signal = this.exitSignal;
    result.stdout = this.stdout.toString();
    result.stderr = this.stderr.toString();
    result.stdoutTruncated = this.stdout.dropped;
    result.stderrTruncated = this.stderr.dropped;
    result.outputCut = this.outputCut;
    if (this.pid !== undefined) result.pid = this.pid;
    this.resolve(result);
  }

  private flushDecoders(): void {
    const onOutput = this.spec.onOutput;
    if (!onOutput) return;
    const out = this.stdoutDecoder?.end();
    if (out) onOutput('stdout', out);
    const err = this.stderrDecoder?.end();
    if (err) onOutput('stderr', err);
  }
}
