/**
 * {@link ExecutionChannels}: the coordinator's subscriptions to execution channels, one per execution
 * with attempts in flight, dropped a while after its last attempt ended (a retry or the next task of the
 * same execution usually comes soon).
 * @module
 */

import type { Redis } from 'ioredis';
import type { JormKeys } from './keys.js';

/** How long a channel stays subscribed after the last attempt of its execution ended, ms. */
const LINGER = 60_000;

interface Channel {
  subscribed: Promise<unknown>;
  users: number;
  timer: NodeJS.Timeout | undefined;
}

/** Subscriptions by execution id. */
export class ExecutionChannels {
  private readonly channels = new Map<string, Channel>();

  constructor(
    private readonly subscriber: Redis,
    private readonly keys: JormKeys,
    /** Called when an execution's channel is dropped. */
    private readonly onDrop: (executionId: string) => void = () => {},
  ) {}

  /** Subscribes (once) for an attempt of the execution; resolves when the subscription is active. */
  acquire(executionId: string): Promise<unknown> {
    let channel = this.channels.get(executionId);
    if (!channel) {
      const subscribed = this.subscriber.subscribe(this.keys.executionChannel(executionId));
      channel = { subscribed, users: 0, timer: undefined };
      this.channels.set(executionId, channel);
      subscribed.catch(() => this.channels.delete(executionId));
    }
    clearTimeout(channel.timer);
    channel.timer = undefined;
    channel.users++;
    return channel.subscribed;
  }

  /** The attempt ended; the channel is dropped after a while without attempts. */
  release(executionId: string): void {
    const channel = this.channels.get(executionId);
    if (!channel) return;
    channel.users = Math.max(0, channel.users - 1);
    if (channel.users > 0) return;
    channel.timer = setTimeout(() => {
      if (this.channels.get(executionId) !== channel || channel.users > 0) return;
      this.channels.delete(executionId);
      this.onDrop(executionId);
      this.subscriber.unsubscribe(this.keys.executionChannel(executionId)).catch(() => {});
    }, LINGER);
    channel.timer.unref();
  }

  /** Stops every linger timer (the subscriber connection is closed by its owner). */
  clear(): void {
    for (const channel of this.channels.values()) clearTimeout(channel.timer);
    this.channels.clear();
  }
}
