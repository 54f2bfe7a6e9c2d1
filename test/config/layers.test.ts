import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { formatSource } from '../../src/config/sources.js';
import { ConfigDirs, load, problemsOf } from './config-dirs.js';

const dirs = new ConfigDirs();
const dirWith = (files: Record<string, string> = {}): Promise<string> => dirs.with(files);
after(() => dirs.cleanup());

describe('loadConfiguration: profiles', () => {
  it('applies the built-in development and production profiles', async () => {
    const dir = await dirWith();
    const dev = load(dir, { profile: 'development' });
    assert.equal(dev.profile, 'development');
    assert.equal(dev.executor.profile, 'development');
    assert.equal(dev.logLevel, 'debug');
    assert.equal(dev.executor.failFast, true);
    assert.equal(
      formatSource(dev.sources['log_level'] ?? { kind: 'default' }),
      'profile development (built-in)',
    );
    const prod = load(dir, { profile: 'production' });
    assert.equal(prod.executor.enableResourceThrottling, true);
    assert.equal(prod.executor.resourceLimits?.maxMemoryPercent, 85);
    assert.equal(prod.executor.retryConfig?.maxAttempts, 3);
    assert.equal(prod.state.config.cleanupCompletedAfter, 30 * 86_400_000);
  });

  it("applies a file's profile over the file and over a built-in profile of the same name", async () => {
    const dir = await dirWith({
      'jorm.toml':
        'log_level = "error"\n[executor]\nmax_concurrent_tasks = 8\n[profiles.production]\nlog_level = "trace"\n[profiles.ci.executor]\nmax_concurrent_tasks = 2\n',
    });
    const prod = load(dir, { profile: 'production' });
    assert.equal(prod.logLevel, 'trace');
    assert.equal(
      formatSource(prod.sources['log_level'] ?? { kind: 'default' }, dir),
      'profile production (jorm.toml:5:1)',
    );
    assert.equal(prod.executor.enableResourceThrottling, true);
    assert.equal(load(dir, { profile: 'ci' }).executor.maxConcurrentTasks, 2);
    assert.equal(load(dir).executor.maxConcurrentTasks, 8);
  });

  it('is chosen by code, then --profile, then JORM_PROFILE, then the file', async () => {
    const dir = await dirWith({
      'jorm.toml':
        '[executor]\nprofile = "a"\n[profiles.a]\nlog_level = "error"\n[profiles.b]\nlog_level = "warn"\n[profiles.c]\nlog_level = "debug"\n',
    });
    assert.equal(load(dir).logLevel, 'error');
    assert.equal(load(dir, { env: { JORM_PROFILE: 'b' } }).logLevel, 'warn');
    const flagged = load(dir, { env: { JORM_PROFILE: 'b' }, profile: 'c' });
    assert.equal(flagged.logLevel, 'debug');
    assert.equal(formatSource(flagged.profileSource ?? { kind: 'default' }), 'flag --profile');
    assert.equal(load(dir, { profile: 'c', code: { executor: { profile: 'b' } } }).logLevel, 'warn');
  });

  it('rejects an unknown profile with a suggestion', async () => {
    const dir = await dirWith({ 'jorm.toml': '[profiles.staging]\nlog_level = "warn"\n' });
    assert.deepEqual(problemsOf(dir, { profile: 'stagin' }), [
      'unknown profile "stagin" (from --profile) (did you mean "staging"?)',
    ]);
    assert.deepEqual(problemsOf(dir, { env: { JORM_PROFILE: 'qa' } }), [
      'unknown profile "qa" (from JORM_PROFILE) (known profiles: development, production, staging)',
    ]);
  });
});

