import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileNameOf, LogFiles, readLogFile } from '../../src/state/log-files.js';
import { tailOf } from '../../src/state/tail.js';

const root = mkdtempSync(join(tmpdir(), 'jorm-state-logs-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('log files', () => {
  it('appends per attempt and stream under <dir>/<execution>/<task>.<attempt>.{out,err}', () => {
    const logs = new LogFiles(join(root, 'logs'));
    logs.append('E1', 'build', 1, 'stdout', 'one ');
    logs.append('E1', 'build', 1, 'stdout', 'two\n');
    logs.append('E1', 'build', 1, 'stderr', 'warn\n');
    logs.writeFromResult('E1', 'build', 1, 'stdout', 'ignored: already streamed');
    logs.writeFromResult('E1', 'quiet', 1, 'stdout', 'from the result\n');
    logs.closeAttempt('E1', 'build', 1);
    logs.closeAll();
    assert.deepEqual(readdirSync(join(root, 'logs', 'E1')).sort(), [
      'build.1.err',
      'build.1.out',
      'quiet.1.out',
    ]);
    assert.equal(readLogFile(logs.pathOf('E1', 'build', 1, 'stdout')!).text, 'one two\n');
    assert.equal(readLogFile(logs.pathOf('E1', 'quiet', 1, 'stdout')!).text, 'from the result\n');
    logs.removeExecution('E1');
    assert.deepEqual(readdirSync(join(root, 'logs')), []);
  });

  it("completes a stream's file from the whole output when it holds only its beginning", () => {
    const logs = new LogFiles(join(root, 'complete'));
    logs.append('E2', 'remote', 1, 'stdout', 'begin\n');
    logs.writeFromResult('E2', 'remote', 1, 'stdout', 'begin\nend\n');
    logs.append('E2', 'other', 1, 'stdout', 'mine\n');
    logs.writeFromResult('E2', 'other', 1, 'stdout', 'not the same start\n');
    logs.append('E2', 'whole', 1, 'stdout', 'all of it\n');
    logs.writeFromResult('E2', 'whole', 1, 'stdout', 'all of it\n');
    logs.closeAll();
    const read = (task: string) => readLogFile(logs.pathOf('E2', task, 1, 'stdout')!).text;
    assert.equal(read('remote'), 'begin\nend\n');
    assert.equal(read('other'), 'mine\n', 'never appended to a file that is not its beginning');
    assert.equal(read('whole'), 'all of it\n');
  });

  it('keeps task ids that are not file-name safe apart', () => {
    assert.equal(fileNameOf('build-1_x.y'), 'build-1_x.y');
    assert.equal(fileNameOf('a/b'), 'a%2Fb');
    assert.equal(fileNameOf('..'), '%2E%2E');
    assert.notEqual(fileNameOf('a b'), fileNameOf('a_b'));
  });

  it('reads from offsets without splitting UTF-8 characters', () => {
    const path = join(root, 'utf8.out');
    writeFileSync(path, 'aé€😀z');
    const all = readLogFile(path);
    assert.equal(all.text, 'aé€😀z');
    assert.equal(all.nextOffset, all.size);
    const cut = readLogFile(path, 0, 5); // a(1) é(2) then 2 of €'s 3 bytes
    assert.equal(cut.text, 'aé');
    assert.equal(cut.nextOffset, 3);
    const rest = readLogFile(path, cut.nextOffset);
    assert.equal(rest.text, '€😀z');
    assert.equal(readLogFile(path, -5).text, '😀z');
    assert.equal(readLogFile(path, -6).text, '😀z');
    assert.deepEqual(readLogFile(join(root, 'none.out')), {
      text: '',
      nextOffset: 0,
      size: 0,
      exists: false,
    });
  });

  it('caps tails on character boundaries', () => {
    assert.equal(tailOf('short', 100), 'short');
    assert.equal(tailOf('abcdef', 3), 'def');
    assert.equal(tailOf('x€€', 4), '€');
  });
});
