import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeTripleString, quoteJormString, tripleQuoteJormString } from '../../src/parse/jorm-strings.js';
import {
  formatMemorySize,
  joinCommandLine,
  parseMemorySize,
  splitCommandLine,
} from '../../src/parse/units.js';

describe('memory sizes', () => {
  it('reads numbers as bytes and every unit in any case', () => {
    assert.equal(parseMemorySize(512), 512);
    assert.equal(parseMemorySize('512'), 512);
    assert.equal(parseMemorySize('1B'), 1);
    assert.equal(parseMemorySize('1kb'), 1000);
    assert.equal(parseMemorySize('1 MB'), 1_000_000);
    assert.equal(parseMemorySize('1GB'), 1e9);
    assert.equal(parseMemorySize('1TB'), 1e12);
    assert.equal(parseMemorySize('1KiB'), 1024);
    assert.equal(parseMemorySize('1mib'), 1024 ** 2);
    assert.equal(parseMemorySize('0.5GiB'), 512 * 1024 ** 2);
    assert.equal(parseMemorySize('2TiB'), 2 * 1024 ** 4);
  });

  it('rejects what is not a size', () => {
    for (const bad of ['', 'lots', '5 XB', '-1MB', '1.2.3', null, {}, -1, Number.NaN]) {
      assert.equal(parseMemorySize(bad), undefined, String(bad));
    }
  });

  it('formats with the largest exact unit', () => {
    assert.equal(formatMemorySize(512_000_000), '512MB');
    assert.equal(formatMemorySize(2 * 1024 ** 3), '2GiB');
    assert.equal(formatMemorySize(1536), 1536);
    assert.equal(formatMemorySize(1000), '1KB');
    assert.equal(formatMemorySize(1001), 1001);
  });
});

describe('command lines', () => {
  it('splits on spaces, keeping quoted text together', () => {
    assert.deepEqual(splitCommandLine('execute --file other.jorm'), {
      words: ['execute', '--file', 'other.jorm'],
    });
    assert.deepEqual(splitCommandLine(`a 'b c' "d \\"e\\"" f\\ g ''`), {
      words: ['a', 'b c', 'd "e"', 'f g', ''],
    });
    assert.deepEqual(splitCommandLine('  '), { words: [] });
    assert.deepEqual(splitCommandLine('a "b'), { error: 'unterminated double quote' });
  });

  it('joins words so that they split back the same', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 8 }), { maxLength: 6 }), (words) => {
        assert.deepEqual(splitCommandLine(joinCommandLine(words)), { words });
      }),
    );
  });
});

describe('JORM string literals', () => {
  it('quoted strings escape what they must', () => {
    assert.equal(quoteJormString('a "b"\n\\\t\u0001'), '"a \\"b\\"\\n\\\\\\t\\u0001"');
  });

  it('triple-quoted strings are used only when they read back exactly', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '\n', '"', '\t', 'b') }), (value) => {
        const literal = tripleQuoteJormString(value, '    ');
        if (literal !== undefined) assert.equal(decodeTripleString(literal.slice(3, -3)), value);
      }),
    );
    assert.equal(tripleQuoteJormString('one line', '  '), undefined);
    assert.equal(tripleQuoteJormString('a\nb\n', '  '), '"""\n  a\n  b\n  """');
  });
});
