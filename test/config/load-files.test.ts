import assert from 'node:assert/strict';
import { copyFile, mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { formatSource } from '../../src/config/sources.js';
import { DEFAULT_SECURE_PREFIXES } from '../../src/env/environment-config.js';
import { ConfigDirs, load, problemsOf } from './config-dirs.js';

const FIXTURES = resolve('test/fixtures/config');

const dirs = new ConfigDirs();
const dirWith = (files: Record<string, string> = {}): Promise<string> => dirs.with(files);
after(() => dirs.cleanup());

describe('loadConfiguration: defaults', () => {
  it('gives the reference defaults, each from "default"', async () => {
    const config = load(await dirWith());
    assert.equal(config.configFile, undefined);
    assert.equal(config.executor.maxConcurrentTasks, availableParallelism());
    assert.equal(config.executor.defaultTimeout, 300_000);
    assert.equal(config.executor.inheritEnvironment, true);
    assert.equal(config.executor.enableResourceThrottling, false);
    assert.equal(config.executor.retryConfig, undefined);
    assert.equal(config.executor.resourceLimits, undefined);
    assert.deepEqual(config.state, {
      enabled: true,
      config: { databaseUrl: 'sqlite:.jorm/state.db', enableCheckpoints: true, checkpointInterval: 30_000 },
    });
    assert.deepEqual(config.environment.securePrefixes, [...DEFAULT_SECURE_PREFIXES]);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.distributed, undefined);
    assert.ok(Object.values(config.sources).every((s) => s.kind === 'default'));
  });
});

describe('loadConfiguration: files', () => {
  for (const name of ['full.toml', 'full.json', 'full.yaml']) {
    it(`reads every section of ${name}`, async () => {
      const dir = await dirWith();
      await copyFile(join(FIXTURES, name), join(dir, name.replace('full', 'jorm')));
      const config = load(dir);
      assert.equal(config.configFile, join(dir, name.replace('full', 'jorm')));
      assert.equal(config.logLevel, 'debug');
      assert.equal(config.executor.maxConcurrentTasks, 6);
      assert.equal(config.executor.defaultTimeout, 90_000);
      assert.equal(config.executor.workingDirectory, join(dir, 'work'));
      assert.equal(config.executor.failFast, true);
      assert.equal(config.executor.killGracePeriod, 2000);
      assert.deepEqual(config.executor.environmentVariables, { REGION: 'eu-west-1' });
      assert.deepEqual(config.executor.retryConfig, {
        maxAttempts: 4,
        initialDelay: 500,
        maxDelay: 60_000,
        useExponential: true,
      });
      assert.deepEqual(config.executor.resourceLimits, {
        maxCpuPercent: 75.5,
        maxMemoryPercent: 80,
        maxConcurrentTasks: 3,
        monitoringInterval: 1000,
        throttleThreshold: 0.9,
      });
      assert.deepEqual(config.state, {
        enabled: true,
        config: {
          databaseUrl: `sqlite:${join(dir, 'state/jorm.db')}`,
          enableCheckpoints: true,
          checkpointInterval: 60_000,
          cleanupCompletedAfter: 7 * 86_400_000,
          maxExecutionHistory: 50,
        },
      });
      assert.deepEqual(config.environment, {
        variables: { GREETING: 'hello', SERVICE_TOKEN: 'tok-from-file-123' },
        inheritParent: false,
        inheritExecutor: true,
        exclude: ['AWS_*', 'OLDPWD'],
        enableInterpolation: true,
        securePrefixes: ['SECRET_', '*_TOKEN'],
      });
      assert.deepEqual(config.distributed, {
        backend: 'bullmq',
        redisUrl: 'redis://127.0.0.1:6379',
        queueName: 'builds',
      });
      const source = config.sources['executor.max_concurrent_tasks'];
      assert.equal(source?.kind, 'file');
      assert.equal(
        formatSource(config.sources['executor.resource_limits.max_memory_percent'] ?? { kind: 'code' }),
        'default',
      );
    });
  }

  it('locates each value of a TOML file at its line and column', async () => {
    const dir = await dirWith();
    await copyFile(join(FIXTURES, 'full.toml'), join(dir, 'jorm.toml'));
    const config = load(dir);
    const at = (key: string) => formatSource(config.sources[key] ?? { kind: 'default' }, dir);
    assert.equal(at('log_level'), 'jorm.toml:2:1');
    assert.equal(at('executor.default_timeout'), 'jorm.toml:6:1');
    assert.equal(at('executor.environment_variables.REGION'), 'jorm.toml:13:1');
    assert.equal(at('executor.retry_config.max_attempts'), 'jorm.toml:16:1');
    assert.equal(at('executor.retry_config.max_delay'), 'default');
    assert.equal(at('environment.variables.SERVICE_TOKEN'), 'jorm.toml:34:35');
  });

  it('finds the file in a parent directory, prefers --config, and JORM_CONFIG', async () => {
    const dir = await dirWith({ 'jorm.yaml': 'log_level: warn\n', 'other.json': '{"log_level": "error"}' });
    const sub = join(dir, 'a', 'b');
    await mkdir(sub, { recursive: true });
    assert.equal(load(sub).logLevel, 'warn');
    assert.equal(load(sub, { configPath: '../../other.json' }).logLevel, 'error');
    assert.equal(load(sub, { env: { JORM_CONFIG: join(dir, 'other.json') } }).logLevel, 'error');
  });

  it('reads configuration files that start with a byte order mark, JSON included', async () => {
    for (const [name, text] of [
      ['jorm.json', '{"log_level": "warn"}'],
      ['jorm.toml', 'log_level = "warn"\n'],
      ['jorm.yaml', 'log_level: warn\n'],
    ] as const) {
      const dir = await dirWith({ [name]: `\uFEFF${text}` });
      assert.equal(load(dir).logLevel, 'warn', name);
    }
  });

  it('warns when a directory holds two configuration files, and uses the TOML one', async () => {
    const dir = await dirWith({ 'jorm.toml': 'log_level = "warn"\n', 'jorm.yaml': 'log_level: error\n' });
    const config = load(dir);
    assert.equal(config.logLevel, 'warn');
    assert.match(config.warnings[0] ?? '', /holds jorm\.toml and jorm\.yaml; using jorm\.toml/);
  });

  it('reports syntax errors with line and column', async () => {
    assert.deepEqual(problemsOf(await dirWith({ 'jorm.toml': '[executor]\nmax_concurrent_tasks = = 3\n' })), [
      'jorm.toml:2:24: invalid TOML: invalid value',
    ]);
    assert.match(
      problemsOf(await dirWith({ 'jorm.json': '{\n  "executor": {\n    "fail_fast": tru\n  }\n}' }))[0] ?? '',
      /^jorm\.json:3:18: invalid JSON/,
    );
    assert.match(
      problemsOf(await dirWith({ 'jorm.yaml': 'executor:\n  fail_fast: [true\n' }))[0] ?? '',
      /^jorm\.yaml:\d+:\d+: invalid YAML/,
    );
    assert.deepEqual(problemsOf(await dirWith({ 'jorm.yaml': '- a\n- b\n' })), [
      'jorm.yaml:1:1: a configuration file must hold a table of sections at the top',
    ]);
  });
});
