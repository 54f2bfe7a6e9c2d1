import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigFileError } from '../../src/config/errors.js';
import {
  type Configuration,
  type LoadConfigurationOptions,
  loadConfiguration,
} from '../../src/config/load.js';
import { formatSource } from '../../src/config/sources.js';
import { DEFAULT_SECURE_PREFIXES } from '../../src/env/environment-config.js';
import { formatDiagnostic } from '../../src/model/diagnostic.js';

const FIXTURES = resolve('test/fixtures/config');
let root = '';
let counter = 0;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'jorm-config-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh directory holding `files`. */
async function dirWith(files: Record<string, string> = {}): Promise<string> {
  const dir = join(root, `d${counter++}`);
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

function load(cwd: string, options: Omit<LoadConfigurationOptions, 'cwd'> = {}): Configuration {
  return loadConfiguration({ env: {}, ...options, cwd });
}

/** The formatted problems of a configuration that fails to load. */
function problemsOf(cwd: string, options: Omit<LoadConfigurationOptions, 'cwd'> = {}): string[] {
  try {
    load(cwd, options);
  } catch (error) {
    if (error instanceof ConfigFileError)
      return error.diagnostics.map((d) =>
        formatDiagnostic({ ...d, sourceLine: undefined }).replace(`${cwd}/`, ''),
      );
    throw error;
  }
  assert.fail('expected the configuration to be rejected');
}

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

describe('loadConfiguration: validation rules', () => {
  const cases: [string, string, string][] = [
    [
      'unknown key with a suggestion',
      '[executor]\nmax_concurent_tasks = 3\n',
      'jorm.toml:2:1: unknown key "max_concurent_tasks" in [executor] (did you mean "max_concurrent_tasks"?)',
    ],
    [
      'unknown section',
      '[enviroment]\nexclude = []\n',
      'jorm.toml:1:1: unknown key "enviroment" at the top level (did you mean "environment"?)',
    ],
    [
      'unknown key in a nested section',
      '[executor.resource_limits]\nmax_cpu = 50\n',
      'jorm.toml:2:1: unknown key "max_cpu" in [executor.resource_limits] (did you mean "max_cpu_percent"?)',
    ],
    [
      'concurrency above 0',
      '[executor]\nmax_concurrent_tasks = 0\n',
      'jorm.toml:2:1: executor.max_concurrent_tasks must be a whole number of at least 1, got 0',
    ],
    [
      'concurrency a whole number',
      '[executor]\nmax_concurrent_tasks = 2.5\n',
      'jorm.toml:2:1: executor.max_concurrent_tasks must be a whole number of at least 1, got 2.5',
    ],
    [
      'numbers without quotes',
      '[executor]\nmax_concurrent_tasks = "4"\n',
      'jorm.toml:2:1: executor.max_concurrent_tasks must be a whole number of at least 1 (without quotes), got "4"',
    ],
    [
      'timeout above 0',
      '[executor]\ndefault_timeout = "0s"\n',
      'jorm.toml:2:1: executor.default_timeout must be a duration greater than 0, such as "500ms", "30s", "5m", got "0s"',
    ],
    [
      'timeout a duration',
      '[executor]\ndefault_timeout = "soon"\n',
      'jorm.toml:2:1: executor.default_timeout must be a duration greater than 0, such as "500ms", "30s", "5m", got "soon"',
    ],
    [
      'checkpoint interval above 0',
      '[state]\ncheckpoint_interval = 0\n',
      'jorm.toml:2:1: state.checkpoint_interval must be a duration greater than 0, such as "500ms", "30s", "5m", got 0',
    ],
    [
      'percentages within 0–100',
      '[executor.resource_limits]\nmax_memory_percent = 101\n',
      'jorm.toml:2:1: executor.resource_limits.max_memory_percent must be a number above 0 up to 100, got 101',
    ],
    [
      'percentages above 0',
      '[executor.resource_limits]\nmax_cpu_percent = 0\n',
      'jorm.toml:2:1: executor.resource_limits.max_cpu_percent must be a number above 0 up to 100, got 0',
    ],
    [
      'threshold within 0–1',
      '[executor.resource_limits]\nthrottle_threshold = 1.5\n',
      'jorm.toml:2:1: executor.resource_limits.throttle_threshold must be a number above 0 up to 1, got 1.5',
    ],
    [
      'booleans',
      '[state]\nenabled = "yes"\n',
      'jorm.toml:2:1: state.enabled must be true or false (without quotes), got "yes"',
    ],
    [
      'known log levels',
      'log_level = "verbose"\n',
      'jorm.toml:1:1: log_level must be one of error, warn, info, debug, trace, got "verbose"',
    ],
    [
      'backends',
      '[distributed]\nbackend = "celery"\n',
      'jorm.toml:2:1: distributed.backend must be one of local, bullmq, got "celery"',
    ],
    ['sections are tables', 'state = 3\n', 'jorm.toml:1:1: [state] must be a table, got 3'],
    [
      'variable names',
      '[environment.variables]\n"BAD-NAME" = "x"\n',
      'jorm.toml:2:1: environment.variables.BAD-NAME: "BAD-NAME" is not a valid variable name (use letters, digits and "_", not starting with a digit)',
    ],
    [
      'exclude patterns',
      '[environment]\nexclude = ["AWS_*", "a.b"]\n',
      'jorm.toml:2:1: environment.exclude: entry "a.b" is invalid: "." is not allowed in a pattern (use letters, digits, "_", and the wildcards "*" and "?")',
    ],
    [
      'throttling requires limits',
      '[executor]\nenable_resource_throttling = true\n',
      'jorm.toml:2:1: enableResourceThrottling requires resourceLimits'
        .replace('enableResourceThrottling', 'executor.enable_resource_throttling')
        .replace('resourceLimits', 'executor.resource_limits'),
    ],
    [
      "the limits' concurrency not above the executor's",
      '[executor]\nmax_concurrent_tasks = 2\n[executor.resource_limits]\nmax_concurrent_tasks = 4\n',
      'jorm.toml:4:1: executor.resource_limits.max_concurrent_tasks (4) must not be above executor.max_concurrent_tasks (2)',
    ],
    [
      'profile keys',
      '[profiles.x]\nexecutor = { profile = "y" }\n',
      'jorm.toml:2:14: executor.profile cannot be set in profile "x"',
    ],
  ];
  for (const [rule, text, expected] of cases) {
    it(rule, async () => {
      assert.deepEqual(problemsOf(await dirWith({ 'jorm.toml': text })), [expected]);
    });
  }

  it('reports every problem of a file at once, in YAML and JSON too', async () => {
    const yaml = problemsOf(
      await dirWith({
        'jorm.yaml': 'executor:\n  fail_fsat: true\n  default_timeout: -1\nstate:\n  databse_url: x\n',
      }),
    );
    assert.deepEqual(yaml, [
      'jorm.yaml:2:3: unknown key "fail_fsat" in [executor] (did you mean "fail_fast"?)',
      'jorm.yaml:3:3: executor.default_timeout must be a duration greater than 0, such as "500ms", "30s", "5m", got -1',
      'jorm.yaml:5:3: unknown key "databse_url" in [state] (did you mean "database_url"?)',
    ]);
    const json = problemsOf(
      await dirWith({ 'jorm.json': '{\n  "executor": {\n    "max_concurrent_task": 1\n  }\n}\n' }),
    );
    assert.deepEqual(json, [
      'jorm.json:3:5: unknown key "max_concurrent_task" in [executor] (did you mean "max_concurrent_tasks"?)',
    ]);
  });

  it('checks the profiles that are not in use too', async () => {
    assert.deepEqual(problemsOf(await dirWith({ 'jorm.toml': '[profiles.later.state]\nenabeld = true\n' })), [
      'jorm.toml:2:1: unknown key "enabeld" in [state] in profile "later" (did you mean "enabled"?)',
    ]);
  });
});

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
