import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { format, inspect } from 'node:util';
import { isSecureName } from '../../src/env/environment-config.js';
import { revealEnvironment, SecureValue, secretsOf } from '../../src/env/secure-value.js';

describe('SecureValue', () => {
  const secret = SecureValue.secure('hunter2-long');
  const plain = SecureValue.plain('visible');

  it('prints, serializes and inspects a secret as ***', () => {
    assert.equal(String(secret), '***');
    assert.equal(`${secret}`, '***');
    assert.equal(JSON.stringify({ token: secret }), '{"token":"***"}');
    assert.equal(inspect(secret), '***');
    assert.equal(format('%s %o %j', secret, { secret }, secret).includes('hunter2'), false);
    assert.equal(inspect({ nested: [secret] }, { depth: 5, showHidden: true }).includes('hunter2'), false);
    assert.deepEqual(Object.keys(secret), []);
  });

  it('gives the actual value only through value()', () => {
    assert.equal(secret.value(), 'hunter2-long');
    assert.equal(secret.isSecure(), true);
    assert.equal(plain.isSecure(), false);
    assert.equal(new SecureValue('x', true).isSecure(), true);
  });

  it('shows a plain value as itself', () => {
    assert.equal(String(plain), 'visible');
    assert.equal(JSON.stringify(plain), '"visible"');
    assert.equal(inspect(plain), "'visible'");
  });

  it('reveals an environment for a process and lists its secrets', () => {
    const env = { A: plain, B: secret };
    assert.deepEqual(revealEnvironment(env), { A: 'visible', B: 'hunter2-long' });
    assert.deepEqual(secretsOf(env), ['hunter2-long']);
  });
});

describe('secure names', () => {
  it('follows the default prefixes and suffixes, ignoring case', () => {
    for (const name of [
      'SECRET_X',
      'TOKEN_GITHUB',
      'PASSWORD_DB',
      'API_KEY',
      'API_KEY_2',
      'GITHUB_TOKEN',
      'APP_SECRET',
      'DB_PASSWORD',
      'SSH_KEY',
      'github_token',
    ]) {
      assert.equal(isSecureName(name), true, name);
    }
    for (const name of ['PATH', 'HOME', 'SECRETS', 'TOKENIZER', 'KEYBOARD', 'MY_KEYS', 'MONKEY']) {
      assert.equal(isSecureName(name), false, name);
    }
  });

  it('takes custom prefixes and patterns', () => {
    assert.equal(isSecureName('MY_THING', ['MY_']), true);
    assert.equal(isSecureName('GITHUB_TOKEN', ['MY_']), false);
    assert.equal(isSecureName('AWS_ACCESS_ID', ['AWS_*_ID']), true);
  });
});
