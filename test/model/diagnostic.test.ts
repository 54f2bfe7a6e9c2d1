import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDiagnostic } from '../../src/model/diagnostic.js';

describe('formatDiagnostic', () => {
  it('shows the source line with a caret under the column', () => {
    const text = formatDiagnostic({
      code: 'c',
      message: 'bad value',
      location: { file: 'f.jorm', line: 2, column: 3 },
      sourceLine: 'ab!cd',
    });
    assert.equal(text, 'f.jorm:2:3: bad value\n    ab!cd\n      ^');
  });

  it('shows a window of a long line around the column, the caret still under it', () => {
    const line = `${'x'.repeat(100_000)}BAD${'y'.repeat(100_000)}`;
    const text = formatDiagnostic({
      code: 'c',
      message: 'bad value',
      location: { file: 'f.jorm', line: 1, column: 100_001 },
      sourceLine: line,
    });
    const [, shown, caret] = text.split('\n');
    assert.ok(shown!.length < 200, `${shown!.length} characters`);
    assert.match(shown!, /^ {4}…x+BADy+…$/);
    assert.equal(shown![caret!.indexOf('^')], 'B');
  });
});
