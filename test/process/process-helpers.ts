/**
 * Test helpers for the process layer: temp dirs, a minimal environment, killing a group.
 */

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcessResult, ProcessSpec } from '../../src/process/types.js';

/** A fresh temporary directory and its removal. */
export async function tempDir(prefix = 'jorm-exec-'): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A small environment for test programs: PATH only (plus `extra`). */
export function minimalEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...extra };
}

/** Kills a process group, ignoring a group that is already gone. */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // gone
  }
}

/**
 * Runs (with `run`) a script in `dir` that backgrounds `sleep 300`, notes its pid and waits for it, and
 * aborts the run once the script says "started". Returns the result and the pid of the background sleep.
 */
export async function abortScriptWithGrandchild(
  dir: string,
  run: (command: string, extra: Partial<ProcessSpec>) => Promise<ProcessResult>,
): Promise<{ result: ProcessResult; grandchild: number }> {
  const script = join(dir, 'tree.sh');
  const pidFile = join(dir, 'tree.pid');
  await writeFile(script, `sleep 300 &\necho $! > '${pidFile}'\necho started\nwait\n`);
  const controller = new AbortController();
  const result = await run(`/bin/sh '${script}'`, {
    signal: controller.signal,
    onOutput: (_stream, chunk) => {
      if (chunk.includes('started')) controller.abort();
    },
  });
  return { result, grandchild: Number(await readFile(pidFile, 'utf8')) };
}
