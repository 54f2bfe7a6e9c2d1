/**
 * {@link LogFiles}: the full stdout/stderr of every attempt, as files beside the database:
 * `<log dir>/<execution>/<task>.<attempt>.out` and `.err`. The database keeps only a capped tail.
 * @module
 */

import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { OutputStream } from '../engine/task-executor.js';

/** Where a file name may hold a task id as is; other characters are percent-encoded. */
const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** A task id as a file name part (percent-encoding anything but letters, digits, `.`, `_`, `-`). */
export function fileNameOf(taskId: string): string {
  if (SAFE_NAME.test(taskId)) return taskId;
  return [...Buffer.from(taskId, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9_-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** A slice of a log file. */
export interface LogChunk {
  /** The text read. */
  text: string;
  /** Where the next read should start (bytes). */
  nextOffset: number;
  /** Size of the file when read (bytes); 0 when there is none. */
  size: number;
  /** Whether the file exists. */
  exists: boolean;
}

/** The open files of one attempt. */
interface OpenAttempt {
  stdout?: number;
  stderr?: number;
  /** Characters appended so far, per stream. */
  stdoutChars?: number;
  stderrChars?: number;
}

/** Writes and reads the log files under one directory. Without a directory, it keeps nothing. */
export class LogFiles {
  /** Open files by `execution \0 task \0 attempt`. */
  private readonly open = new Map<string, OpenAttempt>();
  private readonly madeDirs = new Set<string>();

  constructor(
    /** The log directory, or `undefined` to keep no files (in-memory databases). */
    readonly directory: string | undefined,
  ) {}

  /** The folder of an execution's logs. */
  executionDir(executionId: string): string | undefined {
    return this.directory === undefined ? undefined : join(this.directory, executionId);
  }

  /** The path of one attempt's stream. */
  pathOf(executionId: string, taskId: string, attempt: number, stream: OutputStream): string | undefined {
    const dir = this.executionDir(executionId);
    if (dir === undefined) return undefined;
    return join(dir, `${fileNameOf(taskId)}.${attempt}.${stream === 'stdout' ? 'out' : 'err'}`);
  }

  /** Appends a chunk to an attempt's stream, creating the file on the first chunk. */
  append(executionId: string, taskId: string, attempt: number, stream: OutputStream, chunk: string): void {
    if (this.directory === undefined || chunk.length === 0) return;
    const key = `${executionId}\u0000${taskId}\u0000${attempt}`;
    let files = this.open.get(key);
    if (!files) {
      files = {};
      this.open.set(key, files);
    }
    let fd = files[stream];
    if (fd === undefined) {
      const dir = this.executionDir(executionId)!;
      if (!this.madeDirs.has(dir)) {
        mkdirSync(dir, { recursive: true });
        this.madeDirs.add(dir);
      }
      fd = openSync(this.pathOf(executionId, taskId, attempt, stream)!, 'a');
      files[stream] = fd;
    }
    writeSync(fd, chunk);
    if (stream === 'stdout') files.stdoutChars = (files.stdoutChars ?? 0) + chunk.length;
    else files.stderrChars = (files.stderrChars ?? 0) + chunk.length;
  }

  /**
   * Writes an attempt's output from its result: the whole stream when nothing was streamed for it
   * (executors that do not stream); else, when `whole` (the text is not cut at its front), the rest of a
   * file that holds only its beginning: output streamed live can miss its end (a remote task whose live
   * messages were lost while Redis was away, though its result brought all of it back).
   */
  writeFromResult(
    executionId: string,
    taskId: string,
    attempt: number,
    stream: OutputStream,
    text: string,
    whole = true,
  ): void {
    if (this.directory === undefined || text.length === 0) return;
    const files = this.open.get(`${executionId}\u0000${taskId}\u0000${attempt}`);
    const path = this.pathOf(executionId, taskId, attempt, stream)!;
    if (files?.[stream] === undefined) {
      if (!existsSync(path)) this.append(executionId, taskId, attempt, stream, text);
      return;
    }
    const written = (stream === 'stdout' ? files.stdoutChars : files.stderrChars) ?? 0;
    // Rare: read back what was written, and append only when it is where `text` starts.
    if (whole && written < text.length && text.startsWith(readFileSync(path, 'utf8'))) {
      this.append(executionId, taskId, attempt, stream, text.slice(written));
    }
  }

  /** Closes the files of one attempt. */
  closeAttempt(executionId: string, taskId: string, attempt: number): void {
    const key = `${executionId}\u0000${taskId}\u0000${attempt}`;
    const files = this.open.get(key);
    if (!files) return;
    this.open.delete(key);
    if (files.stdout !== undefined) closeSync(files.stdout);
    if (files.stderr !== undefined) closeSync(files.stderr);
  }

  /** Closes every open file. */
  closeAll(): void {
    for (const files of this.open.values()) {
      if (files.stdout !== undefined) closeSync(files.stdout);
      if (files.stderr !== undefined) closeSync(files.stderr);
    }
    this.open.clear();
  }

  /** Deletes an execution's log folder. */
  removeExecution(executionId: string): void {
    const dir = this.executionDir(executionId);
    if (dir === undefined) return;
    rmSync(dir, { recursive: true, force: true });
    this.madeDirs.delete(dir);
  }
}

/**
 * Reads a log file from `offset` (bytes), at most `maxBytes`. A negative offset counts from the end
 * (`-4096`: the last 4 KiB). A missing file reads as empty.
 */
export function readLogFile(path: string, offset = 0, maxBytes = 16 * 1024 * 1024): LogChunk {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return { text: '', nextOffset: Math.max(0, offset), size: 0, exists: false };
  }
  let start = offset < 0 ? Math.max(0, size + offset) : Math.min(offset, size);
  const length = Math.min(maxBytes, size - start);
  if (length <= 0) return { text: '', nextOffset: start, size, exists: true };
  const buffer = Buffer.alloc(length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, length, start);
  } finally {
    closeSync(fd);
  }
  // Do not split a UTF-8 character: stop before an incomplete one at the end, start after one at the start.
  let begin = 0;
  if (offset < 0) while (begin < length && ((buffer[begin] ?? 0) & 0xc0) === 0x80) begin++;
  let end = length;
  let back = end - 1;
  while (back >= begin && ((buffer[back] ?? 0) & 0xc0) === 0x80) back--;
  if (back >= begin) {
    const lead = buffer[back] ?? 0;
    const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (end - back < need) end = back;
  }
  start += begin;
  return {
    text: buffer.subarray(begin, end).toString('utf8'),
    nextOffset: start + (end - begin),
    size,
    exists: true,
  };
}
