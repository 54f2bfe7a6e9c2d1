/**
 * Timing helpers of the bench: run a command and measure its wall time; run a Node.js child that reports
 * its own numbers as JSON; medians.
 */

import { spawn } from 'node:child_process';

/** The median of numbers (mean of the middle two for an even count). */
export function median(values) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs `command args` in `cwd` with output discarded (stderr's tail kept for errors) and resolves with the
 * wall time in ms from spawn to exit. Rejects when it exits non-zero.
 */
export function timeCommand(command, args, { cwd, env } = {}) {
  return new Promise((resolve, reject) => {
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
      if (code === 0) resolve({ ms });
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}: ${stderr.trim()}`));
    });
  });
}

/**
 * Runs `node script args` and resolves with the JSON object it prints as its last stdout line (the child
 * measures itself: wall time of its work and peak RSS).
 */
export function runJsonChild(script, args, { cwd, env, nodeArgs = [] } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
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
      stderr = (stderr + d).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) {
        reject(new Error(`${script} ${args.join(' ')} exited with ${code ?? signal}: ${stderr.trim()}`));
        return;
      }
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`${script} printed no JSON result: ${last}`));
      }
    });
  });
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
