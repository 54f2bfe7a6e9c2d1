/**
 * {@link Interrupts}: Ctrl-C and SIGTERM during `jorm run`. The first cancels the execution gracefully
 * (running tasks get SIGTERM, then SIGKILL after the grace period); a second one kills every task's
 * process group at once and exits with 130.
 * @module
 */

import { CancelledError } from '../../model/errors.js';
import { ExitCode } from '../exit-codes.js';
import { killDescendants } from './kill-tree.js';

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

  /** Starts handling SIGINT and SIGTERM. */
  install(): this {
    process.on('SIGINT', this.handler);
    process.on('SIGTERM', this.handler);
    return this;
  }

  /** Stops handling them. */
  dispose(): void {
    process.off('SIGINT', this.handler);
    process.off('SIGTERM', this.handler);
  }

  private onSignal(signal: NodeJS.Signals): void {
    if (this.received === undefined) {
      this.received = signal;
      this.say(`jorm: ${signal} received, cancelling the run (press Ctrl-C again to kill the tasks now)`);
      this.controller.abort(new CancelledError(`interrupted by ${signal}`));
      return;
    }
    this.beforeExit();
    killDescendants('SIGKILL');
    this.say(`jorm: ${signal} received again, killed the running tasks`);
    process.exit(ExitCode.Interrupted);
  }
}
