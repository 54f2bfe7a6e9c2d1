/**
 * {@link OutputPublisher}: masks a running job's output on the worker and sends it to the coordinator on
 * the execution's channel, in small batches (every 20 ms, or at 64 KiB), in order.
 *
 * Live output is best effort (Redis pub/sub): chunks sent while the coordinator is disconnected are
 * lost; the attempt's stdout and stderr (their last `outputLimit` bytes) always come with its result.
 * @module
 */

import type { OutputStream } from '../engine/task-executor.js';
import type { SecretMasker, StreamMasker } from '../env/masker.js';
import type { ExecutionMessage } from './payload.js';

const FLUSH_DELAY = 20;
const FLUSH_SIZE = 64 * 1024;

/** Sends one message; rejections are ignored (output is best effort). */
export type Publish = (text: string) => Promise<unknown>;

/** Batches and publishes one job's output. */
export class OutputPublisher {
  private batch: Array<{ s: OutputStream; c: string }> = [];
  private size = 0;
  private timer: NodeJS.Timeout | undefined;
  private last: Promise<unknown> = Promise.resolve();
  /** One masker per stream, made on its first chunk. */
  private readonly streams: Partial<Record<OutputStream, StreamMasker>> = {};

  constructor(
    private readonly jobId: string,
    private readonly publish: Publish,
    private readonly masker: SecretMasker,
  ) {}

  /** Takes a chunk of output (masked here, before it leaves the worker). */
  write(stream: OutputStream, chunk: string): void {
    this.streams[stream] ??= this.masker.createStream();
    this.add(stream, this.streams[stream].write(chunk));
  }

  /** Tells the coordinator that this job runs again after the workers of `runs` earlier runs died. */
  lost(runs: number): void {
    const message: ExecutionMessage = { k: 'lost', j: this.jobId, n: runs };
    this.last = this.publish(JSON.stringify(message)).catch(() => {});
  }

  /** Sends what is left, and resolves when every message is sent. */
  async close(): Promise<void> {
    for (const stream of ['stdout', 'stderr'] as const) this.add(stream, this.streams[stream]?.flush() ?? '');
    this.flush();
    await this.last;
  }

  private add(stream: OutputStream, text: string): void {
    if (text.length === 0) return;
    const tail = this.batch[this.batch.length - 1];
    if (tail && tail.s === stream) tail.c += text;
    else this.batch.push({ s: stream, c: text });
    this.size += text.length;
    if (this.size >= FLUSH_SIZE) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), FLUSH_DELAY);
      this.timer.unref();
    }
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const { s, c } of this.batch) {
      const message: ExecutionMessage = { k: 'out', j: this.jobId, s, c };
      this.last = this.publish(JSON.stringify(message)).catch(() => {});
    }
    this.batch = [];
    this.size = 0;
  }
}
