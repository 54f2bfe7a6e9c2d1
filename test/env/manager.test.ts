// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${…} references in plain strings
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyInterpolationContext } from '../../src/env/context.js';
import { defaultEnvironmentConfig, resolveEnvironmentConfig } from '../../src/env/environment-config.js';
import { EnvironmentManager } from '../../src/env/manager.js';
import { revealEnvironment } from '../../src/env/secure-value.js';
import { ConfigurationError } from '../../src/model/errors.js';

const parentEnv = {
  SHARED: 'parent',
  PARENT_ONLY: 'p',
  PATH: '/usr/bin',
  AWS_ACCESS_KEY_ID: 'AKIA',
  AWS_REGION: 'eu',
  GITHUB_TOKEN: 'ghp_parenttoken',
};

function manager(
  config = defaultEnvironmentConfig(),
  executorEnv: Record<string, string> = { SHARED: 'executor', EXEC_ONLY: 'e' },
  envFile: Record<string, string> = {},
) {
  return new EnvironmentManager(executorEnv, config, { parentEnv, envFile });
}

describe('EnvironmentManager.buildTaskEnvironment', () => {
  it('layers parent < executor < config variables < DAG < --env < task < builtins', () => {
    const config = resolveEnvironmentConfig({ variables: { SHARED: 'config', CONFIG_ONLY: 'c' } });
    const env = revealEnvironment(
      manager(config).buildTaskEnvironment(
        { SHARED: 'task', TASK_ONLY: 't', JORM_TASK_ID: 'forged' },
        undefined,
        {
          dag: { SHARED: 'dag', DAG_ONLY: 'd', CLI: 'dag' },
          commandLine: { CLI: 'cli' },
          builtins: { JORM_TASK_ID: 'real' },
        },
      ),
    );
    assert.equal(env['SHARED'], 'task');
    assert.equal(env['PARENT_ONLY'], 'p');
    assert.equal(env['EXEC_ONLY'], 'e');
    assert.equal(env['CONFIG_ONLY'], 'c');
    assert.equal(env['DAG_ONLY'], 'd');
    assert.equal(env['CLI'], 'cli');
    assert.equal(env['TASK_ONLY'], 't');
    assert.equal(env['JORM_TASK_ID'], 'real');
  });

  it('shows each layer winning over the one below when the higher ones are absent', () => {
    const m = manager(resolveEnvironmentConfig({ variables: { SHARED: 'config' } }));
    const at = (layers: Parameters<EnvironmentManager['buildTaskEnvironment']>[2]) =>
      m.buildTaskEnvironment({}, undefined, layers)['SHARED']?.value();
    assert.equal(at({}), 'config');
    assert.equal(manager().buildTaskEnvironment({})['SHARED']?.value(), 'executor');
    assert.equal(
      new EnvironmentManager({}, defaultEnvironmentConfig(), { parentEnv })
        .buildTaskEnvironment({})
        ['SHARED']?.value(),
      'parent',
    );
    assert.equal(at({ dag: { SHARED: 'dag' } }), 'dag');
    assert.equal(at({ dag: { SHARED: 'dag' }, commandLine: { SHARED: 'cli' } }), 'cli');
  });

  it('puts .env values below the parent environment and keeps them without inheritance', () => {
    const file = { SHARED: 'dotenv', FROM_FILE: 'f' };
    const inherit = new EnvironmentManager({}, defaultEnvironmentConfig(), {
      parentEnv,
      envFile: file,
    }).buildTaskEnvironment({});
    assert.equal(inherit['SHARED']?.value(), 'parent');
    assert.equal(inherit['FROM_FILE']?.value(), 'f');
    const isolated = new EnvironmentManager({}, resolveEnvironmentConfig({ inheritParent: false }), {
      parentEnv,
      envFile: file,
    }).buildTaskEnvironment({});
    assert.equal(isolated['SHARED']?.value(), 'dotenv');
    assert.equal(isolated['PATH'], undefined);
  });

  it('honours inheritParent, the executor inheritEnvironment and inheritExecutor', () => {
    const noParent = manager(resolveEnvironmentConfig({ inheritParent: false })).buildTaskEnvironment({});
    assert.deepEqual(Object.keys(noParent).sort(), ['EXEC_ONLY', 'SHARED']);
    const noInherit = new EnvironmentManager({ A: '1' }, defaultEnvironmentConfig(), {
      parentEnv,
      inheritEnvironment: false,
    }).buildTaskEnvironment({});
    assert.deepEqual(Object.keys(noInherit), ['A']);
    const noExecutor = manager(resolveEnvironmentConfig({ inheritExecutor: false })).buildTaskEnvironment({});
    assert.equal(noExecutor['SHARED']?.value(), 'parent');
    assert.equal(noExecutor['EXEC_ONLY'], undefined);
  });

  it('excludes names and * globs from every layer but the builtins', () => {
    const m = manager(resolveEnvironmentConfig({ exclude: ['AWS_*', 'PARENT_ONLY', 'TASK_?'] }));
    const env = m.buildTaskEnvironment({ TASK_A: '1', TASK_AB: '2', AWS_X: '3' }, undefined, {
      builtins: { JORM_ATTEMPT: '1' },
    });
    assert.deepEqual(Object.keys(env).sort(), [
      'EXEC_ONLY',
      'GITHUB_TOKEN',
      'JORM_ATTEMPT',
      'PATH',
      'SHARED',
      'TASK_AB',
    ]);
    assert.equal(m.isExcluded('AWS_REGION'), true);
    assert.equal(m.isExcluded('aws_region'), false);
  });

  it('marks secret names secure, and values built from secrets', () => {
    const env = manager().buildTaskEnvironment(
      { DB_PASSWORD: 'pw-value', AUTH: 'Bearer ${GITHUB_TOKEN}', GREETING: 'hi ${PATH}' },
      emptyInterpolationContext(),
    );
    assert.equal(env['GITHUB_TOKEN']?.isSecure(), true);
    assert.equal(env['DB_PASSWORD']?.isSecure(), true);
    assert.equal(env['AUTH']?.isSecure(), true);
    assert.equal(env['AUTH']?.value(), 'Bearer ghp_parenttoken');
    assert.equal(env['GREETING']?.isSecure(), false);
    assert.equal(JSON.stringify(env).includes('ghp_parenttoken'), false);
  });

  it('interpolates declared values in order, each seeing the layers below', () => {
    const config = resolveEnvironmentConfig({ variables: { BIN: '${PATH}:/opt/bin' } });
    const ctx = { ...emptyInterpolationContext(), params: { stage: 'prod' } };
    const env = revealEnvironment(
      manager(config).buildTaskEnvironment(
        { PATH: '${BIN}:/task', A: 'a-${params.stage}', B: '${A}-b', LITERAL: '$$HOME' },
        ctx,
        {
          dag: { PATH: '${PATH}:/dag' },
        },
      ),
    );
    assert.equal(env['BIN'], '/usr/bin:/opt/bin');
    assert.equal(env['PATH'], '/usr/bin:/opt/bin:/task');
    assert.equal(env['B'], 'a-prod-b');
    assert.equal(env['LITERAL'], '$HOME');
  });

  it('does not interpolate without a context, when disabled, or the parent and .env values', () => {
    const parent = { X: '${Y}' };
    const m = new EnvironmentManager({}, resolveEnvironmentConfig({ enableInterpolation: false }), {
      parentEnv: parent,
    });
    assert.equal(m.buildTaskEnvironment({ A: '${X}' }, emptyInterpolationContext())['A']?.value(), '${X}');
    const on = new EnvironmentManager({}, defaultEnvironmentConfig(), {
      parentEnv: parent,
      envFile: { F: '${Z}' },
    });
    const env = on.buildTaskEnvironment({}, emptyInterpolationContext());
    assert.equal(env['X']?.value(), '${Y}');
    assert.equal(env['F']?.value(), '${Z}');
    assert.equal(on.buildTaskEnvironment({ A: '${X}' })['A']?.value(), '${X}');
  });

  it('collects the secrets shared by every task', () => {
    const m = new EnvironmentManager(
      { API_KEY: 'exec-api-key' },
      resolveEnvironmentConfig({ variables: { SECRET_CFG: 'cfg-secret' } }),
      {
        parentEnv,
        envFile: { MY_PASSWORD: 'file-pass' },
      },
    );
    assert.deepEqual(m.sharedSecrets().sort(), [
      'cfg-secret',
      'exec-api-key',
      'file-pass',
      'ghp_parenttoken',
    ]);
  });
});

describe('EnvironmentManager.validateConfig', () => {
  it('accepts the defaults', () => {
    manager().validateConfig();
  });

  it('rejects bad variable names and patterns with every problem', () => {
    const m = new EnvironmentManager(
      { 'BAD-NAME': 'x', OK: 'y' },
      resolveEnvironmentConfig({
        variables: { '1ST': 'z' },
        exclude: ['AWS_*', 'a.b', ''],
        securePrefixes: ['MY TOKEN'],
      }),
    );
    assert.throws(
      () => m.validateConfig(),
      (e: unknown) => {
        assert.ok(e instanceof ConfigurationError);
        assert.equal(e.field, 'environmentVariables');
        assert.equal(e.value, 'BAD-NAME');
        assert.match(e.message, /environmentVariables: "BAD-NAME" is not a valid variable name/);
        assert.match(e.message, /environment\.variables: "1ST" is not a valid variable name/);
        assert.match(e.message, /environment\.exclude\[1\]: "a\.b": "\." is not allowed in a pattern/);
        assert.match(e.message, /environment\.exclude\[2\]: "": a pattern must not be empty/);
        assert.match(e.message, /environment\.securePrefixes\[0\]: "MY TOKEN": " " is not allowed/);
        return true;
      },
    );
  });
});
