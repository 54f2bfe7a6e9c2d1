/**
 * One contract test suite that every {@link ProcessLauncher} passes, run through `runProcess`.
 */

import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { chmod, readFile, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runProcess } from '../../src/process/run-process.js';
import type { AbortNotice, ProcessLauncher, ProcessSpec } from '../../src/process/types.js';
import { goneWithin } from '../helpers/processes.js';
import { killGroup, minimalEnv, tempDir } from './process-helpers.js';

/** Registers the contract tests for a launcher. */
export function launcherContract(
  name: string,
  makeLauncher: () => ProcessLauncher,
  close?: () => void,
): void {
  describe(`launcher contract: ${name}`, () => {
    let launcher: ProcessLauncher;
    let dir: Awaited<ReturnType<typeof tempDir>>;
    before(async () => {
      launcher = makeLauncher();
      dir = await tempDir();
    });
    after(async () => {
      close?.();
      await dir.remove();
    });
    const sh = (
      command: string,
      extra: Partial<ProcessSpec> = {},
    ): Promise<import('../../src/process/types.js').ProcessResult> =>
      runProcess(
        { file: '/bin/sh', args: ['-c', command], cwd: dir.path, env: minimalEnv(), ...extra },
        launcher,
      );

    it('captures stdout, stderr and the exit code', async () => {
      const result = await sh('echo out; echo err >&2; exit 3');
      assert.equal(result.exitCode, 3);
      assert.equal(result.signal, null);
      assert.equal(result.stdout, 'out\n');
      assert.equal(result.stderr, 'err\n');
      assert.equal(result.launcher, launcher.name);
      assert.equal(typeof result.pid, 'number');
    });

    it('gives the program exactly the environment and working directory asked for', async () => {
      const sub = join(dir.path, 'sub dir');
      await import('node:fs/promises').then((fs) => fs.mkdir(sub));
      const result = await sh('echo "$GREETING"; pwd; env', {
        cwd: sub,
        env: minimalEnv({ GREETING: 'hé llo' }),
      });
      const [greeting, pwd, ...env] = result.stdout.trimEnd().split('\n');
      assert.equal(greeting, 'hé llo');
      assert.equal(pwd, await realpath(sub));
      assert.ok(!env.some((line) => line.startsWith('HOME=')), 'no variable of the parent leaks in');
      assert.ok(env.includes('GREETING=hé llo'));
    });

    it('streams output before the program exits', async () => {
      const go = join(dir.path, 'go-stream');
      const chunks: string[] = [];
      const result = await sh(`echo ready; while [ ! -e '${go}' ]; do sleep 0.02; done; echo finished`, {
        onOutput: (stream, chunk) => {
          chunks.push(`${stream}:${chunk}`);
          // The program only exits after this file exists: seeing "ready" first proves streaming.
          if (chunk.includes('ready')) void writeFile(go, '');
        },
      });
      assert.equal(result.exitCode, 0);
      assert.deepEqual(chunks.join(''), 'stdout:ready\nstdout:finished\n');
    });

    it('keeps only the tail of a chatty program and counts the dropped bytes', async () => {
      const result = await sh("head -c 300000 /dev/zero | tr '\\0' a; echo; echo END", { outputLimit: 1000 });
      assert.equal(result.exitCode, 0);
      assert.equal(Buffer.byteLength(result.stdout), 1000);
      assert.ok(result.stdout.endsWith('a\nEND\n'));
      assert.equal(result.stdoutTruncated, 300000 + 1 + 4 - 1000);
      assert.equal(result.stderrTruncated, 0);
    });

    it('reports a command the shell cannot find as exit code 127', async () => {
      const result = await sh('no-such-command-for-jorm-tests');
      assert.equal(result.exitCode, 127);
      assert.match(result.stderr, /not found/);
    });

    it('refuses a missing working directory before starting anything, naming it', async () => {
      const missing = join(dir.path, 'missing');
      const result = await sh('echo never', { cwd: missing });
      assert.equal(result.startError?.reason, 'cwd-missing');
      assert.match(
        result.startError?.message ?? '',
        new RegExp(`working directory "${missing}" does not exist`),
      );
      assert.equal(result.pid, undefined);
      assert.equal(result.exitCode, null);
      assert.equal(result.stdout, '');
    });

    it('refuses a working directory that is a file, and runs the next command as usual', async () => {
      const file = join(dir.path, 'plain-file');
      await writeFile(file, 'not a directory');
      const result = await sh('echo never', { cwd: file });
      assert.equal(result.startError?.reason, 'cwd-not-directory');
      assert.match(result.startError?.message ?? '', /is not a directory/);
      assert.equal(result.exitCode, null);
      assert.equal(result.pid, undefined);
      assert.equal(result.stdout, '');
      const next = await sh('echo next');
      assert.equal(next.exitCode, 0);
      assert.equal(next.stdout, 'next\n');
    });

    it('reports a program that does not exist or cannot be executed', async () => {
      const env = minimalEnv();
      const notFound = await runProcess(
        { file: 'no-such-program-jorm', args: [], cwd: dir.path, env },
        launcher,
      );
      assert.equal(notFound.startError?.reason, 'not-found');
      assert.match(notFound.startError?.message ?? '', /cannot run "no-such-program-jorm": not found/);
      const script = join(dir.path, 'not-executable.sh');
      await writeFile(script, '#!/bin/sh\necho hi\n');
      await chmod(script, 0o644);
      const denied = await runProcess({ file: script, args: [], cwd: dir.path, env }, launcher);
      assert.equal(denied.startError?.reason, 'permission-denied');
    });

    /**
     * Runs a task that leaves a background grandchild, aborts it (`abort`) once it started, and checks
     * that the run was terminated and the grandchild is gone. `spec` carries the signal or notice.
     */
    async function abortWithGrandchild(pidName: string, spec: Partial<ProcessSpec>, abort: () => void) {
      const pidFile = join(dir.path, pidName);
      const result = await sh(`sleep 300 & echo $! > '${pidFile}'; echo started; wait`, {
        ...spec,
        onOutput: (_stream, chunk) => {
          if (chunk.includes('started')) abort();
        },
      });
      assert.equal(result.aborted, true);
      assert.equal(result.signal, 'SIGTERM');
      const grandchild = Number(await readFile(pidFile, 'utf8'));
      assert.ok(await goneWithin(grandchild), `grandchild ${grandchild} is gone`);
    }

    it('kills the whole process group on abort, background grandchild included', async () => {
      const controller = new AbortController();
      await abortWithGrandchild('grandchild.pid', { signal: controller.signal }, () => controller.abort());
      assert.equal(getEventListeners(controller.signal, 'abort').length, 0, 'no abort listener is left');
    });

    it('sends SIGKILL after the grace period to a program that ignores SIGTERM', async () => {
      const controller = new AbortController();
      const result = await sh("trap '' TERM; echo ready; while :; do sleep 0.05; done", {
        signal: controller.signal,
        killGracePeriod: 200,
        onOutput: () => controller.abort(),
      });
      assert.equal(result.aborted, true);
      assert.equal(result.signal, 'SIGKILL');
      assert.ok(result.pid !== undefined && (await goneWithin(result.pid)));
    });

    it('starts nothing when aborted before, and kills at once when aborted while starting', async () => {
      const before = await sh('echo never', { signal: AbortSignal.abort() });
      assert.equal(before.aborted, true);
      assert.equal(before.pid, undefined);
      const controller = new AbortController();
      const running = sh('sleep 300', { signal: controller.signal });
      controller.abort();
      const result = await running;
      assert.equal(result.aborted, true);
      assert.equal(result.stdout, '');
      if (result.pid !== undefined) assert.ok(await goneWithin(result.pid));
    });

    it('takes its abort as an AbortNotice as well as a signal', async () => {
      const notice = new Notice();
      await abortWithGrandchild('notice-grandchild.pid', { abortNotice: notice }, () => notice.abort());
      assert.equal(notice.listeners.size, 0, 'no abort listener is left');
      const before = await sh('echo never', { abortNotice: notice });
      assert.equal(before.aborted, true);
      assert.equal(before.pid, undefined);
      const finished = new Notice();
      const done = await sh('echo done', { abortNotice: finished });
      assert.equal(done.stdout, 'done\n');
      assert.equal(finished.listeners.size, 0, 'the listener of a run that ended is removed');
    });

    it('does not wait forever for a background process that keeps the output open', async () => {
      const result = await sh('sleep 300 & echo main done', { drainTimeout: 100 });
      try {
        assert.equal(result.exitCode, 0);
        assert.equal(result.outputCut, true);
        assert.equal(result.stdout, 'main done\n');
      } finally {
        killGroup(result.pid);
      }
    });

    it('refuses a NUL character in a variable or an argument, naming where and never the value', async () => {
      const inVariable = await sh('echo $TOKEN', { env: { ...minimalEnv(), TOKEN: 'hunter2\0rest' } });
      assert.equal(inVariable.exitCode, null);
      assert.match(inVariable.startError?.message ?? '', /the variable TOKEN holds a NUL character/);
      assert.doesNotMatch(inVariable.startError?.message ?? '', /hunter2/);
      const inArgument = await sh('echo secret\0value');
      assert.match(inArgument.startError?.message ?? '', /argument 2 holds a NUL character/);
      assert.doesNotMatch(inArgument.startError?.message ?? '', /secret/);
    });

    it('runs many programs at once, each with its own output', async () => {
      const runs = await Promise.all(
        Array.from({ length: 12 }, (_, i) => sh(`echo task-${i}; echo err-${i} >&2; exit ${i % 3}`)),
      );
      runs.forEach((r, i) => {
        assert.equal(r.stdout, `task-${i}\n`);
        assert.equal(r.stderr, `err-${i}\n`);
        assert.equal(r.exitCode, i % 3);
      });
    });
  });
}

/** A plain {@link AbortNotice}: a set of listeners called once by `abort()`. */
class Notice implements AbortNotice {
  aborted = false;
  readonly listeners = new Set<() => void>();
  addAbortListener(listener: () => void): void {
    this.listeners.add(listener);
  }
  removeAbortListener(listener: () => void): void {
    this.listeners.delete(listener);
  }
  abort(): void {
    this.aborted = true;
    for (const listener of this.listeners) listener();
  }
}
