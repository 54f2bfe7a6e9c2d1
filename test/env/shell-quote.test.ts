import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { quoteForShell } from '../../src/env/shell-quote.js';

/** Runs `printf %s <quoted>` in a real shell and returns what the shell passed to printf. */
function roundTrip(shell: string, value: string): string {
  return execFileSync(shell, ['-c', `printf %s ${quoteForShell(value, shell)}`], { encoding: 'utf8' });
}

const NASTY = [
  "it's",
  'a "b" c',
  '$(touch /tmp/jorm-pwned)',
  '`id`',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion the quoting must defuse
  '${HOME}',
  'x; rm -rf /',
  '\\n\\\\',
  'tab\there',
  'new\nline',
  '',
  '*',
  '~',
  '-n',
];

describe('quoteForShell', () => {
  for (const shell of ['sh', 'bash', 'dash', 'zsh', 'fish'].filter(
    (s) => existsSync(`/usr/bin/${s}`) || existsSync(`/bin/${s}`),
  )) {
    it(`gives ${shell} back exactly the value`, () => {
      for (const value of NASTY) assert.equal(roundTrip(shell, value), value, JSON.stringify(value));
    });
  }

  it('survives any printable text in sh (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 40 }), (value) => {
        assert.equal(roundTrip('sh', value), value);
      }),
      { numRuns: 60 },
    );
  });

  it('leaves safe words bare and quotes the rest', () => {
    assert.equal(quoteForShell('abc-1.2/x'), 'abc-1.2/x');
    assert.equal(quoteForShell(''), "''");
    assert.equal(quoteForShell("a'b", '/usr/bin/bash'), "'a'\\''b'");
    assert.equal(quoteForShell("a'b", 'pwsh'), "'a''b'");
    assert.equal(quoteForShell('a"b', 'cmd.exe'), '"a""b"');
  });
});
