// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${…} references in plain strings
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultExecutorConfig } from '../../src/engine/executor-config.js';
import {
  createAttemptPreparer,
  type ExecutionSetup,
  validateExecutionSetup,
} from '../../src/engine/prepare.js';
import { resolveEnvironmentConfig } from '../../src/env/environment-config.js';
import { Dag } from '../../src/model/dag.js';
import { ConfigurationError, DagValidationError, ExecutionContextError } from '../../src/model/errors.js';
import type { TaskResult } from '../../src/model/result.js';
import { Task } from '../../src/model/task.js';

function result(taskId: string, stdout: string, outputData?: unknown): TaskResult {
  const now = new Date();
  return {
    taskId,
    status: 'success',
    startedAt: now,
    completedAt: now,
    duration: 1,
    stdout,
    stderr: '',
    exitCode: 0,
    retryCount: 0,
    metadata: {},
    ...(outputData === undefined ? {} : { outputData }),
  };
}

function setup(dag: Dag, extra: Partial<ExecutionSetup> = {}): ExecutionSetup {
  return {
    dag,
    executionId: 'EXEC1',
    config: {
      ...defaultExecutorConfig(),
      environmentVariables: { EXEC_VAR: 'exec', EXEC_API_KEY: 'exec-api-key-value' },
    },
    params: {},
    parentEnv: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      PARENT_SECRET: 'parent-secret-value',
      SECRET_PARENT: 'parent-secret-2',
    },
    ...extra,
  };
}

