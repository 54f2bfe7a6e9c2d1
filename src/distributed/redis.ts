/**
 * Redis connections: creating clients from a `redis://` URL, keeping passwords out of messages, and
 * watching a connection for outages ({@link ConnectionWatch}).
 * @module
 */

import type { Redis, RedisOptions } from 'ioredis';
import { ioredisLib } from '../libraries.js';
import { ConfigurationError } from '../model/errors.js';

/** The default Redis URL. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Checks a Redis URL (`redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS). */
export function checkRedisUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigurationError(
      `"${redactRedisUrl(url)}" is not a Redis URL: write redis://HOST:PORT (e.g. ${DEFAULT_REDIS_URL})`,
      'redis',
      redactRedisUrl(url),
    );
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ConfigurationError(
      `"${redactRedisUrl(url)}" is not a Redis URL: it must start with redis:// or rediss://`,
      'redis',
      redactRedisUrl(url),
    );
  }
  return url;
}

/** The URL with its password replaced by `***`, for messages. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^@/]*)@/, '//***@');
  }
}

/** Options of {@link createRedisClient}. */
export interface RedisClientOptions {
  /** Called with connection errors (the client keeps reconnecting). */
  onError?: (error: Error) => void;
  /** Connection name shown by `CLIENT LIST`. */
  name?: string;
  /** Send the commands of one event-loop turn in one write (fewer system calls under load). */
  autoPipelining?: boolean;
  /** Give up after a few connection attempts and fail commands instead of queueing them (for one-shot commands). */
  failFast?: boolean;
}

/**
 * A client that reconnects forever (every 0.2–2 s) and keeps commands queued while disconnected, as
 * BullMQ needs; callers bound the wait themselves (see {@link ConnectionWatch}). With `failFast`, a client
 * for one-shot commands that fails when Redis does not answer.
 */
export function createRedisClient(url: string, options: RedisClientOptions = {}): Redis {
  const redisOptions: RedisOptions = options.failFast
    ? {
        maxRetriesPerRequest: 1,
        connectTimeout: 3000,
        retryStrategy: (times) => (times > 2 ? null : 200),
      }
    : {
        maxRetriesPerRequest: null,
        enableReadyCheck: true,
        retryStrategy: (times) => Math.min(200 * times, 2000),
      };
  if (options.name) redisOptions.connectionName = options.name;
  if (options.autoPipelining) redisOptions.enableAutoPipelining = true;
  const client = new (ioredisLib().Redis)(checkRedisUrl(url), redisOptions);
  client.on('error', (error: Error) => options.onError?.(error));
  return client;
}

/** Listeners of a {@link ConnectionWatch}. */
export interface ConnectionWatchListener {
  /** The connection was lost. */
  down?(): void;
  /** The connection is back after an outage. */
  up?(downFor: number): void;
  /** The connection has been down for longer than the limit. */
  expired?(downFor: number): void;
}

/**
 * Watches one client: tells when it goes down, when it is back, and when an outage lasts longer than
 * `limit` ms.
 */
export class ConnectionWatch {
  private downSince: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private expiredFlag = false;
  private readonly onClose = (): void => this.markDown();
  private readonly onReady = (): void => this.markUp();

  constructor(
    private readonly client: Redis,
    private readonly limit: number,
    private readonly listener: ConnectionWatchListener,
  ) {
    client.on('close', this.onClose);
    client.on('end', this.onClose);
    client.on('ready', this.onReady);
    if (client.status !== 'ready') this.markDown();
  }

  /** Whether the connection is down now. */
  get isDown(): boolean {
    return this.downSince !== undefined;
  }

  /** Whether the current outage has lasted longer than the limit. */
  get expired(): boolean {
    return this.expiredFlag;
  }

  /** ms since the connection went down (0 when up). */
  get downFor(): number {
    return this.downSince === undefined ? 0 : Date.now() - this.downSince;
  }

  private markDown(): void {
    if (this.downSince !== undefined) return;
    this.downSince = Date.now();
    this.listener.down?.();
    this.timer = setTimeout(() => {
      this.expiredFlag = true;
      this.listener.expired?.(this.downFor);
    }, this.limit);
    this.timer.unref();
  }

  private markUp(): void {
    if (this.downSince === undefined) return;
    const downFor = this.downFor;
    this.downSince = undefined;
    this.expiredFlag = false;
    clearTimeout(this.timer);
    this.listener.up?.(downFor);
  }

  /** Stops watching. */
  stop(): void {
    clearTimeout(this.timer);
    this.client.off('close', this.onClose);
    this.client.off('end', this.onClose);
    this.client.off('ready', this.onReady);
  }
}
