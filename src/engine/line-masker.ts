/**
 * {@link LineMasker}: masks secrets in streamed output. Output is released a whole line at a time, so a
 * secret split across two chunks is still found; a line longer than {@link MAX_PENDING} characters is
 * released unfinished (secrets never contain newlines, so only such a line could split one).
 * @module
 */

/** Characters of an unfinished line held back before it is released anyway. @defaultValue 65536 */
export const MAX_PENDING = 65_536;

/** Masks one stream of chunks (the shape of the environment module's `StreamMasker`). */
export interface ChunkMasker {
  /** Masks what can be released now; keeps back the rest. */
  write(chunk: string): string;
  /** Masks and returns what was kept back. */
  flush(): string;
}

/** Line-buffers one output stream and masks what it releases. */
export class LineMasker implements ChunkMasker {
  private pending = '';

  constructor(private readonly mask: (text: string) => string) {}

  /** Adds a chunk; returns the masked complete lines it finishes (`''` when none). */
  write(chunk: string): string {
    const text = this.pending + chunk;
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      if (text.length <= MAX_PENDING) {
        this.pending = text;
        return '';
      }
      this.pending = '';
      return this.mask(text);
    }
    this.pending = text.slice(end + 1);
    return this.mask(text.slice(0, end + 1));
  }

  /** Releases what is held (the last, unfinished line), masked. */
  flush(): string {
    const text = this.pending;
    this.pending = '';
    return text === '' ? '' : this.mask(text);
  }
}