describe('createAttemptPreparer', () => {
  it("gives the JORM_* variables and each upstream task's output", () => {
    const dag = new Dag('flow');
    const fetch = Task.shell('fetch-data', 'true');
    const count = Task.shell('count', 'true');
    const use = Task.shell('use', 'true').addDependency('fetch-data').addDependency('count');
    dag.addTask(fetch).addTask(count).addTask(use);
    const preparer = createAttemptPreparer(setup(dag));
    const env = preparer.prepare(use, 2, {
      'fetch-data': result('fetch-data', 'ignored', { rows: [1, 2] }),
      count: result('count', '  42\n'),
    }).environment;
    assert.equal(env['JORM_DAG_ID'], 'flow');
    assert.equal(env['JORM_EXECUTION_ID'], 'EXEC1');
    assert.equal(env['JORM_TASK_ID'], 'use');
    assert.equal(env['JORM_ATTEMPT'], '2');
    assert.equal(env['JORM_OUTPUT_FETCH_DATA'], '{"rows":[1,2]}');
    assert.equal(env['JORM_OUTPUT_COUNT'], '42');
    assert.equal(env['EXEC_VAR'], 'exec');
  });

  it('names the variables inherited from the parent environment, and no variable set explicitly', () => {
    const dag = new Dag('flow');
    dag.environment['REGION'] = '${REGION}';
    const plain = Task.shell('plain', 'true');
    const own = Task.shell('own', 'true').withEnvVar('PATH', '/opt/bin').withEnvVar('LIT', 'x');
    dag.addTask(plain).addTask(own);
    const preparer = createAttemptPreparer(
      setup(dag, {
        parentEnv: { PATH: '/usr/bin', HOME: '/home/me', REGION: 'eu', EXEC_VAR: 'same' },
        commandLineEnv: { FROM_CLI: 'c' },
      }),
    );
    const inheritedOf = (task: Task) => [...(preparer.prepare(task, 1, {}).inheritedVariables ?? [])].sort();
    // REGION (the DAG), EXEC_VAR (the configuration, whatever the parent holds), FROM_CLI and jorm's own
    // variables are set explicitly; the task's own PATH shadows the parent's.
    assert.deepEqual(inheritedOf(plain), ['HOME', 'PATH']);
    assert.deepEqual(inheritedOf(own), ['HOME']);
  });

  it('exports outputs of direct dependencies only, and not those too large for one variable', () => {
    const dag = new Dag('chain');
    dag.addTask(Task.shell('a', 'true')).addTask(Task.shell('b', 'true').addDependency('a'));
    dag.addTask(Task.shell('c', 'true').addDependency('b'));
    const preparer = createAttemptPreparer(setup(dag));
    const env = preparer.prepare(dag.getTask('c') as Task, 1, {
      a: result('a', 'from a'),
      b: result('b', 'x'.repeat(200 * 1024)),
    }).environment;
    assert.equal(env['JORM_OUTPUT_A'], undefined);
    assert.equal(env['JORM_OUTPUT_B'], undefined);
    const small = preparer.prepare(dag.getTask('c') as Task, 1, { b: result('b', 'fine') }).environment;
    assert.equal(small['JORM_OUTPUT_B'], 'fine');
  });

  it('interpolates a copy of the task and runs in a real shell with its environment', () => {
    const dag = new Dag('flow');
    dag.params = { who: 'default', greeting: 'hello' };
    dag.environment = { TARGET: '${params.who}' };
    const first = Task.shell('first', 'true');
    const second = Task.shell(
      'second',
      'printf "%s|%s|%s|%s" "${params.greeting}" "$TARGET" ${task.first.stdout|shell} "$JORM_OUTPUT_FIRST"',
    ).addDependency('first');
    second.environment = { OWN: 'attempt ${JORM_ATTEMPT}' };
    dag.addTask(first).addTask(second);
    const preparer = createAttemptPreparer(setup(dag, { params: { who: 'run-param' } }));
    const prepared = preparer.prepare(second, 1, { first: result('first', "it's $(weird)\n") });
    assert.notEqual(prepared.task, second);
    assert.match((second.config as { command: string }).command, /\$\{params\.greeting\}/);
    assert.deepEqual(second.environment, { OWN: 'attempt ${JORM_ATTEMPT}' });
    assert.deepEqual(prepared.task.environment, { OWN: 'attempt 1' });
    const command = (prepared.task.config as { command: string }).command;
    const out = execFileSync('sh', ['-c', command], { env: prepared.environment, encoding: 'utf8' });
    assert.equal(out, "hello|run-param|it's $(weird)|it's $(weird)");
  });

  it('resolves the working directory against the configured one', () => {
    const dag = new Dag('d');
    const rel = Task.shell('rel', 'true', { workingDir: 'sub/${params.dir}' });
    const abs = Task.shell('abs', 'true', { workingDir: '/var/tmp' });
    const none = Task.shell('none', 'true');
    dag.addTask(rel).addTask(abs).addTask(none);
    dag.params = { dir: 'x' };
    const base = join(tmpdir(), 'jorm-base');
    const preparer = createAttemptPreparer(
      setup(dag, { config: { ...defaultExecutorConfig(), workingDirectory: base } }),
    );
    assert.equal(preparer.prepare(rel, 1, {}).workingDirectory, join(base, 'sub/x'));
    assert.equal(preparer.prepare(abs, 1, {}).workingDirectory, '/var/tmp');
    assert.equal(preparer.prepare(none, 1, {}).workingDirectory, base);
  });

  it('masks every secret: parent, .env, executor, DAG, --env, task and values built from secrets', () => {
    const dag = new Dag('d');
    dag.environment = { DAG_TOKEN: 'dag-token-value' };
    const task = Task.shell('t', 'curl -H "Authorization: Bearer ${SECRET_PARENT}"');
    task.environment = { TASK_PASSWORD: 'task-password-value', HEADER: 'Bearer ${EXEC_API_KEY}' };
    dag.addTask(task);
    const preparer = createAttemptPreparer(
      setup(dag, {
        envFile: { SECRET_FROM_FILE: 'file-secret-value' },
        commandLineEnv: { CLI_SECRET: 'cli-secret-value' },
      }),
    );
    const prepared = preparer.prepare(task, 1, {});
    const text = [
      'parent-secret-value parent-secret-2 exec-api-key-value dag-token-value',
      'task-password-value file-secret-value cli-secret-value',
      prepared.environment['HEADER'],
      (prepared.task.config as { command: string }).command,
    ].join('\n');
    const masked = preparer.mask(text);
    for (const secret of [
      'parent-secret',
      'exec-api-key',
      'dag-token',
      'task-password',
      'file-secret',
      'cli-secret',
    ]) {
      assert.equal(masked.includes(secret), false, secret);
    }
    assert.equal(masked.split('\n')[3], 'curl -H "Authorization: Bearer ***"');
    assert.equal(prepared.secureEnvironment?.['HEADER']?.isSecure(), true);
    assert.equal(JSON.stringify(prepared.secureEnvironment).includes('secret-value'), false);
    assert.deepEqual(preparer.maskValue?.({ t: 'x dag-token-value' }), { t: 'x ***' });
    const stream = preparer.maskStream?.();
    assert.equal(
      `${stream?.write('ab dag-tok')}${stream?.write('en-value cd')}${stream?.flush()}`,
      'ab *** cd',
    );
  });

  it('leaves strings untouched when interpolation is off', () => {
    const dag = new Dag('d');
    const task = Task.shell('t', 'echo ${NOT_DEFINED} $$');
    task.environment = { A: '${B}' };
    dag.addTask(task);
    const preparer = createAttemptPreparer(
      setup(dag, { environment: resolveEnvironmentConfig({ enableInterpolation: false }) }),
    );
    const prepared = preparer.prepare(task, 1, {});
    assert.equal(prepared.task, task);
    assert.equal(prepared.environment['A'], '${B}');
  });

  it('refuses to start with bad references or a bad environment configuration', () => {
    const dag = new Dag('d');
    dag.addTask(Task.shell('a', 'echo ${task.b.stdout} ${UNDEFINED_THING}')).addTask(Task.shell('b', 'true'));
    assert.equal(validateExecutionSetup(setup(dag)).length, 2);
    assert.throws(
      () => createAttemptPreparer(setup(dag)),
      (e: unknown) =>
        e instanceof DagValidationError && e.diagnostics.length === 2 && /not upstream/.test(e.message),
    );
    const ok = new Dag('ok').addTask(Task.shell('a', 'true'));
    assert.throws(
      () =>
        createAttemptPreparer(
          setup(ok, { environment: resolveEnvironmentConfig({ exclude: ['BAD PATTERN'] }) }),
        ),
      ConfigurationError,
    );
  });

  it('fails one attempt with an ExecutionContextError when a value is missing at run time', () => {
    const dag = new Dag('d');
    dag
      .addTask(Task.shell('a', 'true'))
      .addTask(Task.shell('b', 'echo ${task.a.output.missing}').addDependency('a'));
    const preparer = createAttemptPreparer(setup(dag));
    const b = dag.getTask('b') as Task;
    assert.throws(
      () => preparer.prepare(b, 1, { a: result('a', 'x', { other: 1 }) }),
      (e: unknown) =>
        e instanceof ExecutionContextError && /the output of task "a" has no "missing"/.test(e.message),
    );
  });
});
