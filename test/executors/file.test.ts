import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FileTaskExecutor } from '../../src/executors/file.js';
import { ValidationError } from '../../src/model/errors.js';
import { type FileOperationKind, Task } from '../../src/model/task.js';
import { tempDir } from '../process/process-helpers.js';
import { makeContext } from './context.js';

function fileTask(
  operation: FileOperationKind,
  paths: { source?: string; destination?: string },
  options: Record<string, unknown> = {},
): Task {
  return new Task('t', 't', 'file', { kind: 'file_operation', operation, ...paths, options });
}

describe('FileTaskExecutor', () => {
  const executor = new FileTaskExecutor();
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir('jorm-file-');
    await writeFile(join(dir.path, 'a.txt'), 'A');
    await mkdir(join(dir.path, 'tree/nested'), { recursive: true });
    await writeFile(join(dir.path, 'tree/top.txt'), 'top');
    await writeFile(join(dir.path, 'tree/nested/deep.txt'), 'deep');
  });
  afterEach(() => dir.remove());
  const run = (t: Task) => executor.execute(t, makeContext({ workingDirectory: dir.path }));
  const read = (path: string) => readFile(join(dir.path, path), 'utf8');

  it('copies a file, relative to the working directory', async () => {
    const outcome = await run(fileTask('copy', { source: 'a.txt', destination: 'b.txt' }));
    assert.equal(outcome.status, 'success', outcome.errorMessage);
    assert.equal(await read('b.txt'), 'A');
    assert.equal(await read('a.txt'), 'A');
    assert.deepEqual(outcome.outputData, {
      operation: 'copy',
      source: join(dir.path, 'a.txt'),
      destination: join(dir.path, 'b.txt'),
    });
  });

  it('copies a directory recursively', async () => {
    const outcome = await run(fileTask('copy', { source: 'tree', destination: 'copy' }));
    assert.equal(outcome.status, 'success', outcome.errorMessage);
    assert.equal(await read('copy/nested/deep.txt'), 'deep');
    assert.equal(await read('copy/top.txt'), 'top');
  });

  it('overwrites an existing destination only when options.overwrite is true', async () => {
    await writeFile(join(dir.path, 'b.txt'), 'old');
    const refused = await run(fileTask('copy', { source: 'a.txt', destination: 'b.txt' }));
    assert.equal(refused.status, 'failed');
    assert.match(
      refused.errorMessage ?? '',
      /destination ".*b\.txt" already exists \(set options\.overwrite: true/,
    );
    assert.equal(await read('b.txt'), 'old');
    const done = await run(fileTask('copy', { source: 'a.txt', destination: 'b.txt' }, { overwrite: true }));
    assert.equal(done.status, 'success');
    assert.equal(await read('b.txt'), 'A');
    await mkdir(join(dir.path, 'dest/stale'), { recursive: true });
    const replaced = await run(
      fileTask('copy', { source: 'tree', destination: 'dest' }, { overwrite: true }),
    );
    assert.equal(replaced.status, 'success');
    assert.deepEqual(
      (await readdir(join(dir.path, 'dest'))).sort(),
      ['nested', 'top.txt'],
      'replaced, not merged',
    );
  });

  it('reports a missing source and a missing destination directory', async () => {
    const noSource = await run(fileTask('copy', { source: 'missing.txt', destination: 'b.txt' }));
    assert.equal(noSource.errorMessage, `source "${join(dir.path, 'missing.txt')}" does not exist`);
    const noDir = await run(fileTask('move', { source: 'a.txt', destination: 'no/such/dir/b.txt' }));
    assert.equal(
      noDir.errorMessage,
      `destination directory "${join(dir.path, 'no/such/dir')}" does not exist`,
    );
    assert.ok(existsSync(join(dir.path, 'a.txt')));
  });

  it('moves files and directories, overwriting only when asked', async () => {
    const file = await run(fileTask('move', { source: 'a.txt', destination: 'moved.txt' }));
    assert.equal(file.status, 'success', file.errorMessage);
    assert.equal(await read('moved.txt'), 'A');
    assert.ok(!existsSync(join(dir.path, 'a.txt')));
    await mkdir(join(dir.path, 'target'));
    const refused = await run(fileTask('move', { source: 'tree', destination: 'target' }));
    assert.match(refused.errorMessage ?? '', /already exists/);
    const moved = await run(fileTask('move', { source: 'tree', destination: 'target' }, { overwrite: true }));
    assert.equal(moved.status, 'success', moved.errorMessage);
    assert.equal(await read('target/nested/deep.txt'), 'deep');
    assert.ok(!existsSync(join(dir.path, 'tree')));
  });

  const otherFs = existsSync('/dev/shm') && statSync('/dev/shm').dev !== statSync(process.cwd()).dev;
  it('moves across file systems (copy, then delete)', {
    skip: !otherFs && 'no second file system',
  }, async () => {
    const shm = await mkdtemp('/dev/shm/jorm-move-');
    try {
      await mkdir(join(shm, 'src/inner'), { recursive: true });
      await writeFile(join(shm, 'src/inner/f.txt'), 'across');
      await writeFile(join(shm, 'one.txt'), 'file across');
      const dirMove = await run(fileTask('move', { source: join(shm, 'src'), destination: 'landed' }));
      assert.equal(dirMove.status, 'success', dirMove.errorMessage);
      assert.equal(await read('landed/inner/f.txt'), 'across');
      assert.ok(!existsSync(join(shm, 'src')));
      await writeFile(join(dir.path, 'one.txt'), 'old');
      const fileMove = await run(
        fileTask('move', { source: join(shm, 'one.txt'), destination: 'one.txt' }, { overwrite: true }),
      );
      assert.equal(fileMove.status, 'success', fileMove.errorMessage);
      assert.equal(await read('one.txt'), 'file across');
    } finally {
      await rm(shm, { recursive: true, force: true });
    }
  });

  it('deletes files and directories; a missing path is an error unless ignoreMissing', async () => {
    assert.equal((await run(fileTask('delete', { source: 'a.txt' }))).status, 'success');
    assert.equal((await run(fileTask('delete', { source: 'tree' }))).status, 'success');
    assert.deepEqual(await readdir(dir.path), []);
    const missing = await run(fileTask('delete', { source: 'a.txt' }));
    assert.match(missing.errorMessage ?? '', /a\.txt" does not exist/);
    const ignored = await run(fileTask('delete', { source: 'a.txt' }, { ignoreMissing: true }));
    assert.equal(ignored.status, 'success');
  });

  it('creates a file with content and its parent directories, overwriting only when asked', async () => {
    const created = await run(
      fileTask('create', { destination: 'new/sub/file.txt' }, { content: 'hello\n' }),
    );
    assert.equal(created.status, 'success', created.errorMessage);
    assert.equal(await read('new/sub/file.txt'), 'hello\n');
    const refused = await run(fileTask('create', { destination: 'a.txt' }, { content: 'x' }));
    assert.match(refused.errorMessage ?? '', /a\.txt" already exists/);
    assert.equal(await read('a.txt'), 'A');
    const replaced = await run(
      fileTask('create', { destination: 'a.txt' }, { content: 'x', overwrite: true }),
    );
    assert.equal(replaced.status, 'success');
    assert.equal(await read('a.txt'), 'x');
    const empty = await run(fileTask('create', { destination: 'empty.txt' }));
    assert.equal(empty.status, 'success');
    assert.equal(await read('empty.txt'), '');
  });

  it('validates its tasks', () => {
    assert.doesNotThrow(() => executor.validateTask(fileTask('copy', { source: 'a', destination: 'b' })));
    assert.throws(() => executor.validateTask(fileTask('copy', { source: 'a' })), ValidationError);
    assert.throws(() => executor.validateTask(fileTask('delete', {})), /"path" must be a non-empty string/);
    assert.throws(
      () => executor.validateTask(fileTask('chmod' as FileOperationKind, { source: 'a' })),
      /"operation"/,
    );
    const badFlag = fileTask('copy', { source: 'a', destination: 'b' }, { overwrite: 'yes' });
    assert.throws(() => executor.validateTask(badFlag), /"options.overwrite" must be true or false/);
    const badContent = fileTask('create', { destination: 'b' }, { content: 3 });
    assert.throws(() => executor.validateTask(badContent), /"content" must be a string/);
  });
});
