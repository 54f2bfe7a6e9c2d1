import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runJorm } from '../helpers/cli.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jorm-run-cli-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function dagFile(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const PIPELINE = `dag: pipeline

task extract {
    type: shell
    command: "echo extracted > extract.out"
}

task transform {
    type: shell
    command: "cat extract.out; echo transformed"
    depends_on: [extract]
}

task check {
    type: shell
    command: "echo 'line one' >&2; echo 'the check broke' >&2; exit 3"
}

task publish {
    type: shell
    command: "echo published > publish.out"
    depends_on: [transform, check]
}
`;

describe('jorm run', () => {
  it('lists only the tasks that did not succeed in a run of more than 40, and no empty table', async () => {
    const tasks = (failing: boolean) =>
      Array.from(
        { length: 45 },
        (_, i) => `task t${i} {\n  type: shell\n  command: "${failing && i === 7 ? 'exit 4' : 'true'}"\n}\n`,
      ).join('');
    const ok = await runJorm(['run', await dagFile('many-ok.jorm', tasks(false)), '--no-state', '--quiet'], {
      cwd: dir,
    });
    assert.equal(ok.code, 0, ok.stderr);
    assert.doesNotMatch(ok.stdout, /TASK\s+STATUS/, 'no table without rows');
    assert.match(ok.stdout, /^all 45 tasks succeeded$/m);
    const one = await runJorm(['run', await dagFile('many-one.jorm', tasks(true)), '--no-state', '--quiet'], {
      cwd: dir,
    });
    assert.equal(one.code, 1, one.stderr);
    assert.match(one.stdout, /^TASK\s+STATUS\s+DURATION\s+RETRIES\s+EXIT$/m);
    assert.match(one.stdout, /^t7\s+failed\s+\S+\s+0\s+4$/m);
    assert.match(one.stdout, /^… and 44 more tasks that succeeded$/m);
  });

  it('runs a DAG: progress lines on stderr, the summary table on stdout, exit 1 when a task failed', async () => {
    const file = await dagFile('pipeline.jorm', PIPELINE);
    const run = await runJorm(['run', file, '--no-state'], { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /running dag "pipeline": 4 tasks, execution [0-9A-Z]{26}/);
    assert.match(run.stderr, /started\s+extract/);
    assert.match(run.stderr, /succeeded transform in/);
    assert.match(run.stderr, /failed\s+check: exited with code 3/);
    assert.match(run.stderr, /skipped\s+publish: upstream task "check" failed/);
    assert.match(run.stdout, /^TASK\s+STATUS\s+DURATION\s+RETRIES\s+EXIT$/m);
    assert.match(run.stdout, /^check\s+failed\s+\S+\s+0\s+3$/m);
    assert.match(run.stdout, /^publish\s+skipped\s+-\s+0\s+-$/m);
    assert.match(run.stdout, /last lines of stderr:\n {4}line one\n {4}the check broke/);
    assert.match(run.stdout, /failed in .*: 2 succeeded, 1 failed, 1 skipped/);
    assert.equal(existsSync(join(dir, 'publish.out')), false);
    assert.equal((await readFile(join(dir, 'extract.out'), 'utf8')).trim(), 'extracted');
  });

  it('prints exactly one JSON document on stdout with --json', async () => {
    const file = await dagFile('pipeline2.jorm', PIPELINE.replace('dag: pipeline', 'dag: pipeline2'));
    const run = await runJorm(['run', file, '--json', '--no-state'], { cwd: dir });
    assert.equal(run.code, 1);
    const json = JSON.parse(run.stdout);
    assert.equal(json.dagId, 'pipeline2');
    assert.equal(json.status, 'failed');
    assert.equal(typeof json.totalDurationMs, 'number');
    assert.match(json.startedAt, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(json.taskResults).map(([id, r]) => [id, (r as { status: string }).status]),
      ),
      { extract: 'success', transform: 'success', check: 'failed', publish: 'skipped' },
    );
    assert.equal(json.taskResults.transform.stdout, 'extracted\ntransformed\n');
    assert.deepEqual(json.taskResults.check.error, {
      code: 'TASK_EXECUTION_FAILED',
      message: 'task "check" failed: exited with code 3',
    });
    assert.match(run.stderr, /started\s+extract/, 'progress goes to stderr');
  });

  it('prints the order and the waves with --dry-run, running nothing', async () => {
    const file = await dagFile('dry.jorm', PIPELINE.replace('dag: pipeline', 'dag: dry'));
    await rm(join(dir, 'extract.out'), { force: true });
    const text = await runJorm(['run', file, '--dry-run'], { cwd: dir });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /4 tasks in 3 waves/);
    assert.match(text.stdout, /^wave 1: extract, check$/m);
    assert.match(text.stdout, /^wave 2: transform$/m);
    assert.match(text.stdout, /^wave 3: publish$/m);
    const json = await runJorm(['run', file, '--dry-run', '--json'], { cwd: dir });
    assert.deepEqual(JSON.parse(json.stdout).waves, [['extract', 'check'], ['transform'], ['publish']]);
    assert.equal(existsSync(join(dir, 'extract.out')), false);
    assert.equal(existsSync(join(dir, '.jorm')), false);
    // What jorm validate and jorm run refuse, --dry-run refuses too.
    const unreachable = await dagFile(
      'dry-ref.jorm',
      `dag: dry_ref\ntask a {\n  type: shell\n  command: "echo a"\n}\ntask b {\n  type: shell\n  command: "echo \${task.a.stdout}"\n}\n`,
    );
    const refused = await runJorm(['run', unreachable, '--dry-run'], { cwd: dir });
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /dry-ref\.jorm:8:3: .*refers to task "a", which is not upstream of this task/,
    );
    assert.equal(refused.stdout, '');
  });

  it('passes --env and --param to tasks and applies --timeout', async () => {
    const file = await dagFile(
      'vars.jorm',
      `dag: vars
