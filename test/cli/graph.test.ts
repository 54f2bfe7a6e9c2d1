import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runJorm } from '../helpers/cli.js';

describe('jorm graph', () => {
  it('draws Mermaid by default', async () => {
    const run = await runJorm(['graph', 'examples/diamond.yaml']);
    assert.equal(run.code, 0);
    assert.equal(run.stderr, '');
    assert.match(run.stdout, /^flowchart TD\n/);
    for (const edge of ['fetch --> left', 'fetch --> right', 'left --> merge', 'right --> merge']) {
      assert.ok(run.stdout.includes(`    ${edge}\n`), edge);
    }
  });

  it('draws Graphviz DOT with --format dot', async () => {
    const run = await runJorm(['graph', 'examples/hello.jorm', '--format', 'dot']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^digraph "hello" \{\n/);
    assert.ok(run.stdout.includes('    "greet" -> "done";\n'));
    assert.ok(run.stdout.includes('    "whoami" -> "done";\n'));
    assert.ok(run.stdout.endsWith('}\n'));
  });

  it('draws DAGs with custom task types', async () => {
    const run = await runJorm(['graph', 'test/fixtures/dags/custom.yaml', '-f', 'mermaid']);
    assert.equal(run.code, 0);
    assert.ok(run.stdout.includes('pull["pull<br/><small>docker_pull</small>"]'));
    assert.ok(run.stdout.includes('    pull --> run\n'));
  });

  it('reports a cycle as an error, with its path', async () => {
    const run = await runJorm(['graph', 'test/fixtures/dags/cycle.jorm']);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /cycle\.jorm:\d+:18: dependency cycle: \w -> \w -> \w -> \w\n/);
  });

  it('rejects an unknown format and a missing file', async () => {
    const format = await runJorm(['graph', 'examples/hello.jorm', '--format', 'svg']);
    assert.equal(format.code, 2);
    assert.match(format.stderr, /Allowed choices are mermaid, dot/);
    const missing = await runJorm(['graph', 'nope.jorm']);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'jorm: cannot read nope.jorm: no such file\n');
  });
});
