import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { outcomeSucceeded } from '../../src/engine/task-executor.js';
import { HttpTaskExecutor } from '../../src/executors/http.js';
import { CancelledError, ValidationError } from '../../src/model/errors.js';
import { type HttpTaskConfig, Task } from '../../src/model/task.js';
import { makeContext } from './context.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

function route(req: IncomingMessage, res: ServerResponse, body: string): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const seen: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
  if (url.pathname === '/echo') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(seen));
  } else if (url.pathname.startsWith('/status/')) {
    res.writeHead(Number(url.pathname.slice(8)), { 'content-type': 'text/plain' }).end('status body');
  } else if (url.pathname === '/text') {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('plain text, é');
  } else if (url.pathname === '/hang') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('partial ');
  } else {
    res.writeHead(404).end('no such route');
  }
}

describe('HttpTaskExecutor', () => {
  const executor = new HttpTaskExecutor();
  let server: Server;
  let base: string;
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => {
        body += d;
      });
      req.on('end', () => route(req, res, body));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const task = (config: Partial<HttpTaskConfig> & { url: string }): Task =>
    new Task('t', 't', 'http', { kind: 'http_request', method: 'GET', headers: {}, ...config });
  const run = (t: Task, signal?: AbortSignal) =>
    executor.execute(t, makeContext({ workingDirectory: process.cwd(), ...(signal ? { signal } : {}) }));
  const seen = (outcome: { outputData?: unknown }): Seen => outcome.outputData as Seen;

  it('sends method, headers and body; a JSON response becomes outputData and stdout', async () => {
    const outcome = await run(
      task({ url: `${base}/echo`, method: 'POST', headers: { 'X-Trace': 'abc' }, body: '{"a":1}' }),
    );
    assert.ok(outcomeSucceeded(outcome));
    const request = seen(outcome);
    assert.equal(request.method, 'POST');
    assert.equal(request.headers['x-trace'], 'abc');
    assert.equal(request.headers['content-type'], 'application/json', 'a JSON body is sent as JSON');
    assert.equal(request.body, '{"a":1}');
    assert.deepEqual(JSON.parse(outcome.stdout ?? ''), request);
    assert.equal(outcome.metadata?.['status'], '200');
    assert.equal(outcome.metadata?.['contentType'], 'application/json');
  });

  it('keeps a text body as stdout without outputData', async () => {
    const outcome = await run(task({ url: `${base}/text` }));
    assert.equal(outcome.stdout, 'plain text, é');
    assert.equal(outcome.outputData, undefined);
  });

  it('authenticates with basic, bearer and API keys in a header or the query', async () => {
    const basic = await run(
      task({ url: `${base}/echo`, auth: { type: 'basic', username: 'ann', password: 'pw:1' } }),
    );
    assert.equal(seen(basic).headers.authorization, `Basic ${Buffer.from('ann:pw:1').toString('base64')}`);
    const bearer = await run(task({ url: `${base}/echo`, auth: { type: 'bearer', token: 'tok' } }));
    assert.equal(seen(bearer).headers.authorization, 'Bearer tok');
    const header = await run(task({ url: `${base}/echo`, auth: { type: 'api_key', key: 'k1' } }));
    assert.equal(seen(header).headers['x-api-key'], 'k1');
    const custom = await run(
      task({ url: `${base}/echo`, auth: { type: 'api_key', key: 'k2', header: 'X-Token' } }),
    );
    assert.equal(seen(custom).headers['x-token'], 'k2');
    const query = await run(
      task({ url: `${base}/echo?x=1`, auth: { type: 'api_key', key: 's3cret', query: 'key' } }),
    );
    assert.equal(seen(query).url, '/echo?x=1&key=s3cret');
    assert.equal(query.metadata?.['url'], `${base}/echo?x=1&key=***`, 'the key is not shown');
  });

  it('fails on a non-2xx status unless it is expected', async () => {
    const failed = await run(task({ url: `${base}/status/503` }));
    assert.equal(outcomeSucceeded(failed), false);
    assert.equal(failed.errorMessage, `GET ${base}/status/503: HTTP 503 Service Unavailable`);
    assert.equal(failed.stdout, 'status body');
    assert.equal(failed.metadata?.['status'], '503');
    const expected = await run(task({ url: `${base}/status/404`, expectedStatus: [404] }));
    assert.ok(outcomeSucceeded(expected));
  });

  it('gives up after the request timeout, and stops when the task is aborted', async () => {
    const timedOut = await run(task({ url: `${base}/hang`, timeout: 150 }));
    assert.equal(outcomeSucceeded(timedOut), false);
    assert.match(timedOut.errorMessage ?? '', /hang: no response within/);
    const controller = new AbortController();
    const pending = run(task({ url: `${base}/hang` }), controller.signal);
    setImmediate(() => controller.abort(new CancelledError()));
    const aborted = await pending;
    assert.equal(aborted.errorMessage, 'aborted');
  });

  it('says when the connection is refused', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const outcome = await run(task({ url: `http://127.0.0.1:${port}/` }));
    assert.equal(outcomeSucceeded(outcome), false);
    assert.equal(outcome.errorMessage, `GET http://127.0.0.1:${port}/: connection refused (ECONNREFUSED)`);
  });

  it('refuses a URL that holds a password without quoting it, and says how to authenticate', async () => {
    const outcome = await run(
      task({ url: `${base}/json?token=q-1&x=1`.replace('http://', 'http://user:url-pass-9876@') }),
    );
    assert.equal(outcomeSucceeded(outcome), false);
    assert.match(
      outcome.errorMessage ?? '',
      /the URL holds a user name or password, .*use auth: \{ type: basic/,
    );
    assert.doesNotMatch(outcome.errorMessage ?? '', /url-pass-9876/);
  });

  it('validates its tasks', () => {
    assert.doesNotThrow(() =>
      executor.validateTask(task({ url: 'https://example.com/x', expectedStatus: [404] })),
    );
    assert.throws(() => executor.validateTask(task({ url: 'ftp://example.com/' })), ValidationError);
    // A templated URL is checked once interpolated, when the request is made.
    const templated = ['http://127.0.0.1:$', '{params.port}/x'].join('');
    assert.doesNotThrow(() => executor.validateTask(task({ url: templated })));
    assert.throws(
      () => executor.validateTask(task({ url: 'http://x/', body: 'b' })),
      /GET request cannot have a "body"/,
    );
    const badAuth = task({ url: 'http://x/', auth: { type: 'oauth' } as unknown as HttpTaskConfig['auth'] });
    assert.throws(() => executor.validateTask(badAuth), /"auth.type" must be one of basic, bearer, api_key/);
    const noKey = task({ url: 'http://x/', auth: { type: 'bearer' } as unknown as HttpTaskConfig['auth'] });
    assert.throws(() => executor.validateTask(noKey), /"auth.token" must be a non-empty string/);
    assert.throws(
      () => executor.validateTask(task({ url: 'http://x/', expectedStatus: [99] })),
      /expected_status/,
    );
    assert.equal(HttpTaskExecutor.withTimeout(2000).defaultTimeout(), 2000);
  });
});
