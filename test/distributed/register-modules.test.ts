/** Executor modules loaded by `jorm worker --register`. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadExecutorModules } from '../../src/distributed/register-modules.js';
import { TaskRegistry } from '../../src/engine/registry.js';
import { ConfigurationError } from '../../src/model/errors.js';

describe('executor modules', () => {
  it('accepts a module exporting register(registry)', async () => {
    const registry = new TaskRegistry();
    const added = await loadExecutorModules(registry, ['test/fixtures/distributed/executors.mjs']);
    assert.deepEqual(added, ['fixture-shell', 'noop', 'inspect']);
    assert.ok(registry.hasExecutor('noop'));
  });

  it('accepts a module default-exporting an array of executors', async () => {
    const registry = new TaskRegistry();
    assert.deepEqual(await loadExecutorModules(registry, ['./test/fixtures/distributed/default-array.mjs']), [
      'array-one',
      'array-two',
    ]);
  });

  it('names the module and the fix when it cannot be used', async () => {
    const registry = new TaskRegistry();
    await assert.rejects(
      loadExecutorModules(registry, ['./missing.mjs']),
      /executor module \.\/missing\.mjs not found/,
    );
    await assert.rejects(
      loadExecutorModules(registry, ['test/fixtures/distributed/nothing.mjs']),
      (error) => {
        assert.ok(error instanceof ConfigurationError);
        assert.match(error.message, /exports nothing to register/);
        return true;
      },
    );
  });
});
