import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MarkerSplitter } from '../../src/process/fork-server/marker-splitter.js';
import { commandNeedsSpawn, shellQuote } from '../../src/process/fork-server/task-script.js';

function split(token: string, chunks: (string | Buffer)[]): string[] {
  const seen: string[] = [];
  let data = '';
  const splitter = new MarkerSplitter(token, {
    data: (chunk) => {
      data += chunk.toString('latin1');
    },
    marker: (payload) => {
      if (data) seen.push(`data:${data}`);
      data = '';
      seen.push(`marker:${payload}`);
    },
  });
  for (const chunk of chunks) splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
  if (data) seen.push(`data:${data}`);
  return seen;
}

describe('MarkerSplitter', () => {
  const S = '\x1ejorm:tok:S\x1e';
  const E = '\x1ejorm:tok:E0\x1e';

  it('separates markers from data', () => {
    assert.deepEqual(split('tok', [`${S}hello\n${E}`]), ['marker:S', 'data:hello\n', 'marker:E0']);
  });

  it('finds markers cut across chunks at any byte', () => {
    const text = `${S}ab${E}`;
    for (let cut = 1; cut < text.length; cut++) {
      assert.deepEqual(split('tok', [text.slice(0, cut), text.slice(cut)]), [
        'marker:S',
        'data:ab',
        'marker:E0',
      ]);
    }
  });

  it('passes record separators and markers of other servers through as data', () => {
    const other = '\x1ejorm:xyz:S\x1e';
    assert.deepEqual(split('tok', [`${S}a\x1eb\x1e${other}`, `\x1e${E}`]), [
      'marker:S',
      `data:a\x1eb\x1e${other}\x1e`,
      'marker:E0',
    ]);
  });
});

describe('task scripts', () => {
  it('quotes any string for the shell', () => {
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
  });

  it('tells which commands must be spawned', () => {
    assert.equal(commandNeedsSpawn('make -j2 && ./run > out 2>&1 < in'), undefined);
    assert.equal(commandNeedsSpawn('server &'), 'a background job (&)');
    assert.equal(commandNeedsSpawn('server &>/dev/null'), 'a background job (&)');
    assert.equal(commandNeedsSpawn('a&b'), 'a background job (&)');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax, not a template
    assert.equal(commandNeedsSpawn('echo ${$}'), '$$');
    assert.equal(commandNeedsSpawn('setsid x'), 'a detaching command');
  });
});
