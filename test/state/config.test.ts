import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationError } from '../../src/model/errors.js';
import { parseDatabaseUrl, resolveStateConfig, resolveStateLocation } from '../../src/state/config.js';

describe('state configuration', () => {
  it('has the reference defaults and validates values', () => {
    assert.deepEqual(resolveStateConfig(), {
      databaseUrl: 'sqlite:.jorm/state.db',
      enableCheckpoints: true,
      checkpointInterval: 30_000,
    });
    assert.equal(resolveStateConfig({ maxExecutionHistory: 5 }).maxExecutionHistory, 5);
    for (const bad of [
      { checkpointInterval: 0 },
      { maxExecutionHistory: 0 },
      { cleanupCompletedAfter: -1 },
      { databaseUrl: ' ' },
    ]) {
      assert.throws(() => resolveStateConfig(bad), ConfigurationError);
    }
  });

  it('reads database URLs', () => {
    assert.deepEqual(parseDatabaseUrl('sqlite::memory:'), { kind: 'memory' });
    assert.deepEqual(parseDatabaseUrl(':memory:'), { kind: 'memory' });
    assert.deepEqual(parseDatabaseUrl('sqlite:/var/x.db'), { kind: 'file', path: '/var/x.db' });
    assert.deepEqual(parseDatabaseUrl('sqlite:///var/x.db'), { kind: 'file', path: '/var/x.db' });
    assert.deepEqual(parseDatabaseUrl('sqlite:data/x.db', '/w'), { kind: 'file', path: '/w/data/x.db' });
    assert.deepEqual(parseDatabaseUrl('x.db', '/w'), { kind: 'file', path: '/w/x.db' });
  });

  it('picks --state, then JORM_STATE_DATABASE_URL, then .jorm/state.db under the cwd', () => {
    const env = { JORM_STATE_DATABASE_URL: 'sqlite:/env/state.db' };
    assert.equal(resolveStateLocation({ state: 'mine.db', env, cwd: '/w' }), 'sqlite:/w/mine.db');
    assert.equal(resolveStateLocation({ env, cwd: '/w' }), 'sqlite:/env/state.db');
    assert.equal(resolveStateLocation({ env: {}, cwd: '/w' }), 'sqlite:/w/.jorm/state.db');
  });
});
