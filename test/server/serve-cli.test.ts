import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { CLI_PATH, runJorm } from '../helpers/cli.js';
import { request } from './http-client.js';
import { dagOf, recordExecution, type TempState, tempState } from './state-fixture.js';

describe('jorm serve', () => {
  let state: TempState;
  before(async () => {
    state = await tempState();
    recordExecution(state.manager, dagOf('cli', { a: [] }));
  });
  after(() => state.cleanup());

  it('serves the state database until SIGINT, printing its address first', async () => {
    const child = spawn(
      process.execPath,
      [CLI_PATH, 'serve', '--port', '0', '--state', state.dbPath, '--dir', state.dir],
      {
        cwd: state.dir,
        env: { ...process.env, NO_COLOR: '1', JORM_SERVER_TOKEN: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      child.stdout.setEncoding('utf8');
      let out = '';
      while (!out.includes('\n')) {
        const [chunk] = (await once(child.stdout, 'data')) as [string];
        out += chunk;
      }
      const url = /jorm dashboard: (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)?.[1];
      assert.ok(url, out);
      const list = await request(url, '/api/executions');
      assert.equal(list.json.total, 1);
      assert.equal(list.json.executions[0].dagId, 'cli');
      const page = await request(url, '/');
      assert.match(page.text, /<title>jorm dashboard<\/title>/);
    } finally {
      child.kill('SIGINT');
    }
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  });

  it('refuses to listen beyond loopback without a token', async () => {
    const run = await runJorm(['serve', '--host', '0.0.0.0', '--port', '0', '--state', state.dbPath], {
      env: { JORM_SERVER_TOKEN: '' },
    });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /needs a token: pass --token or set JORM_SERVER_TOKEN/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });

  it('rejects a bad port', async () => {
    const run = await runJorm(['serve', '--port', 'eighty', '--state', state.dbPath]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--port must be a number/);
  });
});
