import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, parseUserDuration, tryParseDuration } from '../../src/model/duration.js';

describe('durations', () => {
  it('reads every unit', () => {
    assert.equal(tryParseDuration('500ms'), 500);
    assert.equal(tryParseDuration('30s'), 30_000);
    assert.equal(tryParseDuration('10m'), 600_000);
    assert.equal(tryParseDuration('2h'), 7_200_000);
    assert.equal(tryParseDuration('7d'), 604_800_000);
    assert.equal(tryParseDuration('1.5s'), 1500);
  });
  it('takes API numbers as milliseconds and user numbers as seconds', () => {
    assert.equal(tryParseDuration(250), 250);
    assert.equal(parseUserDuration(30), 30_000);
    assert.equal(parseUserDuration('30'), 30_000);
  });
  it('rejects what is not a duration', () => {
    for (const bad of ['', 'soon', '10 minutes', '-5s', Number.NaN, -1, null, {}]) {
      assert.equal(tryParseDuration(bad), undefined, String(bad));
    }
  });
  it('formats for people', () => {
    assert.equal(formatDuration(850), '850ms');
    assert.equal(formatDuration(1234), '1.23s');
    assert.equal(formatDuration(185_000), '3m 05s');
    assert.equal(formatDuration(7_800_000), '2h 10m');
  });
});
