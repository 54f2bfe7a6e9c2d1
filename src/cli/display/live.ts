/**
 * {@link LiveDisplay}: the terminal view of a run — notable events as permanent lines, and below them a
 * block redrawn in place: counts, elapsed time and the running tasks with their own elapsed time.
 * @module
 */

import type { ExecutionEvent } from '../../engine/events.js';
import { formatDuration } from '../../model/duration.js';
import { monotonicMs } from '../../process/clock.js';
import { type Painter, painter, plural, truncate } from './format.js';
import type { RunDisplay } from './run-display.js';
import { eventLine } from './task-line.js';

/** Running tasks listed in the block at most. */
const MAX_LISTED = 8;
/** ms between redraws. */
const REDRAW_INTERVAL = 100;
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Counts of finished tasks by outcome. */
interface Counts {
  succeeded: number;
  failed: number;
  skipped: number;
  cancelled: number;
}

/** Redraws the state of the run in place on a terminal. */
export class LiveDisplay implements RunDisplay {
  private readonly paint: Painter;
  private readonly started = monotonicMs();
  private readonly running = new Map<string, number>();
  private readonly counts: Counts = { succeeded: 0, failed: 0, skipped: 0, cancelled: 0 };
  private readonly pending: string[] = [];
  private drawnLines = 0;
  private frame = 0;
  private held: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly out: NodeJS.WriteStream,
    color: boolean,
    private readonly names: ReadonlyMap<string, string>,
    private total: number,
  ) {
    this.paint = painter(color);
    this.out.write('\x1b[?25l');
    this.timer = setInterval(() => this.draw(), REDRAW_INTERVAL);
    this.timer.unref();
  }

  onEvent(event: ExecutionEvent): void {
    if (this.closed) return;
    switch (event.type) {
      case 'execution_started':
        this.total = event.taskCount;
        this.counts.succeeded += event.keptTaskIds?.length ?? 0;
        break;
      case 'task_started':
        this.running.set(event.taskId, monotonicMs());
        break;
      case 'task_retrying':
        this.running.delete(event.taskId);
        break;
      case 'task_finished': {
        this.running.delete(event.taskId);
        const status = event.result.status;
        if (status === 'success') this.counts.succeeded++;
        else if (status === 'skipped') this.counts.skipped++;
        else if (status === 'cancelled') this.counts.cancelled++;
        else this.counts.failed++;
        break;
      }
      case 'throttle':
        this.held = event.state === 'holding' ? event.reason : undefined;
        break;
      default:
        break;
    }
    const notable =
      event.type === 'task_retrying' ||
      event.type === 'throttle' ||
      event.type === 'execution_started' ||
      (event.type === 'task_finished' && event.result.status !== 'success');
    if (notable) {
      const line = eventLine(event, this.paint, this.names);
      if (line !== undefined) this.pending.push(line);
      this.draw();
    }
  }

  private block(width: number): string[] {
    const c = this.counts;
    const done = c.succeeded + c.failed + c.skipped + c.cancelled;
    const elapsed = formatDuration(monotonicMs() - this.started);
    const spinner = this.paint('cyan', SPINNER[this.frame++ % SPINNER.length]!);
    const parts = [`${done}/${this.total} done`, `${this.running.size} running`];
    if (c.failed > 0) parts.push(this.paint('red', `${c.failed} failed`));
    if (c.skipped > 0) parts.push(this.paint('yellow', `${c.skipped} skipped`));
    if (c.cancelled > 0) parts.push(this.paint('yellow', `${c.cancelled} cancelled`));
    const lines = [`${spinner} ${parts.join(' · ')} · ${elapsed}`];
    if (this.held) lines.push(this.paint('yellow', truncate(`  holding: ${this.held}`, width)));
    const now = monotonicMs();
    let listed = 0;
    for (const [id, since] of this.running) {
      if (listed++ === MAX_LISTED) {
        lines.push(this.paint('dim', `  … ${plural(this.running.size - MAX_LISTED, 'more task')}`));
        break;
      }
      const text = truncate(`  ${this.names.get(id) ?? id}`, Math.max(10, width - 12));
      lines.push(`${text} ${this.paint('dim', formatDuration(now - since))}`);
    }
    return lines;
  }

  private draw(): void {
    if (this.closed) return;
    const width = this.out.columns || 80;
    let text = this.drawnLines > 0 ? `\x1b[${this.drawnLines}A\r\x1b[0J` : '\r\x1b[0J';
    for (const line of this.pending.splice(0)) text += `${line}\n`;
    const lines = this.block(width);
    text += `${lines.join('\n')}\n`;
    this.drawnLines = lines.length;
    this.out.write(text);
  }

  close(): void {
    if (this.closed) return;
    this.draw();
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const erase = this.drawnLines > 0 ? `\x1b[${this.drawnLines}A\r\x1b[0J` : '';
    this.out.write(`${erase}\x1b[?25h`);
  }
}
