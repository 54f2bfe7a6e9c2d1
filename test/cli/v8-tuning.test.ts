import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tuneV8ForCommand, wantsV8Tuning } from '../../src/cli/v8-tuning.js';
import { runJorm } from '../helpers/cli.js';

describe('V8 tuning of the jorm executable', () => {
  it('applies to the commands that run tasks, after options, and not to the others', () => {
    assert.equal(tuneV8ForCommand(['run', 'dag.jorm'], {}), true);
    assert.equal(tuneV8ForCommand(['resume', '01M8BVMG3XVTNBG43E3DJ374WY'], {}), true);
    assert.equal(tuneV8ForCommand(['-q', 'worker'], {}), true);
    assert.equal(tuneV8ForCommand(['validate', 'dag.jorm'], {}), false);
    assert.equal(tuneV8ForCommand(['graph', 'dag.jorm'], {}), false);
    assert.equal(tuneV8ForCommand(['--version'], {}), false);
    assert.equal(tuneV8ForCommand([], {}), false);
    assert.equal(wantsV8Tuning(['run', 'dag.jorm'], {}), true, 'the question alone changes nothing');
    assert.equal(wantsV8Tuning(['validate', 'dag.jorm'], {}), false);
    assert.equal(wantsV8Tuning(['run', 'dag.jorm'], { JORM_V8_TUNING: '0' }), false);
  });

  it('is turned off by JORM_V8_TUNING=0, and a run without it works the same', async () => {
    assert.equal(tuneV8ForCommand(['run', 'dag.jorm'], { JORM_V8_TUNING: '0' }), false);
    const run = await runJorm(['run', 'examples/hello.jorm', '--no-state', '--json'], {
      env: { JORM_V8_TUNING: '0' },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { status: string }).status, 'success');
  });
});
