/** Routing of tasks to queues, and the queues a worker listens on. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JormKeys, routeQueueName, workerQueueNames } from '../../src/distributed/keys.js';
import { ConfigurationError } from '../../src/model/errors.js';

describe('queue routing', () => {
  it('names a route by its base and its sorted, distinct tags', () => {
    assert.equal(routeQueueName('jorm', []), 'jorm');
    assert.equal(routeQueueName('jorm', ['large', 'gpu', 'gpu']), 'jorm@gpu+large');
  });

  it('lets a worker listen on every subset of its tags, so it takes what it can run', () => {
    const queues = workerQueueNames(['jorm'], ['large', 'gpu']);
    assert.deepEqual(new Set(queues), new Set(['jorm', 'jorm@gpu', 'jorm@large', 'jorm@gpu+large']));
    for (const tags of [[], ['gpu'], ['large'], ['gpu', 'large']]) {
      assert.ok(queues.includes(routeQueueName('jorm', tags)));
    }
    assert.ok(!queues.includes(routeQueueName('jorm', ['gpu', 'arm'])));
    assert.deepEqual(workerQueueNames(['a', 'b'], []), ['a', 'b']);
  });

  it('rejects names BullMQ or the routing cannot take, and too many tags', () => {
    assert.throws(() => routeQueueName('jorm', ['a:b']), ConfigurationError);
    assert.throws(() => workerQueueNames(['with space'], []), /queue "with space" is not a valid queue name/);
    assert.throws(() => workerQueueNames(['jorm'], ['a', 'b', 'c', 'd', 'e', 'f', 'g']), /use fewer tags/);
    assert.throws(() => new JormKeys('__x'), ConfigurationError);
  });

  it('keeps jorm keys apart from BullMQ queue keys', () => {
    const keys = new JormKeys('p');
    assert.equal(keys.worker('h:1:x'), 'p:__jorm__:worker:h:1:x');
    assert.equal(keys.executionChannel('E'), 'p:__jorm__:exec:E');
  });
});