task show {
    type: shell
    command: "echo \\"$GREETING \${params.WHO}\\""
}
task slow {
    type: shell
    command: "sleep 20"
}
`,
    );
    const run = await runJorm(
      [
        'run',
        file,
        '--env',
        'GREETING=hello',
        '--param',
        'WHO=world',
        '--timeout',
        '300ms',
        '--json',
        '--no-state',
      ],
      { cwd: dir },
    );
    assert.equal(run.code, 1);
    const json = JSON.parse(run.stdout);
    assert.equal(json.taskResults.show.stdout, 'hello world\n');
    assert.equal(json.taskResults.slow.status, 'timed_out');
    assert.equal(json.taskResults.slow.error.code, 'TASK_TIMEOUT');
  });

  it('exits 0 when every task succeeded; --quiet shows no progress', async () => {
    const file = await dagFile(
      'ok.jorm',
      'dag: ok\ntask a {\n    type: shell\n    command: "echo fine"\n}\n',
    );
    const run = await runJorm(['run', file, '--quiet', '--no-state'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stderr, /started/);
    assert.match(run.stdout, /^a\s+success\s/m);
    assert.match(run.stdout, /succeeded in .*: 1 succeeded/);
  });

  it('with --fail-fast cancels the running tasks at the first failure', async () => {
    const file = await dagFile(
      'ff.jorm',
      'dag: ff\ntask bad {\n    type: shell\n    command: "exit 1"\n}\ntask slow {\n    type: shell\n    command: "sleep 20"\n}\n',
    );
    const run = await runJorm(['run', file, '--fail-fast', '--concurrency', '2', '--json', '--no-state'], {
      cwd: dir,
    });
    assert.equal(run.code, 1);
    const json = JSON.parse(run.stdout);
    assert.equal(json.status, 'failed');
    assert.equal(json.taskResults.bad.status, 'failed');
    assert.equal(json.taskResults.slow.status, 'cancelled');
  });

  it('exits 2 for an invalid DAG or command line, naming the problem', async () => {
    const file = await dagFile(
      'broken.jorm',
      'dag: broken\ntask a {\n    type: shell\n    command: "true"\n    depends_on: [nope]\n}\n',
    );
    const bad = await runJorm(['run', file, '--no-state'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /broken\.jorm:5:\d+: .*"nope"/);
    assert.equal(bad.stdout, '');
    const ok = await dagFile('fine.jorm', 'dag: fine\ntask a {\n    type: shell\n    command: "true"\n}\n');
    const zero = await runJorm(['run', ok, '--concurrency', '0', '--no-state'], { cwd: dir });
    assert.equal(zero.code, 2);
    assert.match(zero.stderr, /concurrency/);
    assert.match(zero.stderr, /\b0\b/);
    const env = await runJorm(['run', ok, '--env', 'NO_EQUALS_SIGN', '--no-state'], { cwd: dir });
    assert.equal(env.code, 2);
    assert.match(env.stderr, /--env expects NAME=VALUE/);
    // A bad name never shows its value: it may be a secret.
    const name = await runJorm(['run', ok, '--env', '1BAD_TOKEN=secret-value-123', '--no-state'], {
      cwd: dir,
    });
    assert.equal(name.code, 2);
    assert.match(name.stderr, /"1BAD_TOKEN" is not a valid variable name .*; its value is not shown/);
    assert.doesNotMatch(name.stderr, /secret-value-123/);
    const missing = await runJorm(['run', join(dir, 'missing.jorm')], { cwd: dir });
    assert.equal(missing.code, 2);
    assert.doesNotMatch(missing.stderr, /\n\s+at /, 'no stack trace');
    // With --json, a failure is one JSON document on stdout too, its problems located.
    const json = await runJorm(['run', file, '--no-state', '--json'], { cwd: dir });
    assert.equal(json.code, 2);
    const doc = JSON.parse(json.stdout) as {
      error: { code: string; exitCode: number; problems: { line: number; message: string }[] };
    };
    assert.equal(doc.error.code, 'INVALID_INPUT');
    assert.equal(doc.error.exitCode, 2);
    assert.equal(doc.error.problems[0]?.line, 5);
    assert.match(doc.error.problems[0]?.message ?? '', /"nope"/);
  });

  it('records the execution in .jorm/state.db by default and says where to find more', async () => {
    const home = await mkdtemp(join(dir, 'state-'));
    const file = await dagFile(
      'stated.jorm',
      'dag: stated\ntask a {\n    type: shell\n    command: "echo x"\n}\n',
    );
    const run = await runJorm(['run', file], { cwd: home });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(existsSync(join(home, '.jorm', 'state.db')));
    const id = /execution ([0-9A-Z]{26})/.exec(run.stderr)?.[1];
    assert.ok(id);
    assert.match(run.stdout, new RegExp(`jorm show ${id}`));
  });
});
