/**
 * Test helper: start real child processes from fixture scripts, wait until they say "ready", and kill
 * their process groups afterwards.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

/** A started fixture process. */
export interface Fixture {
  child: ChildProcess;
  /** Kills the process group and waits for the exit. */
  kill(): Promise<void>;
}

/** Starts `node test/fixtures/resources/<script> ...args` in its own process group; resolves once it prints "ready". */
export async function startFixture(script: string, args: string[] = []): Promise<Fixture> {
  const file = path.resolve('test/fixtures/resources', script);
  const child = spawn(process.execPath, [file, ...args], {
    detached: true,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const kill = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await exited;
    }
  };
  await new Promise<void>((resolve, reject) => {
    let text = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('ready')) resolve();
    });
    child.on('exit', (code, signal) => reject(new Error(`${script} exited early (${code ?? signal})`)));
    child.on('error', reject);
  }).catch(async (error: unknown) => {
    await kill();
    throw error;
  });
  return { child, kill };
}
