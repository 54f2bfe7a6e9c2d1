/**
 * The bench scripts of the other parts of jorm, run as workloads of `npm run bench` so that one command
 * measures everything: the BullMQ backend against the local one (with its targets), process start-up
 * mechanisms, the DAG parser, and state recording. Each runs as a child process and prints its own table.
 */

import { existsSync } from 'node:fs';
import path from 'node:path';
import { runNode } from '../lib/measure.mjs';

/** Runs `node bench/<script> args` in the repository, resolving with its exit code, stdout and stderr. */
function runScript(context, script, args, env = {}) {
  return runNode([path.join(context.repo, 'bench', script), ...args], {
    cwd: context.repo,
    env: { ...process.env, ...env },
  });
}

/** The build folder as the other scripts want it: `dist`, or a tsc folder with `src` inside. */
const distOf = (context) => path.dirname(context.jormEntry);
const buildRootOf = (context) => {
  const dir = distOf(context);
  return path.basename(dir) === 'src' ? path.dirname(dir) : dir;
};

const failed = (r) =>
  `failed (exit ${r.code}):\n${(r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n')}\n`;

function bullmq(context) {
  return {
    name: 'bullmq',
    title: 'BullMQ backend (2 local workers) vs local backend: dispatch capacity and per-task overhead',
    order: 70,
    async report() {
      const label = (l) => `bullmq: ${l}`;
      const na = (why) => [
        { label: label('dispatch ≥ 1,000 no-op tasks/s'), status: 'n/a', detail: why },
        { label: label('overhead per task < 2 ms'), status: 'n/a', detail: why },
      ];
      const r = await runScript(context, 'bullmq-bench.mjs', ['--json', '--rounds', String(context.runs)], {
        JORM_DIST: `${distOf(context)}/`,
      });
      if (r.code !== 0) return { text: failed(r), targets: na('bench failed') };
      const skipped = /skipped: (.*)/.exec(r.stderr);
      if (!r.stdout.trim())
        return { text: `skipped: ${skipped?.[1] ?? 'no output'}\n`, targets: na('skipped') };
      const { rows } = JSON.parse(r.stdout);
      const lines = rows.map(
        (row) =>
          `${row.scenario.padEnd(18)} local ${String(row.localMs).padStart(6)} ms   bullmq ${String(row.bullmqMs).padStart(6)} ms   ` +
          `${String(row.bullmqTasksPerSecond).padStart(6)} tasks/s   overhead ${row.overheadPerTaskMs} ms/task`,
      );
      const capacity = rows.find((row) => row.scenario.startsWith('noop ×'));
      // The workload: 1,000 shell tasks through two workers, overhead = (bullmq − local) / tasks.
      const shell = rows.find((row) => row.scenario.startsWith('shell ×'));
      const targets = [
        {
          label: label('dispatch ≥ 1,000 no-op tasks/s'),
          status: capacity.bullmqTasksPerSecond >= 1000 ? 'pass' : 'miss',
          detail: `${capacity.bullmqTasksPerSecond} tasks/s`,
        },
        {
          label: label('overhead per task < 2 ms'),
          status: shell.overheadPerTaskMs < 2 ? 'pass' : 'miss',
          detail: `${shell.overheadPerTaskMs} ms (${shell.scenario})`,
        },
      ];
      return { text: `${lines.join('\n')}\n`, targets };
    },
  };
}

/** Another part's bench script whose own table is shown as it prints it. */
function script(context, name, title, file, args, env, order) {
  return {
    name,
    title,
    order,
    async report() {
      if (!existsSync(path.join(context.repo, 'bench', file)))
        return { text: `skipped: bench/${file} not found\n` };
      const r = await runScript(context, file, args, env);
      return { text: r.code === 0 ? r.stdout : failed(r) };
    },
  };
}

export default function scripts(context) {
  const list = [];
  if (existsSync(path.join(context.repo, 'bench', 'bullmq-bench.mjs'))) list.push(bullmq(context));
  const root = buildRootOf(context);
  list.push(
    script(
      context,
      'spawn',
      'process start-up mechanisms (bench/spawn-bench.mjs)',
      'spawn-bench.mjs',
      ['--rounds', String(context.runs), '--build', root],
      {},
      80,
    ),
    script(
      context,
      'parse',
      'DAG parsing and validation (bench/parse-bench.mjs)',
      'parse-bench.mjs',
      [root],
      {},
      81,
    ),
    script(
      context,
      'state-recording',
      'state recording cost (bench/state-bench.mjs)',
      'state-bench.mjs',
      [],
      {
        JORM_DIST: `${distOf(context)}/`,
      },
      82,
    ),
  );
  return list;
}
