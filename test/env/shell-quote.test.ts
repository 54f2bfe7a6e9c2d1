import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { quoteForShell } from '../../src/env/shell-quote.js';

/** Runs `printf '%s\0' <quoted>…` in one real shell and returns the words the shell passed to printf. */
function roundTrip(shell: string, values: readonly string[]): string[] {
  const words = values.map((v) => quoteForShell(v, shell)).join(' ');
  const out = execFileSync(shell, ['-c', `printf '%s\\0' ${words}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
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
      assert.deepEqual(roundTrip(shell, NASTY), NASTY);
    });
  }

  it('survives any text in sh (generated values)', () => {
    const values = fc.sample(
      fc.string({ unit: 'grapheme', maxLength: 40 }).filter((v) => !v.includes('\0')),
      300,
    );
    assert.deepEqual(roundTrip('sh', values), values);
  });

  it('leaves safe words bare and quotes the rest', () => {
    assert.equal(quoteForShell('abc-1.2/x'), 'abc-1.2/x');
    assert.equal(quoteForShell(''), "''");
    assert.equal(quoteForShell("a'b", '/usr/bin/bash'), "'a'\\''b'");
    assert.equal(quoteForShell("a'b", 'pwsh'), "'a''b'");
    assert.equal(quoteForShell('a"b', 'cmd.exe'), '"a""b"');
  });
});
