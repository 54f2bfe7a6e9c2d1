import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ForkServerLauncher } from '../../src/process/fork-server/launcher.js';
import { commandNeedsSpawn } from '../../src/process/fork-server/task-script.js';
import { LAUNCHER_ENV, resolveLauncher } from '../../src/process/launchers.js';
import { runProcess } from '../../src/process/run-process.js';
import { SpawnLauncher } from '../../src/process/spawn-launcher.js';
import type { ProcessLauncher, ProcessSpec } from '../../src/process/types.js';
import { goneWithin } from '../helpers/processes.js';
import { abortScriptWithGrandchild, minimalEnv, tempDir } from './process-helpers.js';

describe('ForkServerLauncher', () => {
  const launcher = new ForkServerLauncher({ maxServers: 4 });
  let dir: Awaited<ReturnType<typeof tempDir>>;
  before(async () => {
    dir = await tempDir('jorm-fork-');
  });
  after(async () => {
    launcher.close();
    await dir.remove();
  });
  const sh = (command: string, extra: Partial<ProcessSpec> = {}, via: ProcessLauncher = launcher) =>
    runProcess({ file: '/bin/sh', args: ['-c', command], cwd: dir.path, env: minimalEnv(), ...extra }, via);

  it('runs plain commands on its servers', async () => {
    const result = await sh('echo hi; exit 4');
    assert.equal(result.launcher, 'fork-server');
    assert.equal(result.stdout, 'hi\n');
    assert.equal(result.exitCode, 4);
  });

  it('gives a task the same environment, directory and shell state as sh -c', async () => {
    const probe =
      'env | LC_ALL=C sort; pwd; echo "$0 $# $-"; umask; trap; alias; set | grep -c . >/dev/null; echo "[$IFS]"';
    const spec = { cwd: dir.path, env: minimalEnv({ ONE: "it's", TWO: 'line\nbreak', OLDPWD: '/old' }) };
    const forked = await sh(probe, spec);
    const spawned = await sh(probe, spec, new SpawnLauncher());
    assert.equal(forked.launcher, 'fork-server');
    assert.equal(forked.stdout, spawned.stdout);
    assert.equal(forked.stderr, spawned.stderr);
  });

  it('gives a task with its environment in layers the same environment, without building it whole', async () => {
    const probe = 'env | LC_ALL=C sort; pwd';
    const base = minimalEnv({ SHARED: 'one', OLDPWD: '/old', CHANGED: 'before' });
    const layered = new ForkServerLauncher({ maxServers: 2 });
    try {
      const pids = new Set<number | undefined>();
      const owns: Record<string, string>[] = [{ TASK: 'a', CHANGED: "after's" }, { TASK: 'b' }];
      for (const own of owns) {
        let built = 0;
        const whole = { ...base, ...own };
        const spec: ProcessSpec = {
          file: '/bin/sh',
          args: ['-c', probe],
          cwd: dir.path,
          get env() {
            built++;
            return whole;
          },
          envLayers: { base, overrides: own },
        };
        const forked = await runProcess(spec, layered);
        const spawned = await sh(probe, { env: whole }, new SpawnLauncher());
        assert.equal(forked.launcher, 'fork-server');
        assert.equal(forked.stdout, spawned.stdout, 'the environment is base with the overrides over it');
        assert.equal(built, 0, 'the whole environment was never read');
        pids.add(forked.pid);
      }
      // One server ran both (the second task's CHANGED is the shared value again: nothing of the first
      // task's stayed, as the comparison with spawn shows).
      assert.equal(pids.size, 1, 'one server (its pid is the process group of both tasks)');
    } finally {
      layered.close();
    }
  });

  it("runs a layered request whose shared layer is not its server's with its whole environment", async () => {
    const layered = new ForkServerLauncher({ maxServers: 1 });
    try {
      const first = await runProcess(
        {
          file: '/bin/sh',
          args: ['-c', 'echo "$A"'],
          cwd: dir.path,
          env: minimalEnv({ A: '1' }),
          envLayers: { base: minimalEnv({ A: '1' }), overrides: {} },
        },
        layered,
      );
      const otherBase = minimalEnv({ B: '2' });
      const second = await runProcess(
        {
          file: '/bin/sh',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
          args: ['-c', 'echo "[${A-unset}] $B $C"'],
          cwd: dir.path,
          env: { ...otherBase, C: '3' },
          envLayers: { base: otherBase, overrides: { C: '3' } },
        },
        layered,
      );
      assert.equal(first.stdout, '1\n');
      assert.equal(second.launcher, 'fork-server');
      assert.equal(second.stdout, '[unset] 2 3\n', "the first server's variables are unset");
    } finally {
      layered.close();
    }
  });

  it('does not carry variables or directories from one task to the next', async () => {
    const first = await sh('export LEAK=1; cd /; echo "$ONLY_FIRST"', {
      env: minimalEnv({ ONLY_FIRST: 'x' }),
    });
    assert.equal(first.stdout, 'x\n');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
    const second = await sh('echo "[${ONLY_FIRST-unset}] [${LEAK-unset}]"; pwd', {
      env: minimalEnv({ OTHER: 'y' }),
    });
    assert.equal(second.launcher, 'fork-server');
    assert.match(second.stdout, /^\[unset\] \[unset\]\n.*jorm-fork-/);
  });

  it('gives a task the PWD of sh -c, whether its PWD names the directory, through a symlink, or not', async () => {
    const real = join(dir.path, 'real');
    const link = join(dir.path, 'link');
    await mkdir(real);
    await symlink(real, link);
    await writeFile(join(real, 'here'), 'here\n');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
    const probe = 'pwd; echo "$PWD [${OLDPWD-unset}]"; cat here';
    // For sh -c, PWD stays as it is when it is an absolute path to the directory (any path to it).
    const cases = [
      { cwd: link, env: minimalEnv({ PWD: link }) },
      { cwd: real, env: minimalEnv({ PWD: link }) },
      { cwd: link, env: minimalEnv({ PWD: real, OLDPWD: '/old' }) },
      { cwd: link, env: minimalEnv({ PWD: '/' }) },
      { cwd: link, env: minimalEnv({ PWD: 'link' }) },
      { cwd: link, env: minimalEnv() },
    ];
    for (const spec of cases) {
      const forked = await sh(probe, spec);
      const spawned = await sh(probe, spec, new SpawnLauncher());
      assert.equal(forked.launcher, 'fork-server');
      assert.equal(forked.stdout, spawned.stdout, `cwd ${spec.cwd}, PWD ${spec.env['PWD'] ?? 'unset'}`);
    }
    assert.match((await sh('pwd', cases[1])).stdout, /link\n$/, 'the logical path, where sh -c keeps it');
  });

  it('runs a task in a directory removed and made again since the last task ran there', async () => {
    const again = join(dir.path, 'again');
    await mkdir(again);
    const first = await sh('pwd', { cwd: again });
    assert.equal(first.launcher, 'fork-server');
    await rm(again, { recursive: true });
    await mkdir(again);
    await writeFile(join(again, 'new'), 'new\n');
    const second = await sh('cat new', { cwd: again });
    assert.equal(second.launcher, 'fork-server');
    assert.equal(second.stdout, 'new\n');
  });

  it('kills the process tree of a task on abort, a script that backgrounds a grandchild included', async () => {
    const { result, grandchild } = await abortScriptWithGrandchild(dir.path, sh);
    assert.equal(result.launcher, 'fork-server');
    assert.equal(result.aborted, true);
    assert.equal(result.signal, 'SIGTERM');
    assert.ok(await goneWithin(grandchild), 'the grandchild is gone');
  });

  it('retires a server that a background process keeps writing to, so the next task stays clean', async () => {
    const go = join(dir.path, 'go');
    const wrote = join(dir.path, 'wrote');
    const script = join(dir.path, 'stray.sh');
    await writeFile(
      script,
      `(while [ ! -e '${go}' ]; do sleep 0.02; done; echo late; : > '${wrote}') &\necho early\n`,
    );
    const first = await sh(`/bin/sh '${script}'`);
    assert.equal(first.stdout, 'early\n');
    await writeFile(go, '');
    while (!existsSync(wrote)) await new Promise((r) => setTimeout(r, 20));
    const second = await sh('echo second');
    assert.equal(second.stdout, 'second\n');
  });

  it('runs commands that leave processes behind, or use $$, with plain spawn', async () => {
    assert.equal(commandNeedsSpawn('sleep 1 & echo'), 'a background job (&)');
    assert.equal(commandNeedsSpawn('a && b >/dev/null 2>&1'), undefined);
    assert.equal(commandNeedsSpawn('echo $$'), '$$');
    assert.equal(commandNeedsSpawn('nohup ./server'), 'a detaching command');
    const result = await sh('echo $$');
    assert.equal(result.launcher, 'spawn');
    assert.equal(result.stdout, `${result.pid}\n`);
  });

  it('keeps stderr that arrives before stdout says the task started', async () => {
    // stdout and stderr are read independently: stderr output may be seen before stdout's START marker.
    for (let round = 0; round < 5; round++) {
      const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => sh(`echo err-${i} >&2; exit 3`)));
      runs.forEach((r, i) => {
        assert.equal(r.stderr, `err-${i}\n`);
        assert.equal(r.exitCode, 3);
      });
    }
  });

  it('serves concurrent tasks on separate servers, and no more servers than allowed', async () => {
    const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => sh(`echo ${i}; echo e${i} >&2`)));
    runs.forEach((r, i) => {
      assert.equal(r.stdout, `${i}\n`);
      assert.equal(r.stderr, `e${i}\n`);
    });
    assert.ok(runs.filter((r) => r.launcher === 'fork-server').length <= 4 + 4, 'at most maxServers at once');
  });

  it('runs a task another way when its server died before starting it', async () => {
    const only = new ForkServerLauncher({ maxServers: 1 });
    try {
      const first = await sh('echo one', {}, only);
      assert.equal(first.launcher, 'fork-server');
      process.kill(first.pid!, 'SIGKILL'); // the idle server dies; Node has not seen it yet
      const second = await sh('echo two', {}, only);
      assert.equal(second.stdout, 'two\n');
      assert.equal(second.exitCode, 0);
      assert.equal(second.launcher, 'spawn');
    } finally {
      only.close();
    }
  });

  it('falls back to spawn when the shell cannot be started', async () => {
    const broken = new ForkServerLauncher({ shell: '/no/such/shell' });
    assert.equal(broken.enabled, false);
    const result = await runProcess(
      { file: '/bin/sh', args: ['-c', 'echo ok'], cwd: dir.path, env: minimalEnv() },
      broken,
    );
    assert.equal(result.launcher, 'spawn');
    assert.equal(result.stdout, 'ok\n');
  });

  it('does not keep Node running once its servers are idle', async () => {
    const build = fileURLToPath(new URL('../../src', import.meta.url));
    const fixture = resolve('test/fixtures/executors/one-task.mjs');
    const { stdout } = await promisify(execFile)(process.execPath, [fixture, build], { timeout: 20_000 });
    assert.equal(stdout, 'fork-server:from-server\n');
  });

  it('gives a killed task the stderr sh -c gives it, without the shell\'s "Terminated"', async () => {
    const killedAfter = (via: ProcessLauncher) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 150);
      return sh('echo before >&2; sleep 5', { signal: controller.signal }, via);
    };
    const forked = await killedAfter(launcher);
    const spawned = await killedAfter(new SpawnLauncher());
    assert.equal(forked.launcher, 'fork-server');
    assert.equal(forked.aborted, true);
    assert.equal(forked.stderr, 'before\n');
    assert.equal(forked.stderr, spawned.stderr);
  });

  it('does not keep Node running for the kill grace period once a killed task is gone', async () => {
    // The fixture's grace period is 60 s; before the fix its process lived that long (the server's own
    // process counted as a process of the task left to kill).
    const build = fileURLToPath(new URL('../../src', import.meta.url));
    const fixture = resolve('test/fixtures/executors/one-killed-task.mjs');
    const { stdout } = await promisify(execFile)(process.execPath, [fixture, build], { timeout: 20_000 });
    assert.equal(stdout, 'fork-server:true:SIGTERM');
  });

  it('is chosen by JORM_LAUNCHER', () => {
    const saved = process.env[LAUNCHER_ENV];
    try {
      process.env[LAUNCHER_ENV] = 'spawn';
      assert.equal(resolveLauncher('auto').name, 'spawn');
      process.env[LAUNCHER_ENV] = 'fork-server';
      assert.equal(resolveLauncher('auto').name, 'fork-server');
      process.env[LAUNCHER_ENV] = 'turbo';
      assert.throws(() => resolveLauncher('auto'), /JORM_LAUNCHER must be "spawn", "fork-server" or "auto"/);
      assert.equal(resolveLauncher('spawn').name, 'spawn');
    } finally {
      if (saved === undefined) delete process.env[LAUNCHER_ENV];
      else process.env[LAUNCHER_ENV] = saved;
    }
  });
});
