import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearerMatches, isLoopbackHost } from '../../src/server/http/auth.js';
import { startDashboardServer } from '../../src/server/server.js';
import { openSse, request } from './http-client.js';
import { startTestServer, type TestServer } from './server-fixture.js';
import { dagOf, recordExecution, tempState } from './state-fixture.js';

const TOKEN = 'test-token-0123456789abcdef';

describe('bearer tokens', () => {
  it('match only the exact token, in the Bearer scheme', () => {
    assert.equal(bearerMatches(`Bearer ${TOKEN}`, TOKEN), true);
    assert.equal(bearerMatches(`bearer   ${TOKEN}`, TOKEN), true);
    assert.equal(bearerMatches(`Bearer ${TOKEN}x`, TOKEN), false);
    assert.equal(bearerMatches(`Bearer ${TOKEN.slice(0, -1)}`, TOKEN), false);
    assert.equal(bearerMatches(`Basic ${TOKEN}`, TOKEN), false);
    assert.equal(bearerMatches(TOKEN, TOKEN), false);
    assert.equal(bearerMatches(undefined, TOKEN), false);
    assert.equal(bearerMatches('Bearer ', TOKEN), false);
  });

  it('knows loopback hosts', () => {
    for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', 'app.localhost'])
      assert.equal(isLoopbackHost(h), true, h);
    for (const h of ['0.0.0.0', '10.0.0.1', 'example.com', '::', 'localhost.example.com'])
      assert.equal(isLoopbackHost(h), false, h);
  });
});

describe('listening', () => {
  it('refuses a non-loopback address without a token, and a short token', async () => {
    const state = await tempState();
    try {
      const base = { port: 0, databaseUrl: state.databaseUrl, directory: state.dir };
      await assert.rejects(startDashboardServer({ ...base, host: '0.0.0.0' }), /needs a token/);
      await assert.rejects(startDashboardServer({ ...base, token: 'short' }), /at least 16 characters/);
      await assert.rejects(
        startDashboardServer({ ...base, databaseUrl: 'sqlite::memory:' }),
        /not sqlite::memory:/,
      );
      await assert.rejects(
        startDashboardServer({ ...base, directory: `${state.dir}/missing` }),
        /does not exist/,
      );
    } finally {
      await state.cleanup();
    }
  });
});

describe('a server with a token', () => {
  let t: TestServer;
  let id: string;
  before(async () => {
    t = await startTestServer({ token: TOKEN, host: '127.0.0.1' });
    id = recordExecution(t.state.manager, dagOf('d', { a: [] }));
  });
  after(() => t.close());
  const auth = { authorization: `Bearer ${TOKEN}` };

  it('answers 401 to data requests without the right token', async () => {
    for (const path of [
      '/api/executions',
      `/api/executions/${id}`,
      '/api/dags',
      `/status/${id}`,
      '/api/events',
    ]) {
      const none = await request(t.url, path);
      assert.equal(none.status, 401, path);
      assert.equal(none.json.error.status, 401);
      const wrong = await request(t.url, path, {
        headers: { authorization: 'Bearer wrong-token-0123456789' },
      });
      assert.equal(wrong.status, 401, path);
    }
    const post = await request(t.url, '/execute', { method: 'POST', body: { dag_file: 'x.jorm' } });
    assert.equal(post.status, 401);
  });

  it('answers data requests with the token', async () => {
    const res = await request(t.url, '/api/executions', { headers: auth });
    assert.equal(res.status, 200);
    assert.equal(res.json.total, 1);
    const info = await request(t.url, '/api/info', { headers: auth });
    assert.equal(info.json.tokenRequired, true);
    const stream = await openSse(t.url, '/api/events', auth);
    const hello = await stream.next('hello');
    assert.equal(typeof hello.data.version, 'number');
    stream.close();
  });

  it('serves the page shell without the token (it holds no data) so the login prompt can show', async () => {
    const page = await request(t.url, '/');
    assert.equal(page.status, 200);
    assert.match(page.text, /id="login"/);
  });

  it('accepts any Host header when a token protects it', async () => {
    const res = await request(t.url, '/api/executions', {
      headers: { ...auth, host: 'dashboard.example.com' },
    });
    assert.equal(res.status, 200);
  });
});

describe('a local server without a token', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  it('refuses requests for another host name (DNS rebinding)', async () => {
    const res = await request(t.url, '/api/executions', { headers: { host: 'attacker.example:8080' } });
    assert.equal(res.status, 403);
    const page = await request(t.url, '/', { headers: { host: 'attacker.example' } });
    assert.equal(page.status, 403);
    const ok = await request(t.url, '/api/executions', { headers: { host: 'localhost:1234' } });
    assert.equal(ok.status, 200);
  });

  it('refuses cross-origin requests', async () => {
    const host = new URL(t.url).host;
    const cross = await request(t.url, '/api/runs', {
      method: 'POST',
      body: { dag: 'x.jorm' },
      headers: { origin: 'http://evil.example' },
    });
    assert.equal(cross.status, 403);
    const nullOrigin = await request(t.url, '/api/runs', {
      method: 'POST',
      body: { dag: 'x.jorm' },
      headers: { origin: 'null' },
    });
    assert.equal(nullOrigin.status, 403);
    const same = await request(t.url, '/api/executions', { headers: { origin: `http://${host}` } });
    assert.equal(same.status, 200);
  });

  it('serves the static files with a strict content security policy, and nothing outside them', async () => {
    const page = await request(t.url, '/');
    assert.match(String(page.headers['content-security-policy']), /default-src 'none'; script-src 'self'/);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    const js = await request(t.url, '/js/app.js');
    assert.equal(js.status, 200);
    assert.match(String(js.headers['content-type']), /text\/javascript/);
    for (const path of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/css/../../package.json',
      '/js/%2e%2e%2f%2e%2e%2fpackage.json',
      '/index.html%00.js',
      '/package.json',
    ]) {
      const res = await request(t.url, path);
      assert.ok(res.status === 404 || res.status === 400, `${path}: ${res.status}`);
      assert.doesNotMatch(res.text, /"devDependencies"/);
    }
  });

  it('never answers with a stack trace', async () => {
    const res = await request(t.url, '/api/executions/%E0%A4%A');
    assert.equal(res.status, 400);
    assert.doesNotMatch(res.text, /\n\s+at /);
  });
});
