import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// build/test/bench → the repository root
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const bench = (...args: string[]) =>
  spawnSync(process.execPath, ['bench/run.mjs', ...args], { cwd: repo, encoding: 'utf8' });

describe('npm run bench: its command line', () => {
  it('prints its usage with --help', () => {
    const result = bench('--help');
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^usage: node bench\/run\.mjs/);
  });

  it('names a wrong option and shows the usage, without a stack trace', () => {
    const result = bench('--runz', '3');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^bench: Unknown option '--runz'/);
    assert.match(result.stderr, /usage: node bench\/run\.mjs/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });

  it('refuses a run count that is not a whole number ≥ 1', () => {
    const result = bench('--runs', '0');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--runs must be a whole number ≥ 1, got 0/);
  });

  it('lists the workloads when --only names one that does not exist', () => {
    const result = bench('--only', 'chian');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /no workload named chian; the workloads: .*\bchain\b/);
  });
});
