/**
 * Helpers of the distributed tests: the test Redis, fresh key prefixes, real `jorm worker` processes,
 * hand-built execution contexts, and a private `redis-server`.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, watch } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { Redis } from 'ioredis';
import type { ExecutionContext, OutputStream, TaskExecutor } from '../../src/engine/task-executor.js';
import { Task } from '../../src/model/task.js';
import { CLI_PATH } from '../helpers/cli.js';

/** The Redis of the tests. */
export const REDIS_URL = process.env['JORM_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** The executors module the test workers load. */
export const FIXTURE_EXECUTORS = resolve('test/fixtures/distributed/executors.mjs');

/**
 * `false` when Redis answers; otherwise the reason to skip, or a thrown error when every test must run
 * (`JORM_REQUIRE_ALL_TESTS=1`, as in CI).
 */
export async function redisSkip(url = REDIS_URL): Promise<false | string> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2000,
  });
  let cause = '';
  client.on('error', (error: Error) => {
    cause = error.message;
  });
  try {
    await client.connect();
    await client.ping();
    return false;
  } catch (error) {
    const why = cause || (error instanceof Error ? error.message : String(error));
    const reason = `Redis at ${url} does not answer (${why}); set JORM_TEST_REDIS_URL`;
    if (process.env['JORM_REQUIRE_ALL_TESTS'] === '1')
      throw new Error(`${reason} — JORM_REQUIRE_ALL_TESTS=1 forbids skipping`);
    return reason;
  } finally {
    client.disconnect();
  }
}

/** A prefix no other test uses. */
export function freshPrefix(): string {
  return `jt-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under a prefix. */
export async function deletePrefix(prefix: string, url = REDIS_URL): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/** A running `jorm worker` process. */
export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** The worker id from its ready line. */
  id: string;
  /** Everything it printed on stdout so far. */
  output(): string;
  /** Resolves with the first stdout line matching `re` (already printed or to come). */
  waitFor(re: RegExp): Promise<string>;
  /** Resolves with the exit code when it exits. */
  exited: Promise<number | null>;
  /** Kills it (SIGKILL unless told) and waits for it. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `jorm worker` with the fixture executors and waits until it listens. */
export async function startWorker(
  prefix: string,
  args: string[] = [],
  url = REDIS_URL,
  env: Record<string, string> = {},
): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    [CLI_PATH, 'worker', '--redis', url, '--prefix', prefix, '--register', FIXTURE_EXECUTORS, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } },
  );
  let out = '';
  let err = '';
  const waiters: Array<{ re: RegExp; resolve: (line: string) => void }> = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      const line = out.split('\n').find((l) => w.re.test(l));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    check();
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  const waitFor = (re: RegExp): Promise<string> =>
    new Promise<string>((res, rej) => {
      waiters.push({ re, resolve: res });
      check();
      void exited.then((code) =>
        rej(new Error(`worker exited (${code}) before printing ${re}:\n${out}\n${err}`)),
      );
    });
  const ready = await waitFor(/^jorm worker ready: id=(\S+)/);
  const id = /id=(\S+)/.exec(ready)?.[1] ?? '';
  return {
    child,
    pid: child.pid ?? 0,
    id,
    output: () => out,
    waitFor,
    exited,
    stop: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Output collected from `onOutput`. */
export interface OutputLog {
  chunks: Array<{ stream: OutputStream; chunk: string }>;
  text(stream: OutputStream): string;
  /** Resolves when the stream's text so far contains `needle`. */
  waitFor(stream: OutputStream, needle: string): Promise<void>;
}

/** A hand-built execution context, with its controller and an output log. */
export function makeContext(
  taskId: string,
  overrides: Partial<ExecutionContext> & { secrets?: string[] } = {},
): { context: ExecutionContext; controller: AbortController; log: OutputLog } {
  const controller = new AbortController();
  const chunks: OutputLog['chunks'] = [];
  const waiters: Array<{ stream: OutputStream; needle: string; resolve: () => void }> = [];
  const text = (stream: OutputStream): string =>
    chunks
      .filter((c) => c.stream === stream)
      .map((c) => c.chunk)
      .join('');
  const log: OutputLog = {
    chunks,
    text,
    waitFor: (stream, needle) =>
      new Promise<void>((res) => {
        if (text(stream).includes(needle)) res();
        else waiters.push({ stream, needle, resolve: res });
      }),
  };
  const secrets = overrides.secrets ?? [];
  const environment: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) environment[k] = v;
  const { secrets: _ignored, ...rest } = overrides;
  const context: ExecutionContext = {
    executionId: `01TEST${randomBytes(10).toString('hex').toUpperCase()}`,
    dagId: 'dag',
    taskId,
    attempt: 1,
    environment,
    workingDirectory: process.cwd(),
    signal: controller.signal,
    upstream: {},
    onOutput: (stream, chunk) => {
      chunks.push({ stream, chunk });
      for (const w of [...waiters]) {
        if (text(w.stream).includes(w.needle)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    },
    outputLimit: 1024 * 1024,
    killGracePeriod: 1000,
    mask: (t) => secrets.reduce((acc, s) => acc.split(s).join('***'), t),
    ...rest,
  };
  return { context, controller, log };
}

/** A port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => res(port));
    });
    server.on('error', rej);
  });
}

/** A private `redis-server` that keeps nothing on disk. */
export interface PrivateRedis {
  url: string;
  port: number;
  /** Stops it (SIGTERM) and waits for the exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
}

/** Starts a `redis-server` on a free port and waits until it accepts connections. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = (): Promise<void> =>
    new Promise<void>((res, rej) => {
      const proc = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      child = proc;
      let out = '';
      proc.stdout?.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (out.includes('Ready to accept connections')) res();
      });
      proc.on('error', rej);
      proc.on('exit', (code) => rej(new Error(`redis-server exited (${code}):\n${out}`)));
    });
  await start();
  const stop = async (): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((res) => {
      proc.on('exit', () => res());
      proc.kill('SIGTERM');
    });
  };
  return { url: `redis://127.0.0.1:${port}`, port, stop, restart: start };
}

export { startJorm } from '../helpers/cli.js';
export { isAlive, waitForPid } from '../helpers/processes.js';

/** Resolves when `file` exists (watching its directory; rejects after `limit` ms as a safety net). */
export function waitForFile(file: string, limit = 60_000): Promise<void> {
  return new Promise((res, rej) => {
    const dir = dirname(file);
    const watcher = watch(dir);
    const done = (error?: Error): void => {
      clearTimeout(timer);
      watcher.close();
      if (error) rej(error);
      else res();
    };
    const timer = setTimeout(() => done(new Error(`${file} did not appear within ${limit} ms`)), limit);
    watcher.on('change', () => {
      if (existsSync(file)) done();
    });
    if (existsSync(file)) done();
  });
}

/** A task of the fixture executor `fixture-shell` (test/fixtures/distributed), routed by `tags`. */
export function shellTask(id: string, command: string, tags: string[] = []): Task {
  const task = new Task(id, id, 'fixture-shell', { kind: 'custom', values: { command } });
  task.tags = tags;
  return task;
}

/** The executor argument of `BullMQBackend.runAttempt`, which a remote backend does not call. */
export const unused = {} as TaskExecutor;