describe('loadConfiguration: precedence', () => {
  const file =
    'log_level = "error"\n[executor]\nmax_concurrent_tasks = 8\ndefault_timeout = "1m"\nfail_fast = false\n[profiles.p.executor]\nmax_concurrent_tasks = 6\ndefault_timeout = "2m"\n';

  it('goes defaults < file < profile < JORM_* < flags < code', async () => {
    const dir = await dirWith({ 'jorm.toml': file });
    const env = { JORM_MAX_CONCURRENT_TASKS: '5', JORM_LOG_LEVEL: 'warn' };
    const config = load(dir, {
      profile: 'p',
      env,
      flags: { concurrency: '4' },
      code: { executor: { maxConcurrentTasks: 3 } },
    });
    assert.equal(config.executor.maxConcurrentTasks, 3);
    assert.equal(
      formatSource(config.sources['executor.max_concurrent_tasks'] ?? { kind: 'default' }),
      'code',
    );
    const noCode = load(dir, { profile: 'p', env, flags: { concurrency: '4' } });
    assert.equal(noCode.executor.maxConcurrentTasks, 4);
    assert.equal(
      formatSource(noCode.sources['executor.max_concurrent_tasks'] ?? { kind: 'default' }),
      'flag --concurrency',
    );
    assert.equal(load(dir, { profile: 'p', env }).executor.maxConcurrentTasks, 5);
    assert.equal(load(dir, { profile: 'p' }).executor.maxConcurrentTasks, 6);
    assert.equal(load(dir).executor.maxConcurrentTasks, 8);
    assert.equal(noCode.executor.defaultTimeout, 120_000);
    assert.equal(noCode.logLevel, 'warn');
    assert.equal(formatSource(noCode.sources['log_level'] ?? { kind: 'default' }), 'env JORM_LOG_LEVEL');
    assert.equal(noCode.executor.killGracePeriod, 5000);
  });

  it('reads every JORM_* variable', async () => {
    const dir = await dirWith();
    const config = load(dir, {
      env: {
        JORM_MAX_CONCURRENT_TASKS: '7',
        JORM_DEFAULT_TIMEOUT: '45',
        JORM_ENABLE_STATE_PERSISTENCE: 'false',
        JORM_ENABLE_RESOURCE_THROTTLING: 'yes',
        JORM_LOG_LEVEL: 'DEBUG',
        JORM_WORKING_DIRECTORY: 'wd',
        JORM_STATE_DATABASE_URL: 'db/state.db',
        JORM_CHECKPOINT_INTERVAL: '10s',
        JORM_CLEANUP_COMPLETED_AFTER: '2d',
        JORM_MAX_CPU_PERCENT: '60',
        JORM_MAX_MEMORY_PERCENT: '70.5',
        JORM_RESOURCE_MAX_CONCURRENT_TASKS: '2',
        JORM_BACKEND: 'bullmq',
        JORM_REDIS_URL: 'redis://127.0.0.1:6379/2',
        JORM_DAG_ID: 'not a setting, set for tasks',
      },
    });
    assert.equal(config.executor.maxConcurrentTasks, 7);
    assert.equal(config.executor.defaultTimeout, 45_000);
    assert.equal(config.state.enabled, false);
    assert.equal(config.executor.enableResourceThrottling, true);
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.executor.workingDirectory, join(dir, 'wd'));
    assert.equal(config.state.config.databaseUrl, join(dir, 'db/state.db'));
    assert.equal(config.state.config.checkpointInterval, 10_000);
    assert.equal(config.state.config.cleanupCompletedAfter, 2 * 86_400_000);
    assert.deepEqual(config.executor.resourceLimits, {
      maxCpuPercent: 60,
      maxMemoryPercent: 70.5,
      maxConcurrentTasks: 2,
      monitoringInterval: 1000,
      throttleThreshold: 0.9,
    });
    assert.deepEqual(config.distributed, { backend: 'bullmq', redisUrl: 'redis://127.0.0.1:6379/2' });
    assert.deepEqual(config.warnings, []);
    assert.equal(
      formatSource(config.sources['executor.resource_limits.max_cpu_percent'] ?? { kind: 'default' }),
      'env JORM_MAX_CPU_PERCENT',
    );
  });

  it('names the variable of an invalid value, and warns of a misspelt one', async () => {
    const dir = await dirWith();
    assert.deepEqual(
      problemsOf(dir, { env: { JORM_MAX_CONCURRENT_TASKS: 'many', JORM_ENABLE_STATE_PERSISTENCE: 'maybe' } }),
      [
        'JORM_MAX_CONCURRENT_TASKS="many": executor.max_concurrent_tasks must be a whole number of at least 1, got "many"',
        'JORM_ENABLE_STATE_PERSISTENCE="maybe": state.enabled must be true or false, got "maybe"',
      ],
    );
    assert.deepEqual(load(dir, { env: { JORM_MAX_CONCURENT_TASKS: '3' } }).warnings, [
      'JORM_MAX_CONCURENT_TASKS is not a jorm setting (did you mean JORM_MAX_CONCURRENT_TASKS?)',
    ]);
  });

  it('takes flags: --timeout, --fail-fast, --state, --no-state, --log-level, --backend, --redis, --queue', async () => {
    const dir = await dirWith({ 'jorm.toml': '[state]\nenabled = false\n' });
    const config = load(dir, {
      flags: {
        timeout: '2m',
        failFast: true,
        state: 'run.db',
        logLevel: 'trace',
        backend: 'bullmq',
        redis: 'redis://h:1',
        queue: 'q',
      },
    });
    assert.equal(config.executor.defaultTimeout, 120_000);
    assert.equal(config.executor.failFast, true);
    assert.equal(config.state.enabled, true);
    assert.equal(config.state.config.databaseUrl, join(dir, 'run.db'));
    assert.equal(config.logLevel, 'trace');
    assert.deepEqual(config.distributed, { backend: 'bullmq', redisUrl: 'redis://h:1', queueName: 'q' });
    assert.equal(load(await dirWith(), { flags: { state: false } }).state.enabled, false);
    assert.deepEqual(problemsOf(dir, { flags: { concurrency: '0' } }), [
      '--concurrency "0": executor.max_concurrent_tasks must be a whole number of at least 1, got "0"',
    ]);
  });

  it('merges variables tables one variable at a time', async () => {
    const dir = await dirWith({
      'jorm.toml':
        '[environment.variables]\nA = "file"\nB = "file"\n[profiles.p.environment.variables]\nB = "profile"\n',
    });
    const config = load(dir, { profile: 'p', code: { environment: { variables: { C: 'code' } } } });
    assert.deepEqual(config.environment.variables, { C: 'code' });
    const merged = load(dir, { profile: 'p' });
    assert.deepEqual(merged.environment.variables, { A: 'file', B: 'profile' });
    assert.equal(
      formatSource(merged.sources['environment.variables.B'] ?? { kind: 'default' }, dir),
      'profile p (jorm.toml:5:1)',
    );
  });

  it('validates the rules across fields after every layer, at the source of the value', async () => {
    const dir = await dirWith({ 'jorm.toml': '[executor.resource_limits]\nmax_concurrent_tasks = 3\n' });
    assert.deepEqual(problemsOf(dir, { env: { JORM_MAX_CONCURRENT_TASKS: '2' } }), [
      'jorm.toml:2:1: executor.resource_limits.max_concurrent_tasks (3) must not be above executor.max_concurrent_tasks (2)',
    ]);
    assert.deepEqual(problemsOf(await dirWith(), { env: { JORM_ENABLE_RESOURCE_THROTTLING: 'true' } }), [
      'executor.enable_resource_throttling requires executor.resource_limits (from JORM_ENABLE_RESOURCE_THROTTLING)',
    ]);
  });
});
