/**
 * {@link PlainDisplay}: one line per task event, for logs, CI and pipes.
 * @module
 */

import type { ExecutionEvent } from '../../engine/events.js';
import { monotonicMs } from '../../process/clock.js';
import { painter, stamp } from './format.js';
import type { RunDisplay } from './run-display.js';
import { eventLine } from './task-line.js';

/** Writes one timestamped line per notable event. */
export class PlainDisplay implements RunDisplay {
  private readonly paint;
  private readonly started = monotonicMs();

  constructor(
    private readonly out: NodeJS.WritableStream,
    color: boolean,
    private readonly names: ReadonlyMap<string, string>,
  ) {
    this.paint = painter(color);
  }

  onEvent(event: ExecutionEvent): void {
    const line = eventLine(event, this.paint, this.names);
    if (line === undefined) return;
    const prefix = event.type === 'execution_started' ? '' : `${stamp(monotonicMs() - this.started)} `;
    this.out.write(`${prefix}${line}\n`);
  }

  close(): void {}
}
