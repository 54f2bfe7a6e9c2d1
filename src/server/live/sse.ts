/**
 * Server-Sent Events: {@link openEventStream} turns a response into an event stream with a comment
 * heartbeat (so proxies and idle timeouts keep it open) and ends it when the client goes away.
 * @module
 */

import type { ServerResponse } from 'node:http';

/** How often a heartbeat comment is sent. @defaultValue 15000 */
export const HEARTBEAT_INTERVAL = 15_000;

/** One open event stream. */
export interface EventStream {
  /** Sends one event with a JSON payload. Returns false once the stream is closed. */
  send(event: string, data: unknown): boolean;
  /** Ends the stream. */
  close(): void;
  /** Aborted when the stream ends (client gone, server closing, or {@link EventStream.close}). */
  readonly signal: AbortSignal;
}

/** Starts an event stream on `res`; it ends when `signal` aborts or the client disconnects. */
export function openEventStream(
  res: ServerResponse,
  signal: AbortSignal,
  headers: Record<string, string> = {},
): EventStream {
  const controller = new AbortController();
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write('retry: 2000\n\n');
  const heartbeat = setInterval(() => {
    if (!res.writableEnded) res.write(': keep-alive\n\n');
  }, HEARTBEAT_INTERVAL);
  heartbeat.unref();
  const close = (): void => {
    if (controller.signal.aborted) return;
    clearInterval(heartbeat);
    signal.removeEventListener('abort', close);
    controller.abort();
    if (!res.writableEnded) res.end();
  };
  signal.addEventListener('abort', close, { once: true });
  res.on('close', close);
  return {
    signal: controller.signal,
    close,
    send(event, data) {
      if (controller.signal.aborted || res.writableEnded) return false;
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      return true;
    },
  };
}
