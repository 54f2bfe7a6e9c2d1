import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request } from './http-client.js';
import { startTestServer, type TestServer } from './server-fixture.js';

const FIXTURES = path.resolve('test/fixtures/server');

describe('DAG files API', () => {
  let t: TestServer;
  let outside: string;

  before(async () => {
    t = await startTestServer();
    const dir = t.state.dir;
    await mkdir(path.join(dir, 'flows', 'nested'), { recursive: true });
    await copyFile(path.join(FIXTURES, 'diamond.jorm'), path.join(dir, 'flows', 'diamond.jorm'));
    await copyFile(path.join(FIXTURES, 'broken.jorm'), path.join(dir, 'broken.jorm'));
    await copyFile(path.join(FIXTURES, 'pipeline.yaml'), path.join(dir, 'flows', 'nested', 'pipeline.yaml'));
    await copyFile(path.join(FIXTURES, 'notes.txt'), path.join(dir, 'notes.txt'));
    await mkdir(path.join(dir, 'node_modules', 'pkg'), { recursive: true });
    await copyFile(
      path.join(FIXTURES, 'diamond.jorm'),
      path.join(dir, 'node_modules', 'pkg', 'ignored.jorm'),
    );
    outside = await mkdtemp(path.join(os.tmpdir(), 'jorm-outside-'));
    await copyFile(path.join(FIXTURES, 'diamond.jorm'), path.join(outside, 'secret.jorm'));
    await symlink(path.join(outside, 'secret.jorm'), path.join(dir, 'link-out.jorm'));
    await symlink(outside, path.join(dir, 'dir-out'));
    await symlink(path.join(dir, 'flows', 'diamond.jorm'), path.join(dir, 'link-in.jorm'));
  });
  after(async () => {
    await t.close();
    await rm(outside, { recursive: true, force: true });
  });

  it('lists the DAG files under the directory, with task counts and validity', async () => {
    const res = await request(t.url, '/api/dags');
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.json.dags.map((d: { path: string; taskCount: number; valid: boolean }) => [
        d.path,
        d.taskCount,
        d.valid,
      ]),
      [
        ['broken.jorm', 2, false],
        ['flows/diamond.jorm', 4, true],
        ['flows/nested/pipeline.yaml', 2, true],
      ],
      'no notes, nothing from node_modules, no symbolic links',
    );
  });

  it('gives a DAG file with its graph before any run', async () => {
    const res = await request(t.url, `/api/dags/file?path=${encodeURIComponent('flows/diamond.jorm')}`);
    assert.equal(res.status, 200);
    assert.equal(res.json.dagId, 'diamond');
    assert.equal(res.json.valid, true);
    assert.deepEqual(res.json.diagnostics, []);
    assert.deepEqual(
      res.json.tasks.map((x: { id: string; summary: string }) => `${x.id}: ${x.summary}`),
      ['a: echo a', 'b: echo b', 'c: echo c', 'd: echo d'],
    );
    assert.equal(res.json.graph.layers, 3);
    assert.equal(res.json.graph.edges.length, 4);
  });

  it('gives every problem of an invalid file with its line and column', async () => {
    const res = await request(t.url, '/api/dags/file?path=broken.jorm');
    assert.equal(res.status, 200);
    assert.equal(res.json.valid, false);
    const problems = res.json.diagnostics.map(
      (d: { line: number; column: number; code: string }) => `${d.line}:${d.column} ${d.code}`,
    );
    assert.ok(problems.includes('5:5 unknown-key'), problems.join('\n'));
    assert.ok(
      problems.some((p: string) => p.endsWith('unknown-dependency')),
      problems.join('\n'),
    );
    const unknown = res.json.diagnostics.find((d: { code: string }) => d.code === 'unknown-key');
    assert.equal(unknown.hint, 'did you mean "command"?');
  });

  it('serves a symbolic link that stays inside the directory', async () => {
    const res = await request(t.url, '/api/dags/file?path=link-in.jorm');
    assert.equal(res.status, 200);
    assert.equal(res.json.path, 'flows/diamond.jorm');
  });

  it('refuses paths outside the directory: .., absolute, symbolic links out', async () => {
    const cases: [string, number][] = [
      ['../secret.jorm', 403],
      ['flows/../../x.jorm', 403],
      ['flows\\..\\..\\x.jorm', 403],
      [path.join(outside, 'secret.jorm'), 400],
      ['/etc/passwd', 400],
      ['link-out.jorm', 403],
      ['dir-out/secret.jorm', 403],
      ['missing.jorm', 404],
      ['flows', 404],
      ['', 400],
    ];
    for (const [p, status] of cases) {
      const res = await request(t.url, `/api/dags/file?path=${encodeURIComponent(p)}`);
      assert.equal(res.status, status, p);
      assert.equal(res.json.error.status, status);
      assert.doesNotMatch(res.text, /secret/i.test(p) ? /"tasks"/ : /$^/);
    }
  });

  it('reads and runs only DAG files, never another file of the directory such as .env', async () => {
    const dir = t.state.dir;
    await writeFile(path.join(dir, '.env'), 'DB_PASSWORD=dotenv-secret-1234\nOTHER=x\n');
    await writeFile(path.join(dir, 'config.json'), '{"password": "json-secret-5678"}\n');
    for (const p of ['.env', 'config.json']) {
      const res = await request(t.url, `/api/dags/file?path=${encodeURIComponent(p)}`);
      assert.equal(res.status, 404, p);
      assert.match(res.json.error.message, /is not a DAG file/);
      assert.doesNotMatch(res.text, /secret/);
      const run = await request(t.url, '/api/runs', { method: 'POST', body: { dag: p } });
      assert.equal(run.status, 404, p);
    }
  });

  it('refuses to run files outside the directory or invalid ones, before starting anything', async () => {
    const out = await request(t.url, '/api/runs', { method: 'POST', body: { dag: 'link-out.jorm' } });
    assert.equal(out.status, 403);
    const jorm = await request(t.url, '/execute', { method: 'POST', body: { dag_file: '../x.jorm' } });
    assert.equal(jorm.status, 403);
    const bad = await request(t.url, '/api/runs', { method: 'POST', body: { dag: 'broken.jorm' } });
    assert.equal(bad.status, 400);
    assert.ok(bad.json.error.diagnostics.length >= 2);
    const list = await request(t.url, '/api/executions');
    assert.equal(list.json.total, 0);
  });

  it('answers malformed bodies with 400 and other content types with 415', async () => {
    const cases: [unknown, Record<string, string>, number][] = [
      ['{"dag": ', { 'content-type': 'application/json' }, 400],
      ['[1, 2]', { 'content-type': 'application/json' }, 400],
      ['"text"', { 'content-type': 'application/json' }, 400],
      [{ dag: 42 }, {}, 400],
      [{}, {}, 400],
      [{ dag: 'flows/diamond.jorm', params: ['x'] }, {}, 400],
      [{ dag: 'flows/diamond.jorm', params: { 'bad name': 'x' } }, {}, 400],
      [{ dag: 'flows/diamond.jorm', params: { N: { deep: 1 } } }, {}, 400],
      ['dag=flows/diamond.jorm', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
      ['{"dag":"flows/diamond.jorm"}', { 'content-type': 'text/plain' }, 415],
    ];
    for (const [body, headers, status] of cases) {
      const res = await request(t.url, '/api/runs', { method: 'POST', body, headers });
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(res.json.error.status, status);
    }
    const big = await request(t.url, '/api/runs', {
      method: 'POST',
      body: { dag: 'x'.repeat(2 * 1024 * 1024) },
    });
    assert.equal(big.status, 413);
  });

  it('sees a file that was fixed without restarting', async () => {
    const file = path.join(t.state.dir, 'broken.jorm');
    await writeFile(file, 'dag: broken\n\ntask a {\n    type: shell\n    command: "echo a"\n}\n');
    const res = await request(t.url, '/api/dags/file?path=broken.jorm');
    assert.equal(res.json.valid, true);
    assert.equal(res.json.taskCount, 1);
  });
});
