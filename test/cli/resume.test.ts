import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CLI_PATH, runJorm } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'jorm-resume-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

interface ShowDoc {
  execution: { executionId: string; status: string };
  tasks: { taskId: string; status: string; attemptRecords: { attempt: number; status: string }[] }[];
}

interface Project {
  dir: string;
  file: string;
  /** Every task appends its id to this file when it runs. */
  lines: string;
  /** Writes the DAG file: `tasks` maps ids to [command, deps]; `LINES` and `DIR` are replaced. */
  write(tasks: Record<string, [string, string[]]>): void;
}

function project(): Project {
  const dir = join(root, `p${++n}`);
  mkdirSync(dir, { recursive: true });
  const lines = join(dir, 'lines.txt');
  const file = join(dir, 'pipeline.jorm');
  return {
    dir,
    file,
    lines,
    write(tasks) {
      const body = Object.entries(tasks).map(([id, [command, deps]]) => {
        const text = command.replaceAll('LINES', lines).replaceAll('DIR', dir);
        const dependsOn = deps.length ? `\n    depends_on: [${deps.join(', ')}]` : '';
        return `task ${id} {\n    type: shell\n    command: ${JSON.stringify(text)}${dependsOn}\n}\n`;
      });
      writeFileSync(file, `dag: pipeline\n\n${body.join('\n')}`);
    },
  };
}

const ranLines = (lines: string): string[] =>
  existsSync(lines) ? readFileSync(lines, 'utf8').trim().split('\n') : [];
const count = (lines: string, id: string): number => ranLines(lines).filter((l) => l === id).length;

