/**
 * Timing helpers of the bench: run a command and measure its wall time; run a Node.js child that reports
 * its own numbers as JSON; medians.
 */

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/stat (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/**
 * The CPU time the whole machine has spent so far (user, nice, system, irq, softirq and steal, all
 * cores), in ms, from /proc/stat; undefined where there is none (not Linux).
 */
export function machineCpuMs() {
  try {
    const fields = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0].trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = fields.slice(1).map(Number);
    return ((user + nice + system + irq + softirq + (steal ?? 0)) * 1000) / USER_HZ;
  } catch {
    return undefined;
  }
}

/** The median of numbers (mean of the middle two for an even count). */
export function median(values) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs `command args` in `cwd` with output discarded (stderr's tail kept for errors) and resolves with the
 * wall time in ms from spawn to exit, and the CPU time the whole machine spent meanwhile (`cpuMs`: every
 * process, the command's own and those it leaves to others to reap; undefined off Linux). Rejects when it
 * exits non-zero.
 */
export function timeCommand(command, args, { cwd, env } = {}) {
  return new Promise((resolve, reject) => {
    const cpuAtStart = machineCpuMs();
    const start = process.hrtime.bigint();
    const child = spawn(command, args, {
      cwd,
      env: env ?? process.env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr = (stderr + d).slice(-2000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const cpuAtEnd = machineCpuMs();
      const cpuMs = cpuAtStart === undefined || cpuAtEnd === undefined ? undefined : cpuAtEnd - cpuAtStart;
      if (code === 0) resolve({ ms, cpuMs });
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}: ${stderr.trim()}`));
    });
  });
}

/**
 * Runs `node ...argv` with stdin closed and resolves with how it ended and all it printed; never rejects
 * (a failure to start is `code: -1`, its message appended to stderr).
 */
export function runNode(argv, { cwd, env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, {
      cwd,
      env: env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
    });
    child.on('error', (error) =>
      resolve({ code: -1, signal: null, stdout, stderr: `${stderr}${error.message}\n` }),
    );
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * Runs `node script args` and resolves with the JSON object it prints as its last stdout line (the child
 * measures itself: wall time of its work and peak RSS).
 */
export async function runJsonChild(script, args, { cwd, env, nodeArgs = [] } = {}) {
  const { code, signal, stdout, stderr } = await runNode([...nodeArgs, script, ...args], { cwd, env });
  const last = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0) {
    throw new Error(
      `${script} ${args.join(' ')} exited with ${code ?? signal}: ${stderr.trim().slice(-4000)}`,
    );
  }
  try {
    return JSON.parse(last);
  } catch {
    throw new Error(`${script} printed no JSON result: ${last}`);
  }
}

/** Whether an executable is on the PATH. */
export function hasCommand(name) {
  const dirs = (process.env.PATH ?? '').split(':').filter(Boolean);
  return import('node:fs').then(({ accessSync, constants }) =>
    dirs.some((dir) => {
      try {
        accessSync(`${dir}/${name}`, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    }),
  );
}
