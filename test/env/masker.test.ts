import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MIN_MASKED_LENGTH, SecretMasker } from '../../src/env/masker.js';

describe('SecretMasker', () => {
  it('replaces every occurrence of every secret, longest first', () => {
    const masker = new SecretMasker(['s3cr3t', 's3cr3t-and-more']);
    assert.equal(masker.mask('a s3cr3t b s3cr3t-and-more c s3cr3t'), 'a *** b *** c ***');
  });

  it('treats regular expression characters literally', () => {
    const masker = new SecretMasker(['a.b*c(d)[e]$']);
    assert.equal(masker.mask('x a.b*c(d)[e]$ y aXbbc'), 'x *** y aXbbc');
  });

  it(`ignores values shorter than ${MIN_MASKED_LENGTH} characters, and empty ones`, () => {
    const masker = new SecretMasker(['', '1', 'abc', 'abcd']);
    assert.equal(masker.size, 1);
    assert.equal(masker.mask('1 abc abcd'), '1 abc ***');
  });

  it('masks each line of a multi-line secret and its JSON-escaped form', () => {
    const key = '-----BEGIN KEY-----\nMIIEvQIBADANBgkq\n-----END KEY-----';
    const masker = new SecretMasker([key, 'quo"te\\slash']);
    assert.equal(masker.mask('line: MIIEvQIBADANBgkq'), 'line: ***');
    assert.equal(masker.mask(JSON.stringify({ k: key })), '{"k":"***"}');
    assert.equal(masker.mask(JSON.stringify('quo"te\\slash')), '"***"');
  });

  it('masks strings deep inside data', () => {
    const masker = new SecretMasker(['topsecret']);
    const data = { a: ['x topsecret', 1, null, { topsecret: 'topsecret' }] };
    assert.deepEqual(masker.maskValue(data), { a: ['x ***', 1, null, { '***': '***' }] });
    assert.deepEqual(data.a[0], 'x topsecret');
  });

  it('returns text unchanged when there is nothing to mask', () => {
    const masker = new SecretMasker();
    const text = 'x'.repeat(1000);
    assert.equal(masker.mask(text), text);
  });

  it('masks a large output with many secrets', () => {
    const secrets = Array.from({ length: 200 }, (_, i) => `secret-value-${i}-${'z'.repeat(i % 7)}`);
    const masker = new SecretMasker(secrets);
    const chunk = `log line with ${secrets[123]} and more text\n`;
    const big = chunk.repeat(50_000);
    const masked = masker.mask(big);
    assert.equal(masked.includes('secret-value'), false);
    assert.equal(masked.length, big.length - 50_000 * ((secrets[123]?.length ?? 0) - 3));
  });

  it('masks a secret split across stream chunks, wherever it is split', () => {
    const secret = 'p4ssw0rd-xyz';
    const masker = new SecretMasker([secret, 'another-secret']);
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.array(fc.nat(), { maxLength: 6 }), (before, after, cuts) => {
        const text = `${before}${secret}${after}`;
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const stream = masker.createStream();
        let out = '';
        let last = 0;
        for (const p of points) {
          out += stream.write(text.slice(last, p));
          last = p;
        }
        out += stream.write(text.slice(last));
        out += stream.flush();
        assert.equal(out, masker.mask(text));
      }),
    );
  });

  it('releases stream text that cannot start a secret at once', () => {
    const stream = new SecretMasker(['abcdef']).createStream();
    assert.equal(stream.write('hello xyz'), 'hello xyz');
    assert.equal(stream.write('abc'), '');
    assert.equal(stream.write('def!'), '***!');
    assert.equal(stream.write('ab'), '');
    assert.equal(stream.flush(), 'ab');
  });
});
