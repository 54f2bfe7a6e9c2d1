import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ConfigDirs, problemsOf } from './config-dirs.js';

const dirs = new ConfigDirs();
const dirWith = (files: Record<string, string> = {}): Promise<string> => dirs.with(files);
after(() => dirs.cleanup());

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
