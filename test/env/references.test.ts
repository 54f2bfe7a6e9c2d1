// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${…} references in plain strings
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { defaultEnvironmentConfig, resolveEnvironmentConfig } from '../../src/env/environment-config.js';
import { EnvironmentManager } from '../../src/env/manager.js';
import { validateReferences } from '../../src/env/references.js';
import { Dag } from '../../src/model/dag.js';
import { formatDiagnostic } from '../../src/model/diagnostic.js';
import { Task } from '../../src/model/task.js';
import { parseDag } from '../../src/parse/parse-dag.js';

const FIXTURE = resolve('test/fixtures/env/bad-refs.jorm');

function fixtureDag(): Dag {
  return parseDag(readFileSync(FIXTURE, 'utf8'), { format: 'jorm', file: 'bad-refs.jorm' });
}

describe('validateReferences', () => {
  it('reports every bad reference with file:line:col and the reference', () => {
    const environment = new EnvironmentManager({}, defaultEnvironmentConfig(), {
      parentEnv: { HOME: '/root' },
    });
    const lines = validateReferences(fixtureDag(), { environment }).map(
      (d) => `${d.code} ${formatDiagnostic(d)}`,
    );
    assert.deepEqual(lines, [
      "task-reference-not-allowed bad-refs.jorm:4:8: DAG env.GREETING: ${task.first.stdout}: only a task's own fields and env may reference task outputs",
      'not-upstream bad-refs.jorm:8:5: task "first", command: ${task.second.stdout} refers to task "second", which is not upstream of this task (add "second" to depends_on)',
      'not-upstream bad-refs.jorm:8:5: task "first", command: ${task.first.stdout}: a task cannot read its own output',
      'unknown-parameter bad-refs.jorm:13:5: task "second", url: ${params.regoin}: unknown parameter regoin (did you mean "region"?)',
      'unknown-variable bad-refs.jorm:14:16: task "second", headers.X-Id: ${UNKNOWN_VAR}: unknown variable UNKNOWN_VAR (define it, or give a default: ${UNKNOWN_VAR:-value})',
      'unknown-task-reference bad-refs.jorm:22:15: task "third", kwargs.n: ${task.seccond.output.n} refers to "seccond", which is not a task of this DAG (did you mean "second"?)',
      'bad-reference bad-refs.jorm:23:46: task "third", env.BAD: unterminated "${": add the closing "}" in ${oops',
    ]);
  });

  it('knows variables from every layer, the builtins and upstream outputs', () => {
    const dag = new Dag('d');
    dag.environment = { FROM_DAG: '1' };
    const a = Task.shell('a', 'true');
    const b = Task.shell(
      'b',
      'echo ${FROM_PARENT} ${FROM_FILE} ${FROM_EXEC} ${FROM_CONFIG} ${FROM_DAG} ${FROM_CLI} ${OWN} ${JORM_TASK_ID} ${JORM_OUTPUT_A}',
    ).addDependency('a');
    b.environment = { OWN: '${FROM_DAG}' };
    dag.addTask(a).addTask(b);
    const environment = new EnvironmentManager(
      { FROM_EXEC: '1' },
      resolveEnvironmentConfig({ variables: { FROM_CONFIG: '1' } }),
      {
        parentEnv: { FROM_PARENT: '1' },
        envFile: { FROM_FILE: '1' },
      },
    );
    assert.deepEqual(validateReferences(dag, { environment, commandLineEnv: { FROM_CLI: '1' } }), []);
    const c = Task.shell('c', 'echo ${JORM_OUTPUT_A}');
    dag.addTask(c);
    assert.deepEqual(
      validateReferences(dag, { environment, commandLineEnv: { FROM_CLI: '1' } }).map((d) => d.message),
      ['task "c", command: ${JORM_OUTPUT_A}: unknown variable JORM_OUTPUT_A'],
    );
  });

  it('treats excluded variables as unknown', () => {
    const dag = new Dag('d').addTask(Task.shell('a', 'echo ${AWS_SECRET_ACCESS_KEY}'));
    const environment = new EnvironmentManager({}, resolveEnvironmentConfig({ exclude: ['AWS_*'] }), {
      parentEnv: { AWS_SECRET_ACCESS_KEY: 'x' },
    });
    assert.equal(validateReferences(dag, { environment })[0]?.code, 'unknown-variable');
  });

  it('accepts run params and declared params, and checks executor-level values', () => {
    const dag = new Dag('d').addTask(Task.shell('a', 'echo ${params.who} ${params.when}'));
    dag.params = { who: 'me' };
    const environment = new EnvironmentManager({ BAD: '${task.a.stdout}' }, defaultEnvironmentConfig(), {
      parentEnv: {},
    });
    const messages = validateReferences(dag, { environment, params: { when: 'now' } }).map((d) => d.message);
    assert.deepEqual(messages, [
      "executor.environment_variables.BAD: ${task.a.stdout}: only a task's own fields and env may reference task outputs",
    ]);
  });

  it('skips unknown variables without the run environment, and everything without interpolation', () => {
    const dag = fixtureDag();
    const codes = validateReferences(dag, { checkVariables: false }).map((d) => d.code);
    assert.equal(codes.includes('unknown-variable'), false);
    assert.equal(codes.includes('not-upstream'), true);
    const off = new EnvironmentManager({}, resolveEnvironmentConfig({ enableInterpolation: false }));
    assert.deepEqual(validateReferences(dag, { environment: off }), []);
  });

  it('still checks a custom config that is not JSON (a BigInt in it)', () => {
    const dag = new Dag('d');
    const task = new Task('big', 'big', 'custom', {
      kind: 'custom',
      values: { size: 10n ** 20n, target: '${task.nowhere.stdout}' },
    });
    dag.addTask(task);
    const codes = validateReferences(dag).map((d) => d.code);
    assert.deepEqual(codes, ['unknown-task-reference']);
  });
});
