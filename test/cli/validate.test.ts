import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runJorm } from '../helpers/cli.js';

describe('jorm validate', () => {
  it('prints one summary line per valid file and exits 0 (the examples)', async () => {
    const files = [
      'examples/hello.jorm',
      'examples/etl.jorm',
      'examples/diamond.yaml',
      'examples/fan-out.json',
    ];
    const run = await runJorm(['validate', ...files]);
    assert.equal(run.stderr, '');
    assert.equal(run.code, 0);
    assert.deepEqual(run.stdout.trim().split('\n'), [
      'examples/hello.jorm: ok, dag "hello": 3 tasks, 2 edges, longest chain 2',
      'examples/etl.jorm: ok, dag "etl": 5 tasks, 5 edges, longest chain 4',
      'examples/diamond.yaml: ok, dag "diamond": 4 tasks, 4 edges, longest chain 3',
      'examples/fan-out.json: ok, dag "fan_out": 5 tasks, 6 edges, longest chain 3',
    ]);
  });

  it('prints every problem as file:line:col with the line and a caret, and exits 2', async () => {
    const file = 'test/fixtures/dags/problems.jorm';
    const run = await runJorm(['validate', file]);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    const lines = run.stderr.split('\n');
    const heads = lines.filter((l) => l.startsWith(file));
    assert.deepEqual(heads, [
      `${file}:3:5: task "build" has type "shel", which has no registered executor (did you mean "shell"?)`,
      `${file}:8:5: task "test": unknown key "comand" for a task of type shell (did you mean "command"?)`,
      `${file}:9:18: task "test" depends on "biuld", which is not a task of this DAG (did you mean "build"?)`,
      `${file}:13:10: unterminated string (close it with " on the same line, or use """ for a multi-line string)`,
      `${file}:14:14: task "deploy": "timeout" must be a duration such as 500ms, 30s, 10m, 2h or 7d (a number is seconds), not "soon"`,
    ]);
    const at = lines.indexOf(heads[1]!);
    assert.equal(lines[at + 1], '        comand: "make test"');
    assert.equal(lines[at + 2], '        ^');
    assert.equal(lines.at(-2), `jorm: ${file}: 5 problems`);
    assert.ok(!run.stderr.includes('    at '), 'no stack trace');
  });

  it('checks several files, reporting the good and the bad', async () => {
    const run = await runJorm([
      'validate',
      'examples/hello.jorm',
      'test/fixtures/dags/cycle.jorm',
      'missing.jorm',
    ]);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, 'examples/hello.jorm: ok, dag "hello": 3 tasks, 2 edges, longest chain 2\n');
    assert.match(
      run.stderr,
      /^test\/fixtures\/dags\/cycle\.jorm:\d+:18: dependency cycle: (a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c)$/m,
    );
    assert.match(run.stderr, /^jorm: cannot read missing\.jorm: no such file$/m);
    assert.match(run.stderr, /^jorm: 2 of 3 files: 2 problems$/m);
  });

  it('a missing file is one clear line', async () => {
    const run = await runJorm(['validate', 'nope/nothing.jorm']);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'jorm: cannot read nope/nothing.jorm: no such file\n');
  });

  it('rejects task types that no built-in executor runs', async () => {
    const run = await runJorm(['validate', 'test/fixtures/dags/custom.yaml']);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /custom\.yaml:4:5: task "pull" has type "docker_pull", which has no registered executor/,
    );
  });

  it('reads YAML and JSON errors with their positions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jorm-validate-'));
    try {
      const yaml = join(dir, 'bad.yaml');
      await writeFile(yaml, 'tasks:\n  a:\n    type: shell\n    command: [oops\n');
      const json = join(dir, 'bad.json');
      await writeFile(json, '{"tasks": {"a": {"type": "shell", "command": "x", "retries": -1}}}\n');
      const run = await runJorm(['validate', yaml, json]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, new RegExp(`^${yaml}:5:1: `, 'm'));
      assert.ok(
        run.stderr.includes(`${json}:1:62: task "a": "retries" must be from 0 to 1000, not -1`),
        run.stderr,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('checks references to tasks, leaving variables to the run', async () => {
    const run = await runJorm(['validate', 'test/fixtures/dags/references.yaml']);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /^test\/fixtures\/dags\/references\.yaml:8:5: task "a", command: \$\{task\.b\.stdout\} refers to task "b", which is not upstream of this task \(add "b" to depends_on\)$/m,
    );
    assert.doesNotMatch(run.stderr, /SOME_VARIABLE_OF_THE_RUN/);
    assert.match(run.stderr, /references\.yaml: 1 problem$/m);
  });

  it('needs at least one file', async () => {
    const run = await runJorm(['validate']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /missing required argument 'file'/);
  });
});

describe('the jorm command line', () => {
  it('--help lists the commands, --version prints the version', async () => {
    const help = await runJorm(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /validate \[options\] <file\.\.\.>|validate <file\.\.\.>/);
    assert.match(help.stdout, /graph \[options\] <file>/);
    const version = await runJorm(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+/);
    const sub = await runJorm(['validate', '--help']);
    assert.equal(sub.code, 0);
    assert.match(sub.stdout, /Usage: jorm validate/);
  });

  it('unknown commands and options exit 2 with a helpful message', async () => {
    const command = await runJorm(['valdate', 'x.jorm']);
    assert.equal(command.code, 2);
    assert.match(command.stderr, /unknown command 'valdate'/);
    assert.match(command.stderr, /Did you mean validate\?/);
    const option = await runJorm(['validate', '--strcit', 'x.jorm']);
    assert.equal(option.code, 2);
    assert.match(option.stderr, /unknown option '--strcit'/);
  });
});
