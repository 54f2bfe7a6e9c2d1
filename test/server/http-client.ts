/**
 * A tiny HTTP client for the server tests, on `node:http` (unlike fetch, it can send any `Host` or
 * `Origin` header).
 */

import http from 'node:http';

/** A response with its body parsed as JSON when it is JSON. */
export interface TestResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected freely
  json: any;
}

/** Options of {@link request}. */
export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON (with its content type); a string as is. */
  body?: unknown;
}

/** Sends one request for `path` (sent verbatim) to the server at `base`. */
export function request(base: string, path: string, options: RequestOptions = {}): Promise<TestResponse> {
  const url = new URL(base);
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (typeof options.body === 'string') body = options.body;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  return new Promise((resolve, reject) => {
    // The path is sent as written (no normalisation of `..`), as a hostile client could.
    const target = { hostname: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers };
    const req = http.request(target, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** One Server-Sent Event. */
export interface SseEvent {
  event: string;
  // biome-ignore lint/suspicious/noExplicitAny: event payloads are inspected freely
  data: any;
}

/** An open event stream; `next(name)` resolves with the next event of that name. */
export interface SseReader {
  next(name?: string): Promise<SseEvent>;
  close(): void;
}

/** Opens an event stream. */
export function openSse(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<SseReader> {
  return new Promise((resolve, reject) => {
    const queue: SseEvent[] = [];
    const waiters: { name: string | undefined; resolve: (e: SseEvent) => void }[] = [];
    // Waiters are served in order; events before the one a waiter wants are dropped.
    const deliver = (): void => {
      for (;;) {
        const w = waiters[0];
        if (!w) return;
        const index = queue.findIndex((e) => w.name === undefined || e.event === w.name);
        if (index === -1) return;
        const event = queue[index]!;
        queue.splice(0, index + 1);
        waiters.shift();
        w.resolve(event);
      }
    };
    const req = http.get(
      new URL(path, base),
      { headers: { accept: 'text/event-stream', ...headers } },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`event stream answered ${res.statusCode}`));
          res.resume();
          return;
        }
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end = buffer.indexOf('\n\n');
          while (end !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let event = 'message';
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith('event: ')) event = line.slice(7);
              else if (line.startsWith('data: ')) data += line.slice(6);
            }
            if (data) queue.push({ event, data: JSON.parse(data) });
            end = buffer.indexOf('\n\n');
          }
          deliver();
        });
        resolve({
          next(name) {
            return new Promise((r) => {
              waiters.push({
                name,
                resolve: r,
              });
              deliver();
            });
          },
          close() {
            req.destroy();
          },
        });
      },
    );
    req.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
  });
}
