import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { ForkServerLauncher } from '../../src/process/fork-server/launcher.js';
import { runProcess } from '../../src/process/run-process.js';
import { SpawnLauncher } from '../../src/process/spawn-launcher.js';
import type { ProcessLauncher, ProcessResult, ProcessSpec } from '../../src/process/types.js';
import { goneWithin } from '../helpers/processes.js';
import { abortScriptWithGrandchild, minimalEnv, tempDir } from './process-helpers.js';

/** The children of a process (Linux). */
function childrenOf(pid: number): number[] {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text === '' ? [] : text.split(' ').map(Number);
}

/** FIFOs of shell servers that still have a name in the temporary folder. */
function namedFifos(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith('jorm-fifo-'));
}

describe('ForkServerLauncher: forking ahead', () => {
  const launcher = new ForkServerLauncher({ preforkBelow: 64, preforkMaxTaskMs: Number.POSITIVE_INFINITY });
  let dir: Awaited<ReturnType<typeof tempDir>>;
  before(async () => {
    dir = await tempDir('jorm-ahead-');
  });
  after(async () => {
    launcher.close();
    await dir.remove();
  });
  const sh = (command: string, extra: Partial<ProcessSpec> = {}, via: ProcessLauncher = launcher) =>
    runProcess({ file: '/bin/sh', args: ['-c', command], cwd: dir.path, env: minimalEnv(), ...extra }, via);

  /** Runs `true` until a task ran forked ahead: the server then has a subshell waiting for the next. */
  async function warmUp(): Promise<ProcessResult> {
    const before = launcher.forkedAhead;
    for (let i = 0; i < 50; i++) {
      const result = await sh('true');
      if (launcher.forkedAhead > before) return result;
    }
    throw new Error('no task ran forked ahead in 50 tries');
  }

  /** Runs a command that must go to a subshell forked ahead of it. */
  async function shAhead(command: string, extra: Partial<ProcessSpec> = {}): Promise<ProcessResult> {
    await warmUp();
    const before = launcher.forkedAhead;
    const result = await sh(command, extra);
    assert.equal(launcher.forkedAhead, before + 1, 'the task ran in a subshell forked ahead');
    return result;
  }

  it('runs a task exactly as sh -c would: environment, directory, shell state, open files', async () => {
    const probe =
      'env | LC_ALL=C sort; pwd; echo "$0 $# $-"; umask; trap; ls /proc/self/fd; echo "[$IFS]"; exit 3';
    const spec = { env: minimalEnv({ ONE: "it's", TWO: 'line\nbreak', OLDPWD: '/old' }) };
    const ahead = await shAhead(probe, spec);
    const spawned = await sh(probe, spec, new SpawnLauncher());
    assert.equal(ahead.launcher, 'fork-server');
    assert.equal(ahead.exitCode, 3);
    assert.equal(ahead.stdout, spawned.stdout);
    assert.equal(ahead.stderr, spawned.stderr);
  });

  it('hands a task larger than the FIFO holds to its subshell whole', async () => {
    // A FIFO holds 64 KiB: the rest follows as the subshell reads. (One variable may hold 128 KiB at most.)
    const big: Record<string, string> = {};
    for (let i = 0; i < 6; i++) big[`BIG${i}`] = String(i).repeat(50_000);
    const result = await shAhead('printf %s "$BIG0$BIG1$BIG2$BIG3$BIG4$BIG5" | wc -c; echo done', {
      env: minimalEnv(big),
    });
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdout.trim().split(/\s+/).join(' '), '300000 done');
  });

  it('kills the process tree of a task forked ahead on abort', async () => {
    const { result, grandchild } = await abortScriptWithGrandchild(dir.path, shAhead);
    assert.equal(result.aborted, true);
    assert.equal(result.signal, 'SIGTERM');
    assert.ok(await goneWithin(grandchild), 'the grandchild is gone');
    assert.equal((await sh('echo next')).stdout, 'next\n');
  });

  it('refuses a working directory that is a file, and runs the next task as usual', async () => {
    const file = join(dir.path, 'plain-file');
    await writeFile(file, 'not a directory');
    const result = await shAhead('echo never', { cwd: file });
    assert.equal(result.startError?.reason, 'cwd-not-directory');
    assert.equal(result.stdout, '');
    const next = await sh('echo next');
    assert.equal(next.stdout, 'next\n');
  });

  it('runs tasks as usual, forking nothing ahead, where the server cannot make its FIFO', async () => {
    const tmp = process.env['TMPDIR'];
    process.env['TMPDIR'] = join(dir.path, 'no-such-folder'); // mkfifo fails there
    const own = new ForkServerLauncher({ preforkBelow: 64, preforkMaxTaskMs: Number.POSITIVE_INFINITY });
    try {
      for (let i = 0; i < 8; i++) {
        const result = await sh(`echo ${i}`, {}, own);
        assert.equal(result.launcher, 'fork-server');
        assert.equal(result.stdout, `${i}\n`);
      }
      assert.equal(own.forkedAhead, 0);
    } finally {
      own.close();
      if (tmp === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = tmp;
    }
  });

  it('ends the subshell waiting on a server when the launcher closes', async () => {
    const own = new ForkServerLauncher({ preforkBelow: 64, preforkMaxTaskMs: Number.POSITIVE_INFINITY });
    let last: ProcessResult | undefined;
    for (let i = 0; i < 50 && own.forkedAhead === 0; i++) last = await sh('true', {}, own);
    assert.ok(own.forkedAhead > 0 && last?.pid !== undefined);
    const server = last.pid;
    let waiting: number[] = [];
    for (let i = 0; i < 100 && waiting.length === 0; i++) {
      waiting = childrenOf(server);
      if (waiting.length === 0) await delay(10);
    }
    assert.equal(waiting.length, 1, 'a subshell waits for the next task');
    own.close();
    assert.ok(await goneWithin(waiting[0]!), 'the waiting subshell is gone');
    assert.ok(await goneWithin(server), 'the server is gone');
  });

  it('leaves no process and no FIFO behind when the process that runs the tasks is killed', async () => {
    const modules = {
      launcher: new URL('../../src/process/fork-server/launcher.js', import.meta.url).href,
      run: new URL('../../src/process/run-process.js', import.meta.url).href,
    };
    const program = `
      const { ForkServerLauncher } = await import(${JSON.stringify(modules.launcher)});
      const { runProcess } = await import(${JSON.stringify(modules.run)});
      const launcher = new ForkServerLauncher({ preforkBelow: 64, preforkMaxTaskMs: Number.POSITIVE_INFINITY });
      let last;
      for (let i = 0; i < 50 && launcher.forkedAhead < 2; i++) {
        last = await runProcess({ file: '/bin/sh', args: ['-c', 'true'], cwd: '/', env: { PATH: process.env.PATH } }, launcher);
      }
      console.log(JSON.stringify({ server: last.pid, forkedAhead: launcher.forkedAhead }));
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', program], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve) =>
      createInterface({ input: child.stdout! }).once('line', resolve),
    );
    const { server, forkedAhead } = JSON.parse(line) as { server: number; forkedAhead: number };
    assert.ok(forkedAhead >= 2);
    let waiting: number[] = [];
    for (let i = 0; i < 100 && waiting.length === 0; i++) {
      waiting = childrenOf(server);
      if (waiting.length === 0) await delay(10);
    }
    assert.equal(waiting.length, 1, 'a subshell waits for the next task');
    child.kill('SIGKILL');
    assert.ok(await goneWithin(waiting[0]!), 'the waiting subshell is gone');
    assert.ok(await goneWithin(server), 'the server is gone');
    // Servers remove their FIFO's name as soon as they have it open (other tests' servers may be doing so).
    for (let i = 0; i < 100 && namedFifos().length > 0; i++) await delay(20);
    assert.deepEqual(namedFifos(), []);
  });
});
