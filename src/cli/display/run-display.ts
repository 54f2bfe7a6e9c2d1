/**
 * {@link RunDisplay}: what `jorm run` shows while it runs — a listener of execution events — and
 * {@link createRunDisplay}, which picks the live view on a terminal and plain lines otherwise.
 * @module
 */

import type { ExecutionEvent } from '../../engine/events.js';
import type { Dag } from '../../model/dag.js';
import { useColor } from './format.js';
import { LiveDisplay } from './live.js';
import { PlainDisplay } from './plain.js';

/** A display of a running execution. */
export interface RunDisplay {
  onEvent(event: ExecutionEvent): void;
  /** Stops redrawing and leaves the terminal clean. */
  close(): void;
}

/** Shows nothing. */
export const silentDisplay: RunDisplay = { onEvent: () => undefined, close: () => undefined };

/** Options of {@link createRunDisplay}. */
export interface DisplayOptions {
  /** Show nothing (`--quiet`). */
  quiet: boolean;
  /** Force plain lines even on a terminal. */
  plain?: boolean;
}

/** The display for `stream`: live on a terminal (unless `CI` is set), plain lines otherwise. */
export function createRunDisplay(dag: Dag, stream: NodeJS.WriteStream, options: DisplayOptions): RunDisplay {
  if (options.quiet) return silentDisplay;
  const names = new Map<string, string>();
  for (const task of dag.tasks) if (task.name !== task.id) names.set(task.id, task.name);
  const color = useColor(stream);
  const live =
    stream.isTTY === true && !options.plain && !process.env['CI'] && process.env['TERM'] !== 'dumb';
  return live ? new LiveDisplay(stream, color, names, dag.size) : new PlainDisplay(stream, color, names);
}
