import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigFileError } from '../../src/config/errors.js';
import { envFileBeside, parseEnvFile, readEnvFile } from '../../src/env/dotenv.js';
import { ConfigurationError } from '../../src/model/errors.js';

describe('.env files', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jorm-dotenv-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads every form of value', () => {
    const text = [
      '# a comment',
      '',
      'PLAIN=value',
      'SPACED = spaced value   # trailing comment',
      'export EXPORTED=yes',
      'EMPTY=',
      "SINGLE='literal $HOME \\n # not a comment'",
      'DOUBLE="line1\\nline2 \\"q\\" \\\\ $X"',
      'MULTI="first',
      'second"',
      'HASH=a#b',
      'PLAIN=last wins',
    ].join('\n');
    assert.deepEqual(parseEnvFile(text), {
      PLAIN: 'last wins',
      SPACED: 'spaced value',
      EXPORTED: 'yes',
      EMPTY: '',
      SINGLE: 'literal $HOME \\n # not a comment',
      DOUBLE: 'line1\nline2 "q" \\ $X',
      MULTI: 'first\nsecond',
      HASH: 'a#b',
    });
  });

  it('reports every problem with its line and column', () => {
    const text = [
      'OK=1',
      'no equals sign',
      '  9BAD=x',
      'Q="closed" junk',
      "OPEN='never closed",
      'LATER=1',
    ].join('\n');
    assert.throws(
      () => parseEnvFile(text, 'vars.env'),
      (e: unknown) => {
        assert.ok(e instanceof ConfigFileError);
        const where = e.diagnostics.map(
          (d) => `${d.location?.file}:${d.location?.line}:${d.location?.column} ${d.message}`,
        );
        assert.deepEqual(where, [
          'vars.env:2:1 expected KEY=value',
          'vars.env:3:3 "9BAD" is not a valid variable name',
          'vars.env:4:12 unexpected text after the quoted value of Q',
          'vars.env:5:6 unterminated single-quoted value of OPEN',
        ]);
        assert.match(e.message, /^vars\.env:2:1: expected KEY=value/);
        return true;
      },
    );
  });

  it('finds the file beside a DAG and reads it', async () => {
    const dag = join(dir, 'flow.jorm');
    assert.equal(envFileBeside(dag), undefined);
    await writeFile(join(dir, '.env'), 'SECRET_X=abc\n');
    assert.equal(envFileBeside(dag), join(dir, '.env'));
    assert.deepEqual(readEnvFile(join(dir, '.env')), { SECRET_X: 'abc' });
  });

  it('says when the file cannot be read', () => {
    assert.throws(
      () => readEnvFile(join(dir, 'missing.env')),
      (e: unknown) =>
        e instanceof ConfigurationError &&
        /cannot read env file .*missing\.env: no such file/.test(e.message),
    );
  });
});
