/**
 * {@link MarkerSplitter}: splits one output stream of a shell server into task output and the server's
 * markers (`\x1ejorm:<token>:<payload>\x1e`), even when a marker is cut across chunks.
 * @module
 */

const RS = 0x1e;

/** What the splitter reports. */
export interface MarkerSink {
  /** Bytes of task output (or stray output between tasks). */
  data(chunk: Buffer): void;
  /** A marker's payload (`S`, or `E` followed by a status). */
  marker(payload: string): void;
}

/** Finds the markers of one server (identified by its random token) in a byte stream. */
export class MarkerSplitter {
  private readonly prefix: Buffer;
  private carry: Buffer | undefined;

  constructor(
    token: string,
    private readonly sink: MarkerSink,
  ) {
    this.prefix = Buffer.from(`\x1ejorm:${token}:`, 'latin1');
  }

  /** The shell `printf` format of a marker with `payload` (which may contain `%s`). */
  static format(token: string, payload: string): string {
    return `\\036jorm:${token}:${payload}\\036`;
  }

  push(chunk: Buffer): void {
    let buffer = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    const prefix = this.prefix;
    for (;;) {
      const at = buffer.indexOf(RS);
      if (at < 0) break;
      // A possible marker starts at `at`: is it complete, partial, or not a marker at all?
      const available = buffer.length - at;
      const compared = Math.min(available, prefix.length);
      if (buffer.compare(prefix, 0, compared, at, at + compared) !== 0) {
        this.emit(buffer.subarray(0, at + 1));
        buffer = buffer.subarray(at + 1);
        continue;
      }
      const end = available > prefix.length ? buffer.indexOf(RS, at + prefix.length) : -1;
      if (end < 0) {
        this.emit(buffer.subarray(0, at));
        this.carry = Buffer.from(buffer.subarray(at));
        return;
      }
      this.emit(buffer.subarray(0, at));
      this.sink.marker(buffer.toString('latin1', at + prefix.length, end));
      buffer = buffer.subarray(end + 1);
    }
    this.emit(buffer);
  }

  private emit(bytes: Buffer): void {
    if (bytes.length > 0) this.sink.data(bytes);
  }
}
