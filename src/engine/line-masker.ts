/**
 * {@link LineMasker}: masks secrets in streamed output. Output is released a whole line at a time, so a
 * secret split across two chunks is still found; a line longer than {@link MAX_PENDING} characters is
 * released unfinished (secrets never contain newlines, so only such a line could split one).
 * @module
 */

/** Characters of an unfinished line held back before it is released anyway. @defaultValue 65536 */
export const MAX_PENDING = 65_536;

/** Line-buffers one output stream and masks what it releases. */
export class LineMasker {
  private pending = '';

  constructor(private readonly mask: (text: string) => string) {}

  /** Adds a chunk; returns the masked complete lines it finishes (`''` when none). */
  push(chunk: string): string {
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
  end(): string {
    const text = this.pending;
    this.pending = '';
    return text === '' ? '' : this.mask(text);
  }
}
