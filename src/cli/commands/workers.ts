/**
 * `jorm workers`: lists the live workers (from their heartbeats in Redis).
 * @module
 */

import type { Command } from 'commander';
import { listWorkers, type WorkerInfo } from '../../distributed/heartbeat.js';
import { DEFAULT_PREFIX, JormKeys } from '../../distributed/keys.js';
import { createRedisClient, DEFAULT_REDIS_URL, redactRedisUrl } from '../../distributed/redis.js';
import { distributedSettingsFromEnv } from '../../distributed/settings.js';
import { formatDuration } from '../../model/duration.js';
import { errorMessage } from '../../model/errors.js';
import { CliExit, ExitCode } from '../exit-codes.js';
import { registerCommand } from '../program.js';

interface WorkersFlags {
  redis?: string;
  prefix?: string;
  json?: boolean;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '))
    .join('\n');
}

function render(workers: WorkerInfo[], now: number): string {
  const rows = [['WORKER', 'HOST', 'PID', 'CONCURRENCY', 'TAGS', 'SEEN', 'RUNNING']];
  for (const w of workers) {
    const running =
      w.running.length === 0 ? '-' : `${w.running.length}: ${w.running.map((r) => r.taskId).join(', ')}`;
    rows.push([
      w.id,
      w.host,
      String(w.pid),
      String(w.concurrency),
      w.tags.length > 0 ? w.tags.join(',') : '-',
      `${formatDuration(Math.max(0, now - Date.parse(w.heartbeatAt)))} ago`,
      running,
    ]);
  }
  return table(rows);
}

async function runWorkers(flags: WorkersFlags): Promise<void> {
  const env = distributedSettingsFromEnv();
  const url = flags.redis ?? env.redisUrl ?? DEFAULT_REDIS_URL;
  const keys = new JormKeys(flags.prefix ?? env.prefix ?? DEFAULT_PREFIX);
  const client = createRedisClient(url, { failFast: true, name: 'jorm-workers' });
  try {
    const workers = await listWorkers(client, keys).catch((error: unknown) => {
      // ioredis gives up with its own words about "maxRetriesPerRequest": say what happened instead.
      const reason =
        (error as Error | undefined)?.name === 'MaxRetriesPerRequestError'
          ? 'no answer (is Redis running there? give its address with --redis URL or JORM_REDIS_URL)'
          : errorMessage(error);
      throw new CliExit(
        ExitCode.TaskFailed,
        `jorm: cannot read workers from Redis at ${redactRedisUrl(url)}: ${reason}`,
      );
    });
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(workers, null, 2)}\n`);
    } else if (workers.length === 0) {
      process.stdout.write(`no live workers (prefix "${keys.prefix}" at ${redactRedisUrl(url)})\n`);
    } else {
      process.stdout.write(`${render(workers, Date.now())}\n`);
    }
  } finally {
    client.disconnect();
  }
}

registerCommand((program: Command) => {
  program
    .command('workers')
    .description('list the live workers: host, pid, concurrency, tags and running tasks')
    .option('--redis <url>', `Redis URL (env JORM_REDIS_URL; default ${DEFAULT_REDIS_URL})`)
    .option('--prefix <prefix>', `Redis key prefix (env JORM_REDIS_PREFIX; default ${DEFAULT_PREFIX})`)
    .option('--json', 'print JSON')
    .action(async (flags: WorkersFlags) => {
      await runWorkers(flags);
    });
});
