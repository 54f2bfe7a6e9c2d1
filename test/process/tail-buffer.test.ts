import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TailBuffer } from '../../src/process/tail-buffer.js';

describe('TailBuffer', () => {
  it('keeps everything below the limit', () => {
    const tail = new TailBuffer(10);
    tail.push(Buffer.from('abc'));
    tail.push(Buffer.from('def'));
    assert.equal(tail.toString(), 'abcdef');
    assert.equal(tail.dropped, 0);
  });

  it('keeps the last bytes and counts the dropped ones, across and within chunks', () => {
    const tail = new TailBuffer(5);
    tail.push(Buffer.from('abc'));
    tail.push(Buffer.from('defg'));
    assert.equal(tail.toString(), 'cdefg');
    assert.equal(tail.dropped, 2);
    tail.push(Buffer.from('0123456789'));
    assert.equal(tail.toString(), '56789');
    assert.equal(tail.dropped, 12);
  });

  it('skips a character cut in half at the front', () => {
    const tail = new TailBuffer(4);
    tail.push(Buffer.from('xéé')); // x + 2 + 2 bytes: the first é loses its first byte
    assert.equal(tail.dropped, 1);
    assert.equal(tail.toString(), 'éé');
    const cut = new TailBuffer(3);
    cut.push(Buffer.from('éé'));
    assert.equal(cut.toString(), 'é');
  });
});
