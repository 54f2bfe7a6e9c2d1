import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runJorm } from '../helpers/cli.js';

const PY_DIR = resolve('test/fixtures/env/py');

/** The DAG; the port is part of the URL as written, since the HTTP executor checks a URL's shape up front. */
const dagText = (port: number): string => `
dag: data_passing
params: { person: "1", out: "/nonexistent" }

task fetch {
    type: http
    url: "http://127.0.0.1:${port}/people/\${params.person}"
    headers: { "X-Run": "\${execution.id}" }
}

task enrich {
    type: python_function
    module: "people"
    function: "person"
    kwargs: { person_id: "\${task.fetch.output.id}" }
    working_dir: "${PY_DIR}"
    depends_on: [fetch]
}

task shout {
    type: python_function
    module: "people"
    function: "shout"
    args: ["\${task.enrich.output.address.city}"]
    kwargs: { times: "\${task.fetch.output.repeat:-2}" }
    working_dir: "${PY_DIR}"
    depends_on: [enrich]
}

task quoted {
    type: shell
    command: "printf '%s|%s|%s' \${task.enrich.output.name|shell} \\"$JORM_OUTPUT_SHOUT\\" \${task.fetch.exit_code:-none}"
    depends_on: [shout]
}

task as_json {
    type: shell
    command: "printf '{\\"tags\\": %s, \\"task\\": \\"%s\\"}' '\${task.enrich.output.tags|json}' \\"$JORM_TASK_ID\\""
    output: json
    depends_on: [enrich]
}

task report {
    type: file_create
    path: "\${params.out}/\${dag.id}.txt"
    content: "\${task.shout.output.loud} from \${task.as_json.output.tags.1} (\${task.quoted.stdout})"
    depends_on: [shout, as_json, quoted]
}
`;

describe('data passing between tasks (jorm run, real processes)', () => {
  let server: Server;
  let port = 0;
  let out = '';
  const seenHeaders: string[] = [];

  before(async () => {
    out = await mkdtemp(join(tmpdir(), 'jorm-data-'));
    server = createServer((req, res) => {
      seenHeaders.push(String(req.headers['x-run']));
      const id = Number(req.url?.split('/').pop());
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: id + 41, label: "it's $(id)" }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.close();
    await rm(out, { recursive: true, force: true });
  });

  it('passes an HTTP JSON response and python return values downstream, through every form', async () => {
    await writeFile(join(out, 'data.jorm'), dagText(port));
    const run = await runJorm(
      ['run', 'data.jorm', '--json', '--no-state', '--param', `out=${out}`, '--concurrency', '2'],
      {
        cwd: out,
      },
    );
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const result = JSON.parse(run.stdout) as {
      executionId: string;
      taskResults: Record<string, { stdout: string; outputData?: unknown }>;
    };
    const r = result.taskResults;
    assert.deepEqual(r['enrich']?.outputData, {
      id: 42,
      name: "Ada O'Brien $(whoami)",
      address: { city: 'London' },
      tags: ['math', 'engines'],
    });
    assert.deepEqual(r['shout']?.outputData, { loud: 'LONDON LONDON' });
    assert.equal(r['quoted']?.stdout, `Ada O'Brien $(whoami)|{"loud":"LONDON LONDON"}|none`);
    assert.deepEqual(r['as_json']?.outputData, { tags: ['math', 'engines'], task: 'as_json' });
    assert.equal(
      await readFile(join(out, 'data_passing.txt'), 'utf8'),
      `LONDON LONDON from engines (Ada O'Brien $(whoami)|{"loud":"LONDON LONDON"}|none)`,
    );
    assert.deepEqual(seenHeaders, [result.executionId]);
  });
});
