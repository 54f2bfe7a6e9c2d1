/**
 * {@link PreforkFifo}: the FIFO through which a shell server's subshells, forked before their task was
 * known, get their task's commands.
 *
 * The server makes the FIFO (Node.js cannot), opens it as its fd 3 and removes its name at once, all in
 * one line, so nothing is left in the temporary folder whatever happens next. jorm then opens its own
 * end through `/proc/<server>/fd/3`, read-write so that it never blocks, and the server reopens its
 * fd 3 read-only. From then on jorm is the FIFO's only writer:
 * - a subshell forked ahead opens the FIFO through jorm's end, `/proc/<jorm>/fd/<n>`, once it has
 *   checked that this is still the FIFO of its server's fd 3 (`-ef`); when jorm is gone, the open fails
 *   instead of waiting for a writer;
 * - a subshell waiting on the FIFO reads end-of-file, and ends, when jorm exits;
 * - jorm ends a waiting subshell by writing `exit` ({@link PreforkFifo.release}), and closes its end only
 *   once the server has exited, so that the number of its end is never reused while a subshell could
 *   still open it.
 * @module
 */

import { closeSync, constants as fsConstants, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MarkerSplitter } from './marker-splitter.js';
import { shellQuote } from './task-script.js';

/** The payloads of the markers by which the server answers {@link PreforkFifo.make}. */
export const FIFO_MADE = 'F';
export const FIFO_FAILED = 'f';

/** One server's FIFO, from jorm's side. */
export class PreforkFifo {
  private state: 'unmade' | 'making' | 'ready' | 'failed' = 'unmade';
  private fd: number | undefined;
  private pending: Buffer | undefined;

  /**
   * @param token - the server's marker token (also names the FIFO while it has a name)
   * @param toServer - writes a line to the server's stdin
   */
  constructor(
    private readonly token: string,
    private readonly toServer: (line: string) => void,
  ) {}

  /** Whether subshells can be forked ahead ({@link readCommand}). */
  get ready(): boolean {
    return this.state === 'ready';
  }

  /**
   * Has the server make the FIFO (once; later calls do nothing); it answers with the marker
   * {@link FIFO_MADE} or {@link FIFO_FAILED}.
   */
  make(): void {
    if (this.state !== 'unmade') return;
    this.state = 'making';
    const file = shellQuote(path.join(tmpdir(), `jorm-fifo-${this.token}`));
    const made = MarkerSplitter.format(this.token, FIFO_MADE);
    const failed = MarkerSplitter.format(this.token, FIFO_FAILED);
    // Made only if the subshells' way to it (/dev/fd/3) and jorm's (/proc/<server>/fd/3) both lead to it.
    this.toServer(
      `{ command -p mkfifo -m 600 -- ${file} && command exec 3<>${file}; } 2>/dev/null; ` +
        `command -p rm -f -- ${file}; if [ /dev/fd/3 -ef /proc/$$/fd/3 ] 2>/dev/null; ` +
        `then printf '${made}'; else exec 3<&-; printf '${failed}'; fi\n`,
    );
  }

  /**
   * The server's answer to {@link make}: opens jorm's end of a FIFO made, and has the server keep its own
   * read-only (a reader: it does not keep a waiting subshell from seeing end-of-file).
   */
  answered(made: boolean, serverPid: number): void {
    if (this.state !== 'making') return;
    if (made) {
      try {
        this.fd = openSync(`/proc/${serverPid}/fd/3`, fsConstants.O_RDWR | fsConstants.O_NONBLOCK);
      } catch {
        // No /proc (not Linux), or it is not readable: no forking ahead on this server.
      }
      this.toServer(this.fd === undefined ? 'exec 3<&-\n' : 'exec 3</dev/fd/3\n');
    }
    this.state = this.fd === undefined ? 'failed' : 'ready';
  }

  /**
   * The shell code of a subshell forked ahead that reads its task: from jorm's end of the FIFO, after
   * checking it is still this server's FIFO (else the subshell ends without a START marker).
   */
  get readCommand(): string {
    const jormEnd = `/proc/${process.pid}/fd/${this.fd}`;
    return `[ ${jormEnd} -ef /dev/fd/3 ] && exec 3<&- && . ${jormEnd}`;
  }

  /**
   * Writes to the FIFO without blocking: what does not fit yet follows as the subshell reads.
   * False when the FIFO is closed or the write failed (then no more is written).
   */
  write(bytes: Buffer): boolean {
    const fd = this.fd;
    if (fd === undefined || this.state !== 'ready') return false;
    let written: number;
    try {
      written = writeSync(fd, bytes);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') {
        this.state = 'failed';
        return false;
      }
      written = 0;
    }
    if (written < bytes.length) {
      this.pending = bytes.subarray(written);
      setImmediate(() => {
        const rest = this.pending;
        this.pending = undefined;
        if (rest) this.write(rest);
      });
    }
    return true;
  }

  /** Ends a subshell that waits on the FIFO, or that the server will fork ahead: it reads `exit`. */
  release(): void {
    if (this.write(Buffer.from('exit\n'))) this.state = 'failed';
  }

  /** Closes jorm's end; only once the server has exited (see the module's description). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.pending = undefined;
    if (this.state !== 'unmade') this.state = 'failed';
  }
}
