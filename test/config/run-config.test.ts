// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DAG text holds ${…} references
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runJorm } from '../helpers/cli.js';

const CONFIG = `
[executor]
working_directory = "wd-file"

[executor.environment_variables]
V2 = "executor"
V3 = "executor"
V4 = "executor"
V5 = "executor"
V6 = "executor"

[environment]
exclude = ["HIDDEN_*"]

[environment.variables]
V3 = "config"
V4 = "config"
V5 = "config"
V6 = "config"

[profiles.ci.executor]
working_directory = "wd-profile"
`;

const DAG = `
dag: layers
env: { V4: "dag", V5: "dag", V6: "dag" }

task show {
    type: shell
    command: "echo $V0 $V0B $V1 $V2 $V3 $V4 $V5 $V6 \${HIDDEN_X:-hidden} $(basename \\"$(pwd)\\")"
    env: { V6: "task" }
}
`;

/** Unset every JORM_* variable the test process may have, so the run sees only what the test sets. */
const CLEAN = { JORM_PROFILE: undefined, JORM_CONFIG: undefined, JORM_WORKING_DIRECTORY: undefined };

describe('jorm run with configuration, profiles, .env files and --env', () => {
  let dir = '';
  before(async () => {
    dir = await realpath(await mkdtemp(join(tmpdir(), 'jorm-run-config-')));
    for (const wd of ['wd-file', 'wd-profile', 'wd-env', 'wd-flag']) await mkdir(join(dir, wd));
    await writeFile(join(dir, 'jorm.toml'), CONFIG);
    await writeFile(join(dir, 'layers.jorm'), DAG);
    await writeFile(join(dir, '.env'), 'V0=dotenv\nV0B=dotenv\nV1=dotenv\n');
    await writeFile(join(dir, 'other.env'), 'V0=other-file\n');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function shown(args: string[], env: Record<string, string | undefined> = {}): Promise<string> {
    const run = await runJorm(['run', 'layers.jorm', '--json', '--no-state', ...args], {
      cwd: dir,
      env: { ...CLEAN, V0B: 'parent', V1: 'parent', V2: 'parent', HIDDEN_X: 'visible', ...env },
    });
    assert.equal(run.code, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as { taskResults: Record<string, { stdout: string }> };
    return doc.taskResults['show']?.stdout.trim() ?? '';
  }

  it('layers .env < parent < executor < config < DAG < --env < task, without excluded variables', async () => {
    assert.equal(
      await shown(['--env', 'V5=cli', '--env', 'V6=cli']),
      'dotenv parent parent executor config dag cli task hidden wd-file',
    );
  });

  it('takes another .env file with --env-file', async () => {
    assert.equal((await shown(['--env-file', 'other.env'])).split(' ')[0], 'other-file');
  });

  it('takes the working directory from the file < profile < JORM_* < flag', async () => {
    const wd = async (args: string[], env: Record<string, string> = {}): Promise<string | undefined> =>
      (await shown(args, env)).split(' ').pop();
    assert.equal(await wd(['--profile', 'ci']), 'wd-profile');
    assert.equal(await wd([], { JORM_PROFILE: 'ci' }), 'wd-profile');
    assert.equal(await wd(['--profile', 'ci'], { JORM_WORKING_DIRECTORY: 'wd-env' }), 'wd-env');
    assert.equal(
      await wd(['--profile', 'ci', '--working-directory', 'wd-flag'], { JORM_WORKING_DIRECTORY: 'wd-env' }),
      'wd-flag',
    );
  });

  it('refuses, before running anything, a bad configuration or a bad reference', async () => {
    const bad = await realpath(await mkdtemp(join(tmpdir(), 'jorm-run-bad-')));
    try {
      await writeFile(join(bad, 'jorm.toml'), '[executor]\ndefault_timout = "1m"\n');
      await writeFile(
        join(bad, 'refs.jorm'),
        'task a {\n    type: shell\n    command: "touch ran-a"\n}\ntask b {\n    type: shell\n    command: "touch ran-b; echo ${task.c.stdout}"\n    depends_on: [a]\n}\ntask c {\n    type: shell\n    command: "touch ran-c"\n}\n',
      );
      const config = await runJorm(['run', 'refs.jorm', '--no-state'], { cwd: bad, env: CLEAN });
      assert.equal(config.code, 2);
      assert.match(
        config.stderr,
        /jorm\.toml:2:1: unknown key "default_timout" in \[executor\] \(did you mean "default_timeout"\?\)/,
      );
      await rm(join(bad, 'jorm.toml'));
      const refs = await runJorm(['run', 'refs.jorm', '--no-state'], { cwd: bad, env: CLEAN });
      assert.equal(refs.code, 2);
      assert.match(
        refs.stderr,
        /refs\.jorm:7:5: task "b", command: \$\{task\.c\.stdout\} refers to task "c", which is not upstream of this task \(add "c" to depends_on\)/,
      );
      for (const marker of ['ran-a', 'ran-b', 'ran-c'])
        assert.equal(existsSync(join(bad, marker)), false, marker);
      const param = await runJorm(['run', 'refs.jorm', '--no-state', '--env', 'not a pair'], {
        cwd: bad,
        env: CLEAN,
      });
      assert.equal(param.code, 2);
      assert.match(param.stderr, /--env expects NAME=VALUE/);
    } finally {
      await rm(bad, { recursive: true, force: true });
    }
  });
});
