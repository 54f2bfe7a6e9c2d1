/**
 * Capping text to its last bytes, for the stdout/stderr tails kept in the database.
 * @module
 */

/** Bytes of each stream's tail kept in the database per attempt. @defaultValue 65536 */
export const TAIL_BYTES = 64 * 1024;

/** The last `maxBytes` bytes of `text` (UTF-8), without a broken first character. */
export function tailOf(text: string, maxBytes: number = TAIL_BYTES): string {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: short strings need no encoding to be known to fit.
  if (text.length * 3 <= maxBytes) return text;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let start = bytes.length - maxBytes;
  // Skip continuation bytes (10xxxxxx) so the tail starts on a character boundary.
  while (start < bytes.length && ((bytes[start] ?? 0) & 0xc0) === 0x80) start++;
  return bytes.subarray(start).toString('utf8');
}