async function show(dir: string, id: string): Promise<ShowDoc> {
  const run = await runJorm(['show', id, '--json'], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as ShowDoc;
}

function executionIdOf(output: string): string {
  const match = /execution ([0-9A-HJKMNP-TV-Z]{26})/.exec(output);
  assert.ok(match, `no execution id in: ${output}`);
  return match[1]!;
}

/** Resolves once `file` holds every one of `wanted` as a line (watching its directory). */
function fileHasLines(file: string, wanted: string[]): Promise<void> {
  return new Promise((resolve) => {
    const check = () => wanted.every((w) => ranLines(file).includes(w));
    if (check()) return resolve();
    const watcher = watch(join(file, '..'), () => {
      if (check()) {
        watcher.close();
        resolve();
      }
    });
  });
}

describe('jorm resume', () => {
  it('finishes a jorm run killed with SIGKILL: what had succeeded runs once, the run ends success', async () => {
    const p = project();
    const quick = (id: string, deps: string[] = []): [string, string[]] => [`echo ${id} >> LINES`, deps];
    // Waits for DIR/gate; gives up when its jorm is gone, so no task outlives the killed run.
    const slow = (id: string, deps: string[]): [string, string[]] => [
      `echo ${id} >> LINES; while [ ! -f DIR/gate ]; do kill -0 $PPID 2>/dev/null || exit 9; sleep 0.05; done`,
      deps,
    ];
    p.write({
      q1: quick('q1'),
      q2: quick('q2'),
      q3: quick('q3', ['q1']),
      s1: slow('s1', ['q2', 'q3']),
      s2: slow('s2', ['q1']),
      z: quick('z', ['s1', 's2']),
    });
    const child = spawn(process.execPath, [CLI_PATH, 'run', p.file, '--concurrency', '2'], {
      cwd: p.dir,
      env: { ...process.env, NO_COLOR: '1', CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.stdout.resume();
    await fileHasLines(p.lines, ['s1', 's2']);
    child.kill('SIGKILL');
    await once(child, 'close');
    const id = executionIdOf(stderr);

    const list = await runJorm(['resume', '--list', '--json'], { cwd: p.dir });
    assert.equal(list.code, 0, list.stderr);
    const listed = JSON.parse(list.stdout) as { interrupted: { executionId: string }[] };
    assert.deepEqual(
      listed.interrupted.map((e) => e.executionId),
      [id],
    );
    const before = await show(p.dir, id);
    assert.equal(before.execution.status, 'running');
    const succeeded = before.tasks.filter((t) => t.status === 'success').map((t) => t.taskId);
    assert.deepEqual(succeeded.sort(), ['q1', 'q2', 'q3']);

    writeFileSync(join(p.dir, 'gate'), '');
    const resumed = await runJorm(['resume', id.slice(0, 10)], { cwd: p.dir, env: { CI: '1' } });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, new RegExp(`execution ${id} succeeded`));
    for (const task of ['q1', 'q2', 'q3', 's1', 's2', 'z'])
      assert.ok(count(p.lines, task) >= 1, `${task} never ran`);
    for (const task of succeeded) assert.equal(count(p.lines, task), 1, `${task} ran again`);
    const after = await show(p.dir, id);
    assert.equal(after.execution.status, 'success');
    assert.deepEqual(
      after.tasks.find((t) => t.taskId === 's1')?.attemptRecords.map((a) => a.attempt),
      [1, 2],
    );
    const none = await runJorm(['resume', '--list', '--json'], { cwd: p.dir });
    assert.deepEqual((JSON.parse(none.stdout) as { interrupted: unknown[] }).interrupted, []);
  });

  it('after a failed run, re-runs only the failed and skipped tasks', async () => {
    const p = project();
    p.write({
      a: ['echo a >> LINES', []],
      b: ['echo b >> LINES', []],
      c: ['echo c >> LINES; test -f DIR/fixed', ['a']],
      d: ['echo d >> LINES', ['c']],
      e: ['echo e >> LINES', ['b']],
    });
    const first = await runJorm(['run', p.file], { cwd: p.dir });
    assert.equal(first.code, 1, first.stderr);
    const id = executionIdOf(first.stdout + first.stderr);
    assert.deepEqual(ranLines(p.lines).sort(), ['a', 'b', 'c', 'e']);

    writeFileSync(join(p.dir, 'fixed'), '');
    const second = await runJorm(['resume', id, '--quiet'], { cwd: p.dir });
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(ranLines(p.lines).sort(), ['a', 'b', 'c', 'c', 'd', 'e']);
    const doc = await show(p.dir, id);
    assert.equal(doc.execution.status, 'success');
    const attempts = Object.fromEntries(
      doc.tasks.map((t) => [t.taskId, t.attemptRecords.map((a) => `${a.attempt}:${a.status}`)]),
    );
    assert.deepEqual(attempts, {
      a: ['1:success'],
      b: ['1:success'],
      c: ['1:failed', '2:success'],
      d: ['1:success'],
      e: ['1:success'],
    });
    const again = await runJorm(['resume', id], { cwd: p.dir });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already succeeded/);
  });

  it('resumes in the directory the run ran in, wherever jorm resume is started', async () => {
    const p = project();
    // Relative paths: the first task writes a.txt where the run runs, the second reads it there.
    p.write({
      a: ['echo data > a.txt', []],
      b: ['test -f DIR/fixed && cat a.txt', ['a']],
    });
    const first = await runJorm(['run', p.file], { cwd: p.dir });
    assert.equal(first.code, 1, first.stderr);
    const id = executionIdOf(first.stdout + first.stderr);
    writeFileSync(join(p.dir, 'fixed'), '');
    const elsewhere = join(p.dir, 'sub');
    mkdirSync(elsewhere);
    const state = join(p.dir, '.jorm', 'state.db');
    const resumed = await runJorm(['resume', id, '--state', state], { cwd: elsewhere });
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    assert.equal(existsSync(join(elsewhere, 'a.txt')), false);
    const logs = await runJorm(['logs', id, 'b', '--state', state], { cwd: elsewhere });
    assert.equal(logs.stdout, 'data\n');
    const shown = await runJorm(['show', id, '--state', state], { cwd: elsewhere });
    assert.match(
      shown.stdout,
      new RegExp(`^ {2}directory ${p.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'),
    );
  });

  it('never stores a secret parameter: show masks it, and resume asks for it again', async () => {
    const p = project();
    // API_TOKEN is a secure name, so the parameter written into it is a secret.
    writeFileSync(
      p.file,
      `dag: secret_param
params: { token: "default" }
task use {
    type: shell
    command: "echo using $API_TOKEN; test -f ${join(p.dir, 'fixed')}"
    env: { API_TOKEN: "\${params.token}" }
}
`,
    );
    const first = await runJorm(['run', p.file, '--param', 'token=tok-very-secret-42'], { cwd: p.dir });
    assert.equal(first.code, 1, first.stderr);
    const id = executionIdOf(first.stdout + first.stderr);
    const database = readFileSync(join(p.dir, '.jorm', 'state.db'));
    assert.equal(database.includes('tok-very-secret-42'), false, 'not in the database');
    const text = await runJorm(['show', id], { cwd: p.dir });
    assert.match(text.stdout, /^ {2}params {4}token=\*\*\*$/m);
    assert.doesNotMatch(text.stdout, /tok-very-secret-42/);
    const doc = JSON.parse((await runJorm(['show', id, '--json'], { cwd: p.dir })).stdout) as {
      execution: { params: Record<string, string>; secretParams: string[] };
    };
    assert.deepEqual(doc.execution.params, {});
    assert.deepEqual(doc.execution.secretParams, ['token']);
    writeFileSync(join(p.dir, 'fixed'), '');
    const without = await runJorm(['resume', id], { cwd: p.dir });
    assert.equal(without.code, 2);
    assert.match(
      without.stderr,
      /ran with secret parameters, which were not stored: give them again \(--param token=VALUE\)/,
    );
    const other = await runJorm(['resume', id, '--param', 'token=x', '--param', 'region=eu'], { cwd: p.dir });
    assert.equal(other.code, 2);
    assert.match(other.stderr, /--param region: a resumed run keeps the parameters it ran with/);
    const resumed = await runJorm(['resume', id, '--param', 'token=tok-very-secret-42'], { cwd: p.dir });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /1 succeeded/);
    assert.equal(readFileSync(join(p.dir, '.jorm', 'state.db')).includes('tok-very-secret-42'), false);
  });

  it('refuses a DAG changed since the run unless --force', async () => {
    const p = project();
    p.write({ a: ['echo a >> LINES', []], b: ['exit 1', ['a']] });
    const first = await runJorm(['run', p.file], { cwd: p.dir });
    assert.equal(first.code, 1);
    const id = executionIdOf(first.stdout + first.stderr);
    p.write({ a: ['echo a >> LINES', []], b: ['echo fixed >> LINES', ['a']] });
    const refused = await runJorm(['resume', id], { cwd: p.dir });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /changed since execution/);
    assert.match(refused.stderr, /--force/);
    assert.doesNotMatch(refused.stderr, /\n\s+at /);
    const forced = await runJorm(['resume', id, '--force', '--quiet'], { cwd: p.dir });
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual(ranLines(p.lines), ['a', 'fixed']);
  });

  it('exits 2 without an id, for an unknown id, and without a database', async () => {
    const p = project();
    const noDb = await runJorm(['resume', '--list'], { cwd: p.dir });
    assert.equal(noDb.code, 2);
    assert.match(noDb.stderr, /no state database at .*\.jorm\/state\.db/);
    p.write({ a: ['true', []] });
    assert.equal((await runJorm(['run', p.file], { cwd: p.dir })).code, 0);
    const noId = await runJorm(['resume'], { cwd: p.dir });
    assert.equal(noId.code, 2);
    assert.match(noId.stderr, /name the execution to resume/);
    const unknown = await runJorm(['resume', 'ZZZZZZZZ'], { cwd: p.dir });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no execution with id "ZZZZZZZZ"/);
  });
});
