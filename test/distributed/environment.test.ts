/** What travels of a task's environment, the secrets found for the worker, and sealed job bodies. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  collectSecrets,
  extractSecrets,
  rebuildEnvironment,
  secretNamePredicate,
  secretValuesByName,
  splitEnvironment,
} from '../../src/distributed/environment.js';
import { PayloadCipher } from '../../src/distributed/payload-crypto.js';
import { ConfigurationError, SerializationError } from '../../src/model/errors.js';

const mask = (secrets: string[]) => (text: string) => secrets.reduce((t, s) => t.split(s).join('***'), text);

describe('environment across hosts', () => {
  it('sends only what differs from the coordinator environment, and what the task must not see', () => {
    const coordinator = { PATH: '/usr/bin', HOME: '/home/c', SECRET_SHELL: 'mine', DROPPED: 'x' };
    const task = {
      PATH: '/usr/bin',
      HOME: '/home/c',
      SECRET_SHELL: 'mine',
      FROM_DAG: '1',
      JORM_TASK_ID: 't',
    };
    const split = splitEnvironment(task, coordinator);
    assert.deepEqual(split, { env: { FROM_DAG: '1', JORM_TASK_ID: 't' }, unset: ['DROPPED'] });
    const worker = { PATH: '/bin', HOME: '/home/w', DROPPED: 'y', JORM_PAYLOAD_KEY: 'k' };
    assert.deepEqual(rebuildEnvironment(split, worker), {
      PATH: '/bin',
      HOME: '/home/w',
      FROM_DAG: '1',
      JORM_TASK_ID: 't',
    });
  });

  it('sends a variable set by the DAG, the configuration or the task even when the coordinator has its value', () => {
    const coordinator = { PATH: '/usr/bin', REGION: 'eu-west-9', LIT: 'same-literal' };
    const task = { PATH: '/usr/bin', REGION: 'eu-west-9', LIT: 'same-literal' };
    // Only PATH came from the coordinator's own environment: REGION and LIT were set explicitly.
    const split = splitEnvironment(task, coordinator, new Set(['PATH']));
    assert.deepEqual(split, { env: { REGION: 'eu-west-9', LIT: 'same-literal' }, unset: [] });
    assert.deepEqual(rebuildEnvironment(split, { PATH: '/bin' }), {
      PATH: '/bin',
      REGION: 'eu-west-9',
      LIT: 'same-literal',
    });
  });

  it('finds the secret parts of strings through the masking function', () => {
    const m = mask(['s3cr3t', 'tok-123']);
    assert.deepEqual(extractSecrets('plain', m), []);
    assert.deepEqual(extractSecrets('s3cr3t', m), ['s3cr3t']);
    assert.deepEqual(extractSecrets('https://u:s3cr3t@host/?t=tok-123', m), ['s3cr3t', 'tok-123']);
    assert.deepEqual(extractSecrets('a s3cr3t b s3cr3t', m), ['s3cr3t', 's3cr3t']);
    assert.deepEqual(collectSecrets(['x s3cr3t', 'tok-123', 'none'], m).sort(), ['s3cr3t', 'tok-123']);
    // Two secrets side by side cannot be told apart: the whole string is taken, which over-masks safely.
    assert.deepEqual(extractSecrets('s3cr3ttok-123', m), ['s3cr3ttok-123']);
  });

  it('tells secret variables of the worker by their names', () => {
    const values = secretValuesByName(
      { API_KEY: 'k1', DB_PASSWORD: 'p', NAME: 'n', EMPTY_TOKEN: '' },
      secretNamePredicate(),
    );
    assert.deepEqual(values.sort(), ['k1', 'p']);
    assert.deepEqual(secretValuesByName({ MINE: 'x', API_KEY: 'k' }, secretNamePredicate(['MINE'])), ['x']);
  });
});

describe('sealed job bodies', () => {
  it('opens what it sealed, and refuses another key with a clear message', () => {
    const cipher = new PayloadCipher('0123456789abcdef-shared');
    const sealed = cipher.seal({ env: { SECRET_X: 'hidden value' } });
    assert.ok(!sealed.includes('hidden value'));
    assert.deepEqual(cipher.open(sealed), { env: { SECRET_X: 'hidden value' } });
    assert.throws(
      () => new PayloadCipher('another-key-0123456').open(sealed),
      (error) => {
        assert.ok(error instanceof SerializationError);
        assert.match(error.message, /same payload key \(JORM_PAYLOAD_KEY\)/);
        return true;
      },
    );
    assert.throws(() => new PayloadCipher('short'), ConfigurationError);
  });
});
