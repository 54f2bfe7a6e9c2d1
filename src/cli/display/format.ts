/**
 * Small formatting helpers of the run display: colors (only on a terminal, never with `NO_COLOR`),
 * status words, padding and truncation.
 * @module
 */

import { formatDuration } from '../../model/duration.js';
import type { TaskStatus } from '../../model/result.js';

/** ANSI styles used by the display. */
export type Style = 'red' | 'green' | 'yellow' | 'cyan' | 'dim' | 'bold';

const CODES: Record<Style, [number, number]> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
};

/** Whether to color output written to `stream`. */
export function useColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return stream.isTTY === true && env['TERM'] !== 'dumb';
}

/** A function that styles text, or returns it unchanged when color is off. */
export type Painter = (style: Style, text: string) => string;

/** The painter for color on or off. */
export function painter(color: boolean): Painter {
  if (!color) return (_style, text) => text;
  return (style, text) => `\x1b[${CODES[style][0]}m${text}\x1b[${CODES[style][1]}m`;
}

/** The style of a task status. */
export function statusStyle(status: TaskStatus): Style {
  switch (status) {
    case 'success':
      return 'green';
    case 'failed':
    case 'timed_out':
      return 'red';
    case 'skipped':
    case 'cancelled':
      return 'yellow';
    case 'pending':
    case 'running':
      return 'cyan';
  }
}

/** A status as people read it (`timed out`). */
export function statusWord(status: TaskStatus): string {
  return status === 'timed_out' ? 'timed out' : status;
}

/** Milliseconds as a short duration, `-` when unknown. */
export function duration(ms: number | undefined): string {
  return ms === undefined ? '-' : formatDuration(ms);
}

/** Elapsed time since the start, as `[  12.3s]`. */
export function stamp(ms: number): string {
  return `[${(ms / 1000).toFixed(1).padStart(6)}s]`;
}

/** Cuts `text` to `width` visible characters (it must hold no escape codes). */
export function truncate(text: string, width: number): string {
  if (width <= 1 || text.length <= width) return text;
  return `${text.slice(0, width - 1)}…`;
}

/** `n word` with an `s` when n is not 1. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
