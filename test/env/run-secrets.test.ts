// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DAG text holds ${…} references
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CliRun, runJorm } from '../helpers/cli.js';

/** Every secret of the run, one per source. */
const SECRETS = {
  parent: 'parent-token-5e8d1b',
  dotenv: 'dotenv-secret-2b7e4f',
  config: 'config-token-9a1c3d',
  dag: 'dag-token-7f3a9c',
  cli: 'cli-secret-0d2f6b',
  task: 'task-password-4c6e8a',
};

function dagText(port: number): string {
  return `# Secrets from every source, echoed and leaked in every way a task can.
dag: secrets_e2e
env: { DAG_TOKEN: "${SECRETS.dag}", AUTH_HEADER: "Bearer \${API_TOKEN}" }

task check {
    type: shell
    command: "test \\"$API_TOKEN\\" = ${SECRETS.parent} && test \\"$FILE_SECRET\\" = ${SECRETS.dotenv} && test \\"$SERVICE_TOKEN\\" = ${SECRETS.config} && test \\"$CLI_SECRET\\" = ${SECRETS.cli} && echo all secrets reached the task"
}

task echo_all {
    type: shell
    command: "echo $API_TOKEN $FILE_SECRET $SERVICE_TOKEN $DAG_TOKEN $CLI_SECRET $DB_PASSWORD $AUTH_HEADER; echo \${API_TOKEN} $FILE_SECRET >&2"
    env: { DB_PASSWORD: "${SECRETS.task}" }
    depends_on: [check]
}

task json_out {
    type: shell
    command: "printf '{\\"token\\": \\"%s\\", \\"nested\\": {\\"list\\": [\\"%s\\"]}}' \\"$CLI_SECRET\\" \\"$DAG_TOKEN\\""
    output: json
}

task downstream {
    type: shell
    command: "echo got \${task.json_out.output.token|shell} and \\"$JORM_OUTPUT_JSON_OUT\\""
    depends_on: [json_out]
}

task fails {
    type: shell
    command: "echo \\"cannot log in with $SERVICE_TOKEN\\" >&2; exit 7"
}

task not_found {
    type: shell
    command: "cmd-\${API_TOKEN}-missing"
}

task py_raises {
    type: python
    script: """
import os
raise RuntimeError("bad credentials: " + os.environ["FILE_SECRET"])
"""
}

task http_error {
    type: http
    url: "http://127.0.0.1:${port}/login?key=\${DAG_TOKEN}"
    headers: { "Authorization": "\${AUTH_HEADER}" }
}
`;
}

/** Every byte of every file under `dir` (the state database, its WAL, the log files). */
async function allFiles(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out.set(path, await readFile(path));
    }
  }
  return out;
}

function assertNoSecret(where: string, text: string | Buffer): void {
  for (const [source, secret] of Object.entries(SECRETS)) {
    assert.equal(text.includes(secret), false, `the ${source} secret leaked into ${where}`);
  }
}

describe('jorm run keeps secrets out of everything it shows or keeps', () => {
  let dir = '';
  let server: Server;
  let port = 0;
  const requests: string[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jorm-secrets-'));
    server = createServer((req, res) => {
      const text = `denied ${req.url} for ${req.headers.authorization}`;
      requests.push(text);
      res.statusCode = 401;
      res.end(text);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
    await writeFile(join(dir, 'flow.jorm'), dagText(port));
    await writeFile(join(dir, '.env'), `# beside the DAG\nFILE_SECRET=${SECRETS.dotenv}\n`);
    await writeFile(join(dir, 'jorm.toml'), `[environment.variables]\nSERVICE_TOKEN = "${SECRETS.config}"\n`);
  });
  after(async () => {
    server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const run = (args: string[]): Promise<CliRun> =>
    runJorm(['run', 'flow.jorm', '--env', `CLI_SECRET=${SECRETS.cli}`, ...args], {
      cwd: dir,
      env: { API_TOKEN: SECRETS.parent, JORM_PROFILE: undefined, JORM_CONFIG: undefined },
    });

  it('in --json output, stderr, the database file and the log files', async () => {
    const result = await run(['--json', '--state', 'state/jorm.db']);
    assert.equal(result.code, 1, result.stderr);
    const doc = JSON.parse(result.stdout) as {
      tasks?: unknown;
      taskResults: Record<
        string,
        { status: string; stdout: string; stderr: string; outputData?: unknown; errorMessage?: string }
      >;
    };
    const tasks = doc.taskResults;
    // The secrets did reach the tasks, and what the tasks did with them was kept, masked.
    assert.equal(tasks['check']?.stdout.trim(), 'all secrets reached the task');
    // AUTH_HEADER ("Bearer <secret>") is a secret as a whole, since a secret went into it.
    assert.equal(tasks['echo_all']?.stdout.trim(), '*** *** *** *** *** *** ***');
    assert.equal(tasks['echo_all']?.stderr.trim(), '*** ***');
    assert.deepEqual(tasks['json_out']?.outputData, { token: '***', nested: { list: ['***'] } });
    // Downstream tasks get upstream outputs as kept: masked.
    assert.equal(tasks['downstream']?.stdout.trim(), 'got *** and {"token":"***","nested":{"list":["***"]}}');
    for (const id of ['fails', 'not_found', 'py_raises', 'http_error'])
      assert.equal(tasks[id]?.status, 'failed', id);
    assert.match(tasks['fails']?.stderr ?? '', /cannot log in with \*\*\*/);
    assert.match(tasks['py_raises']?.stderr ?? '', /RuntimeError: bad credentials: \*\*\*/);
    assert.match(tasks['http_error']?.stdout ?? '', /denied \/login\?key=\*\*\* for \*\*\*/);
    assert.equal(requests.length, 1);
    assert.ok(requests[0]?.includes(SECRETS.dag), 'the HTTP request carried the real secret');
    assertNoSecret('--json stdout', result.stdout);
    assertNoSecret('stderr', result.stderr);
    const files = await allFiles(join(dir, 'state'));
    assert.ok(
      [...files.keys()].some((f) => f.endsWith('.out')),
      'log files were written',
    );
    for (const [path, bytes] of files) assertNoSecret(path, bytes);
  });

  it('on the terminal display and in jorm show and jorm logs', async () => {
    const result = await run(['--state', 'state2.db']);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /echo_all\s+success/);
    assertNoSecret('the summary', result.stdout);
    assertNoSecret('the progress lines', result.stderr);
    const id = /execution (\S+)/.exec(result.stdout)?.[1] ?? '';
    const show = await runJorm(['show', id, '--state', 'state2.db'], { cwd: dir });
    assert.match(show.stdout, /fails/);
    assertNoSecret('jorm show', show.stdout + show.stderr);
    const logs = await runJorm(['logs', id, 'echo_all', '--state', 'state2.db'], { cwd: dir });
    assert.match(logs.stdout, /\*\*\* \*\*\*/);
    assertNoSecret('jorm logs', logs.stdout + logs.stderr);
  });
});
