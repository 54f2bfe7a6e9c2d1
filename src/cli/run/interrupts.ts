/**
 * {@link Interrupts}: Ctrl-C, SIGTERM and SIGHUP during `jorm run`. The first cancels the execution
 * gracefully (running tasks get SIGTERM, then SIGKILL after the grace period); a second one kills every
 * task's process group at once and exits with 130. SIGHUP (the terminal closed, an ssh session dropped)
 * is handled like SIGTERM: by default Node.js would exit at once, and the tasks, each in a process group
 * of its own, would go on running with nobody to record their results.
 * @module
 */

import { CancelledError } from '../../model/errors.js';
import { ExitCode } from '../exit-codes.js';
import { killDescendants } from './kill-tree.js';

/** The signals a run handles. */
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Signal handling of one run. */
export class Interrupts {
  /** Aborted by the first signal. */
  readonly controller = new AbortController();
  /** The first signal received, if any. */
  received: NodeJS.Signals | undefined;
  private readonly handler = (signal: NodeJS.Signals): void => this.onSignal(signal);

  /**
   * @param say writes a message for the user (stderr).
   * @param beforeExit called before a hard exit (e.g. to restore the terminal).
   */
  constructor(
    private readonly say: (line: string) => void,
    private readonly beforeExit: () => void,
  ) {}

  /** Starts handling SIGINT, SIGTERM and SIGHUP. */
  install(): this {
    for (const signal of SIGNALS) process.on(signal, this.handler);
    return this;
  }

  /** Stops handling them. */
  dispose(): void {
    for (const signal of SIGNALS) process.off(signal, this.handler);
  }

  private onSignal(signal: NodeJS.Signals): void {
    if (signal === 'SIGHUP') ignoreBrokenTerminal();
    if (this.received === undefined) {
      this.received = signal;
      const again = signal === 'SIGINT' ? 'press Ctrl-C again' : `send ${signal} again`;
      this.tell(`jorm: ${signal} received, cancelling the run (${again} to kill the tasks now)`);
      this.controller.abort(new CancelledError(`interrupted by ${signal}`));
      return;
    }
    this.beforeExit();
    killDescendants('SIGKILL');
    this.tell(`jorm: ${signal} received again, killed the running tasks`);
    process.exit(ExitCode.Interrupted);
  }

  /** Tells the user, when there is still a terminal to tell: after SIGHUP, writing to it can fail. */
  private tell(line: string): void {
    try {
      this.say(line);
    } catch {
      // The terminal is gone; the run's record says what happened.
    }
  }
}

/**
 * After SIGHUP the terminal may be gone, and a write to it fails with EIO or EPIPE: without a listener,
 * that error would end jorm before it records the run's end.
 */
export function ignoreBrokenTerminal(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount('error') === 0) stream.on('error', () => {});
  }
}
