#!/usr/bin/env node
/**
 * `npm run bench`: runs every workload on this machine and prints, for each, jorm's median next to each
 * peer's from the same run, the ratios, and the targets with pass or miss.
 *
 *   node bench/run.mjs [--runs N] [--only name,name] [--json results.json] [--keep] [--build DIR]
 *
 * `--build DIR` measures the compiled jorm in DIR (default `dist`, which `npm run bench` builds; a tsc
 * build folder such as `build-perf/src` works too).
 *
 * Workloads are the modules `bench/workloads/*.workload.mjs`; each default-exports a function that takes
 * the bench context and returns a list of workloads (see bench/workloads/README.md to add one). Peers
 * that are not installed are skipped with a note (bench/setup.sh installs them).
 */

import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { jormExecutable } from './lib/jorm.mjs';
import { hasCommand, median } from './lib/measure.mjs';
import { evaluateTargets, printTargets, printWorkload } from './lib/report.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const USAGE = `usage: node bench/run.mjs [--runs N] [--only name,name] [--json results.json] [--keep] [--build DIR]

  --runs N       runs per tool after one warm-up (default 5)
  --only LIST    only these workloads, by name (wide, chain, layered, in-process, state, startup, …)
  --json FILE    also write the results as JSON
  --keep         keep the generated graphs (their folder is printed)
  --build DIR    the compiled jorm to measure (default dist, which npm run bench builds)
`;
/** Exits with a one-line error and the usage (never a stack trace). */
function usageError(message) {
  process.stderr.write(`bench: ${message}\n\n${USAGE}`);
  process.exit(2);
}
let values;
try {
  ({ values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      only: { type: 'string' },
      json: { type: 'string' },
      keep: { type: 'boolean', default: false },
      build: { type: 'string', default: 'dist' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  usageError(error.message);
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) usageError(`--runs must be a whole number ≥ 1, got ${values.runs}`);
const only = values.only ? new Set(values.only.split(',')) : undefined;
const out = process.stdout;

const build = path.resolve(repo, values.build);
if (!existsSync(path.join(build, 'index.js'))) {
  usageError(`no compiled jorm in ${build}: run npm run build (or npm run bench) first`);
}
process.env.JORM_BENCH_ENTRY = pathToFileURL(path.join(build, 'index.js')).href;
const context = {
  repo,
  /** The compiled CLI (`npm run bench` builds it first). */
  jormBin: jormExecutable(build),
  /** The compiled library entry. */
  jormEntry: path.join(build, 'index.js'),
  peers: {
    make: await hasCommand('make'),
    ninja: await hasCommand('ninja'),
    doit: await hasCommand('doit'),
  },
  runs,
};

const modules = readdirSync(path.join(here, 'workloads'))
  .filter((f) => f.endsWith('.workload.mjs'))
  .sort();
const workloads = [];
const names = [];
for (const file of modules) {
  const mod = await import(pathToFileURL(path.join(here, 'workloads', file)).href);
  for (const w of await mod.default(context)) {
    names.push(w.name);
    if (!only || only.has(w.name)) workloads.push(w);
  }
}
const unknown = [...(only ?? [])].filter((name) => !names.includes(name));
if (unknown.length > 0)
  usageError(`no workload named ${unknown.join(', ')}; the workloads: ${names.join(', ')}`);
workloads.sort((a, b) => (a.order ?? 100) - (b.order ?? 100));

const cpu = cpus()[0]?.model ?? 'unknown CPU';
out.write(
  `jorm bench: ${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}\n`,
);
out.write(
  `runs per tool: ${runs} (after 1 warm-up), medians; load average at start: ${loadavg()[0].toFixed(2)}\n`,
);
for (const [peer, found] of Object.entries(context.peers)) {
  if (!found) out.write(`note: ${peer} not found: its rows are skipped (install with bench/setup.sh)\n`);
}

const allTargets = [];
const report = { machine: { cores: cpus().length, cpu, node: process.version }, runs, workloads: [] };
const scratch = mkdtempSync(path.join(tmpdir(), 'jorm-bench-'));
try {
  for (const workload of workloads) {
    if (workload.report) {
      // A workload that measures and prints itself (another bench script, run as a child).
      out.write(`\n${workload.name}: ${workload.title}\n`);
      const { text, targets = [] } = await workload.report(context);
      out.write(text.replace(/^(?=.)/gm, '  '));
      allTargets.push(...targets);
      report.workloads.push({ name: workload.name, title: workload.title, text, targets });
      continue;
    }
    const dir = mkdtempSync(path.join(scratch, `${workload.name}-`));
    await workload.setup?.(dir);
    const tools = workload.tools.filter((t) => !t.skip);
    const samples = new Map(tools.map((t) => [t.tool, { ms: [], rssKb: [], cpuMs: [] }]));
    const failed = new Map();
    // Warm-up, then round-robin so slow drifts of the machine hit every tool alike.
    for (let round = -1; round < runs; round++) {
      for (const t of tools) {
        if (failed.has(t.tool)) continue;
        try {
          const r = await t.run(dir);
          if (round >= 0) {
            samples.get(t.tool).ms.push(r.ms);
            if (r.rssKb !== undefined) samples.get(t.tool).rssKb.push(r.rssKb);
            if (r.cpuMs !== undefined) samples.get(t.tool).cpuMs.push(r.cpuMs);
          }
        } catch (error) {
          failed.set(t.tool, error instanceof Error ? error.message.split('\n')[0] : String(error));
        }
      }
    }
    const rows = workload.tools.map((t) => {
      const skipped = t.skip ?? failed.get(t.tool);
      if (skipped) return { tool: t.tool, label: t.label, skipped };
      const s = samples.get(t.tool);
      return {
        tool: t.tool,
        label: t.label,
        ms: median(s.ms),
        rssKb: s.rssKb.length ? median(s.rssKb) : undefined,
        cpuMs: s.cpuMs.length ? median(s.cpuMs) : undefined,
        runs: s.ms.length,
        samples: s.ms,
      };
    });
    printWorkload(out, workload, rows);
    const evaluated = evaluateTargets(workload.targets ?? [], new Map(rows.map((r) => [r.tool, r])));
    allTargets.push(...evaluated);
    report.workloads.push({ name: workload.name, title: workload.title, rows, targets: evaluated });
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
} finally {
  if (!values.keep) rmSync(scratch, { recursive: true, force: true });
  else out.write(`\nkept the generated files in ${scratch}\n`);
}
printTargets(out, allTargets);
out.write(`load average at end: ${loadavg()[0].toFixed(2)}\n`);
report.loadAverageAtEnd = loadavg()[0];
if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
