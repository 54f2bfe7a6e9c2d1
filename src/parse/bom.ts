/**
 * {@link withoutBom}: a leading byte order mark, read as a space.
 * @module
 */

/**
 * `text` with a leading byte order mark (U+FEFF, which some Windows editors write) replaced by a space:
 * `JSON.parse` refuses it, and a space keeps every line and column where it was.
 */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
}
