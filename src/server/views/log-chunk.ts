/**
 * Reads a slice of a task's log file from a byte offset, for the log viewer's follow mode: the client
 * asks again from the returned `nextOffset`. Slices end on a whole UTF-8 character.
 * @module
 */

import { open } from 'node:fs/promises';

/** The most bytes returned per request. @defaultValue 256 KiB */
export const MAX_LOG_CHUNK = 256 * 1024;

/** A slice of a log. */
export interface LogChunk {
  text: string;
  /** The byte offset the slice started at. */
  offset: number;
  /** Where to continue reading. */
  nextOffset: number;
  /** The file's size when read. */
  size: number;
}

/**
 * Reads up to `max` bytes from `offset`.
 * @returns the slice, or `undefined` when the file does not exist.
 */
export async function readLogChunk(
  file: string,
  offset: number,
  max: number = MAX_LOG_CHUNK,
): Promise<LogChunk | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = await handle.stat();
    const start = Math.min(Math.max(0, offset), size);
    const length = Math.min(max, size - start);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, start);
    const end = completeUtf8(buffer, bytesRead);
    return { text: buffer.subarray(0, end).toString('utf8'), offset: start, nextOffset: start + end, size };
  } finally {
    await handle.close();
  }
}

/**
 * The length of the prefix of `buffer[0..length)` that ends on a whole UTF-8 character (a character cut
 * by the end of the slice, or still being written, is left for the next read).
 */
export function completeUtf8(buffer: Buffer, length: number): number {
  // Walk back over at most 3 continuation bytes to the lead byte of the last character.
  let i = length - 1;
  let continuation = 0;
  while (i >= 0 && continuation < 3 && (buffer[i]! & 0xc0) === 0x80) {
    i--;
    continuation++;
  }
  if (i < 0) return length;
  const lead = buffer[i]!;
  const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return length - i >= needed ? length : i;
}
