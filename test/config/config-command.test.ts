import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runJorm } from '../helpers/cli.js';

const FILE = `log_level = "error"

[executor]
max_concurrent_tasks = 8
default_timeout = "1m"
fail_fast = false
kill_grace_period = "3s"

[environment.variables]
GREETING = "hello"
DEPLOY_TOKEN = "file-token-abcdef"

[profiles.staging]
log_level = "warn"

[profiles.staging.executor]
max_concurrent_tasks = 6
default_timeout = "2m"
`;

interface JsonValue {
  value: unknown;
  source: string;
  origin: unknown;
}

describe('jorm config', () => {
  let dir = '';
  const clean = {
    JORM_MAX_CONCURRENT_TASKS: undefined,
    JORM_PROFILE: undefined,
    JORM_LOG_LEVEL: undefined,
    JORM_CONFIG: undefined,
  };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jorm-config-cli-'));
    await writeFile(join(dir, 'jorm.toml'), FILE);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function values(
    args: string[],
    env: Record<string, string | undefined> = {},
  ): Promise<Record<string, JsonValue>> {
    const run = await runJorm(['config', '--json', ...args], { cwd: dir, env: { ...clean, ...env } });
    assert.equal(run.code, 0, run.stderr);
    return (JSON.parse(run.stdout) as { values: Record<string, JsonValue> }).values;
  }

  it('applies defaults < file < profile < environment < flags, and says where each value came from', async () => {
    // One run where each key is set by a different number of layers: the highest one wins.
    const v = await values(['--profile', 'staging', '--concurrency', '4', '--no-state'], {
      JORM_MAX_CONCURRENT_TASKS: '5',
      JORM_LOG_LEVEL: 'debug',
    });
    assert.deepEqual(v['executor.output_limit'], {
      value: 1048576,
      source: 'default',
      origin: { kind: 'default' },
    });
    assert.deepEqual(v['executor.kill_grace_period'], {
      value: 3000,
      source: 'jorm.toml:7:1',
      origin: { kind: 'file', file: join(dir, 'jorm.toml'), line: 7, column: 1 },
    });
    assert.equal(v['executor.default_timeout']?.value, 120_000);
    assert.equal(v['executor.default_timeout']?.source, 'profile staging (jorm.toml:18:1)');
    assert.equal(v['log_level']?.value, 'debug');
    assert.equal(v['log_level']?.source, 'env JORM_LOG_LEVEL');
    assert.equal(v['executor.max_concurrent_tasks']?.value, 4);
    assert.equal(v['executor.max_concurrent_tasks']?.source, 'flag --concurrency');
    assert.equal(v['state.enabled']?.value, false);
    assert.equal(v['state.enabled']?.source, 'flag --no-state');
  });

  it('prints a table of values and sources, secrets masked', async () => {
    const run = await runJorm(['config', '--profile', 'development'], {
      cwd: dir,
      env: { ...clean, JORM_REDIS_URL: 'redis://jorm:redis-pass-8c1f@127.0.0.1:6379' },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^config file: .*jorm\.toml$/m);
    assert.match(run.stdout, /^profile: development \(from flag --profile\)$/m);
    assert.match(run.stdout, /^executor\.default_timeout\s+1m\s+jorm\.toml:5:1$/m);
    assert.match(run.stdout, /^executor\.fail_fast\s+true\s+profile development \(built-in\)$/m);
    assert.match(run.stdout, /^environment\.variables\.GREETING\s+hello\s+jorm\.toml:10:1$/m);
    assert.match(run.stdout, /^environment\.variables\.DEPLOY_TOKEN\s+\*\*\*\s+jorm\.toml:11:1$/m);
    assert.match(
      run.stdout,
      /^distributed\.redis\s+redis:\/\/jorm:\*\*\*@127\.0\.0\.1:6379\s+env JORM_REDIS_URL$/m,
    );
    assert.equal(run.stdout.includes('file-token-abcdef'), false);
    assert.equal(run.stdout.includes('redis-pass-8c1f'), false);
    const json = await runJorm(['config', '--json'], { cwd: dir, env: clean });
    assert.equal(json.stdout.includes('file-token-abcdef'), false);
    assert.equal(
      (JSON.parse(json.stdout) as { environment: { variables: Record<string, string> } }).environment
        .variables['DEPLOY_TOKEN'],
      '***',
    );
  });

  it('exits 2 with the file, line and a suggestion for a misspelt key', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'jorm-config-bad-'));
    try {
      await writeFile(join(bad, 'jorm.yaml'), 'executor:\n  max_concurent_tasks: 2\n');
      const run = await runJorm(['config'], { cwd: bad, env: clean });
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.match(
        run.stderr,
        /jorm\.yaml:2:3: unknown key "max_concurent_tasks" in \[executor\] \(did you mean "max_concurrent_tasks"\?\)/,
      );
      assert.doesNotMatch(run.stderr, /\n\s+at /);
      const flag = await runJorm(['config', '--config', join(dir, 'jorm.toml'), '--concurrency', 'lots'], {
        cwd: bad,
        env: clean,
      });
      assert.equal(flag.code, 2);
      assert.match(
        flag.stderr,
        /--concurrency "lots": executor\.max_concurrent_tasks must be a whole number of at least 1, got "lots"/,
      );
    } finally {
      await rm(bad, { recursive: true, force: true });
    }
  });
});
