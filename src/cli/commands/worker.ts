/**
 * `jorm worker`: runs tasks of distributed executions, taken from BullMQ queues on Redis.
 * @module
 */

import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { TaskRegistry } from '../../engine/registry.js';
import '../../executors/defaults.js';
import { DEFAULT_PREFIX, DEFAULT_QUEUE_NAME } from '../../distributed/keys.js';
import { DEFAULT_REDIS_URL, redactRedisUrl } from '../../distributed/redis.js';
import { loadExecutorModules } from '../../distributed/register-modules.js';
import { distributedSettingsFromEnv, parseDurationSetting } from '../../distributed/settings.js';
import { JormWorker } from '../../distributed/worker.js';
import type { WorkerEvent } from '../../distributed/worker-events.js';
import { formatDuration } from '../../model/duration.js';
import { jormVersion } from '../../version.js';
import { CliExit, ExitCode } from '../exit-codes.js';
import { registerCommand } from '../program.js';
import { ignoreBrokenTerminal } from '../run/interrupts.js';

interface WorkerFlags {
  redis?: string;
  queue?: string;
  prefix?: string;
  concurrency?: string;
  tags?: string;
  register: string[];
  workdir?: string;
  lockDuration?: string;
  stalledInterval?: string;
  maxStalled?: string;
  heartbeat?: string;
  quiet?: boolean;
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new CliExit(ExitCode.InvalidInput, `jorm: ${flag} must be a positive whole number, got "${value}"`);
  return n;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function printer(quiet: boolean): (event: WorkerEvent) => void {
  let lastError = '';
  let lastErrorAt = 0;
  return (event) => {
    switch (event.type) {
      case 'ready':
        process.stdout.write(
          `jorm worker ready: id=${event.id} queues=${event.queues.join(',')} concurrency=${event.concurrency}\n`,
        );
        break;
      case 'job_started':
        if (!quiet)
          process.stdout.write(
            `started  ${event.taskId} (attempt ${event.attempt}, execution ${event.executionId}, job ${event.jobId})\n`,
          );
        break;
      case 'job_finished': {
        if (quiet) break;
        const how = event.aborted ? `stopped (${event.aborted})` : event.status;
        process.stdout.write(
          `finished ${event.taskId}: ${how} in ${formatDuration(event.duration)} (job ${event.jobId})\n`,
        );
        break;
      }
      case 'connection':
        process.stderr.write(
          event.state === 'down'
            ? 'jorm worker: lost the connection to Redis, reconnecting\n'
            : 'jorm worker: connected to Redis\n',
        );
        break;
      case 'error': {
        const now = Date.now();
        if (event.message === lastError && now - lastErrorAt < 10_000) break;
        lastError = event.message;
        lastErrorAt = now;
        process.stderr.write(`jorm worker: ${event.message}\n`);
        break;
      }
    }
  };
}

async function runWorker(flags: WorkerFlags): Promise<void> {
  const env = distributedSettingsFromEnv();
  const connection = flags.redis ?? env.redisUrl ?? DEFAULT_REDIS_URL;
  const registry = TaskRegistry.withDefaultExecutors();
  if (flags.register.length > 0) await loadExecutorModules(registry, flags.register);
  const worker = new JormWorker({
    connection,
    queues: flags.queue ? list(flags.queue) : [env.queueName ?? DEFAULT_QUEUE_NAME],
    prefix: flags.prefix ?? env.prefix ?? DEFAULT_PREFIX,
    concurrency: flags.concurrency ? positiveInt(flags.concurrency, '--concurrency') : availableParallelism(),
    tags: list(flags.tags),
    registry,
    ...(flags.workdir ? { workingDirectory: flags.workdir } : {}),
    ...(flags.lockDuration
      ? { lockDuration: parseDurationSetting(flags.lockDuration, '--lock-duration') }
      : {}),
    ...(flags.stalledInterval
      ? { stalledInterval: parseDurationSetting(flags.stalledInterval, '--stalled-interval') }
      : {}),
    ...(flags.maxStalled ? { maxStalledCount: positiveInt(flags.maxStalled, '--max-stalled') } : {}),
    ...(flags.heartbeat ? { heartbeatInterval: parseDurationSetting(flags.heartbeat, '--heartbeat') } : {}),
    ...(env.payloadKey ? { payloadKey: env.payloadKey } : {}),
    version: jormVersion(),
    onEvent: printer(flags.quiet === true),
  });
  let signals = 0;
  let stopped!: () => void;
  const done = new Promise<void>((resolve) => {
    stopped = resolve;
  });
  // Closing talks to Redis (the queues, the heartbeat): when Redis does not answer, it never ends, and
  // a worker that cannot be stopped but with SIGKILL is a worker nobody wants to run.
  const exitAfter = (ms: number): void => {
    setTimeout(() => {
      process.stderr.write(`jorm worker: Redis did not let the worker close within ${ms / 1000}s; exiting\n`);
      process.exit(ExitCode.Interrupted);
    }, ms).unref();
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signal === 'SIGHUP') ignoreBrokenTerminal();
    signals++;
    if (signals === 1) {
      process.stderr.write(
        `jorm worker: ${signal}: finishing running tasks (${signal} again hands them back to the queue)\n`,
      );
      worker.close().then(stopped, stopped);
      // Nothing to finish: the close is only goodbyes to Redis.
      if (worker.info().running.length === 0) exitAfter(CLOSE_WAIT_MS);
    } else {
      process.stderr.write(`jorm worker: ${signal}: stopping running tasks and handing their jobs back\n`);
      void worker.close({ handBack: true });
      exitAfter(CLOSE_WAIT_MS);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  try {
    process.stderr.write(`jorm worker: connecting to ${redactRedisUrl(connection)}\n`);
    await worker.start();
    await done;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
}

/** How long a stopping worker waits for Redis to let it close before it exits anyway, ms. */
const CLOSE_WAIT_MS = 5000;

registerCommand((program: Command) => {
  program
    .command('worker')
    .description('run tasks of distributed executions (jorm run --backend bullmq), taken from Redis queues')
    .option('--redis <url>', `Redis URL (env JORM_REDIS_URL; default ${DEFAULT_REDIS_URL})`)
    .option(
      '--queue <names>',
      `base queue name(s), comma-separated (env JORM_QUEUE; default ${DEFAULT_QUEUE_NAME})`,
    )
    .option(
      '--prefix <prefix>',
      `Redis key prefix, as on the coordinator (env JORM_REDIS_PREFIX; default ${DEFAULT_PREFIX})`,
    )
    .option('--concurrency <n>', 'tasks run at once (default: the number of CPU cores)')
    .option('--tags <tags>', "this worker's tags, comma-separated: it takes tasks whose tags it all has")
    .option(
      '--register <module>',
      'load executors from a module (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--workdir <dir>', "run tasks in this directory instead of the coordinator's")
    .option(
      '--lock-duration <duration>',
      'a job whose worker stops renewing its lock this long is re-run elsewhere (default 30s)',
    )
    .option('--stalled-interval <duration>', 'how often to look for jobs of dead workers (default 30s)')
    .option('--max-stalled <n>', 'times a job may lose its worker and run again (default 1)')
    .option('--heartbeat <duration>', 'heartbeat interval (default 5s)')
    .option('-q, --quiet', 'do not print a line per task')
    .action(async (flags: WorkerFlags) => {
      await runWorker(flags);
    });
});
