/**
 * Test helper: run the compiled `jorm` CLI as a real child process.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of the CLI entry point the tests run: the compiled one of this build, or the one
 * `JORM_TEST_CLI` names (`JORM_TEST_CLI=dist/cli/bin.cjs` runs the CLI tests against the published bundle).
 */
export const CLI_PATH = process.env['JORM_TEST_CLI']
  ? resolve(process.env['JORM_TEST_CLI'])
  : fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));

/** What a CLI run printed and how it ended. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runJorm}. */
export interface RunJormOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  /** Kill the CLI after this many ms (a safety net, not an assertion). @defaultValue 60000 */
  timeout?: number;
  /** The entry point to run. @defaultValue {@link CLI_PATH} */
  cli?: string;
}

/** A Node.js child process whose output is collected as it comes. */
export interface NodeProcess {
  child: ChildProcess;
  /** The exit code, once the process ended and its output streams closed. */
  exited: Promise<number | null>;
  /** The exit signal, once it ended. */
  signal: Promise<NodeJS.Signals | null>;
  stdout(): string;
  stderr(): string;
}

/** Starts `node <args>` (stdin a pipe the caller may write to or end). */
export function startNode(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): NodeProcess {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve([code, signal]));
  });
  return {
    child,
    exited: closed.then(([code]) => code),
    signal: closed.then(([, signal]) => signal),
    stdout: () => stdout,
    stderr: () => stderr,
  };
}

/** Starts `jorm <args>` without waiting for it (to signal it while it runs); stdin is closed. */
export function startJorm(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): NodeProcess {
  const run = startNode([CLI_PATH, ...args], { ...options, env: { NO_COLOR: '1', ...options.env } });
  run.child.stdin?.end();
  return run;
}

/** Runs `jorm <args>` and resolves when it exits. */
export async function runJorm(args: string[], options: RunJormOptions = {}): Promise<CliRun> {
  const run = startNode([options.cli ?? CLI_PATH, ...args], {
    ...(options.cwd ? { cwd: options.cwd } : {}),
    env: { NO_COLOR: '1', ...options.env },
  });
  const timer = setTimeout(() => run.child.kill('SIGKILL'), options.timeout ?? 60_000);
  run.child.stdin?.end(options.input ?? '');
  try {
    const [code, signal] = await Promise.all([run.exited, run.signal]);
    return { code, signal, stdout: run.stdout(), stderr: run.stderr() };
  } finally {
    clearTimeout(timer);
  }
}
