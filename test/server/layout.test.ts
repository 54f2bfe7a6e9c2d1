import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { safeUrl } from '../../src/server/dags/task-summary.js';
import { layoutGraph } from '../../src/server/views/graph-layout.js';
import { completeUtf8, readLogChunk } from '../../src/server/views/log-chunk.js';

describe('graph layout', () => {
  it('puts each task one column right of its latest dependency', () => {
    const layout = layoutGraph([
      { id: 'a', dependsOn: [] },
      { id: 'b', dependsOn: ['a'] },
      { id: 'c', dependsOn: ['a', 'b'] },
      { id: 'x', dependsOn: [] },
    ]);
    const layer = Object.fromEntries(layout.nodes.map((n) => [n.id, n.layer]));
    assert.deepEqual(layer, { a: 0, x: 0, b: 1, c: 2 });
    assert.equal(layout.layers, 3);
    assert.deepEqual(layout.edges, [
      ['a', 'b'],
      ['a', 'c'],
      ['b', 'c'],
    ]);
  });

  it('orders rows to avoid crossings', () => {
    // Two independent chains declared interleaved: the barycenter keeps each chain on its own row.
    const layout = layoutGraph([
      { id: 'a1', dependsOn: [] },
      { id: 'b1', dependsOn: [] },
      { id: 'b2', dependsOn: ['b1'] },
      { id: 'a2', dependsOn: ['a1'] },
    ]);
    const row = Object.fromEntries(layout.nodes.map((n) => [n.id, n.row]));
    assert.equal(row['a1'], row['a2']);
    assert.equal(row['b1'], row['b2']);
  });

  it('places cycles and unknown dependencies without failing', () => {
    const layout = layoutGraph([
      { id: 'a', dependsOn: ['c'] },
      { id: 'b', dependsOn: ['a', 'ghost'] },
      { id: 'c', dependsOn: ['b'] },
      { id: 'd', dependsOn: [] },
    ]);
    assert.equal(layout.nodes.length, 4);
    assert.equal(layout.edges.length, 3);
  });

  it('gives every task a place of its own, dependencies to the left (property)', () => {
    const graphs = fc
      .integer({ min: 1, max: 60 })
      .chain((n) =>
        fc
          .array(fc.array(fc.nat(), { maxLength: 4 }), { minLength: n, maxLength: n })
          .map((deps) =>
            deps.map((ds, i) => ({ id: `t${i}`, dependsOn: i === 0 ? [] : ds.map((d) => `t${d % i}`) })),
          ),
      );
    fc.assert(
      fc.property(graphs, (nodes) => {
        const layout = layoutGraph(nodes);
        const place = new Map(layout.nodes.map((n) => [n.id, n]));
        assert.equal(place.size, nodes.length);
        const cells = new Set(layout.nodes.map((n) => `${n.layer}:${n.row}`));
        assert.equal(cells.size, nodes.length, 'no two tasks share a cell');
        for (const [from, to] of layout.edges) assert.ok(place.get(from)!.layer < place.get(to)!.layer);
        for (const n of layout.nodes) assert.ok(n.row >= 0 && n.row < layout.rows);
      }),
    );
  });

  it('lays out 5,000 tasks', () => {
    const nodes = Array.from({ length: 5000 }, (_, i) => ({
      id: `task-${i}`,
      dependsOn: i < 50 ? [] : [`task-${i - 50}`, `task-${(i * 7) % (i - 1)}`],
    }));
    const layout = layoutGraph(nodes);
    assert.equal(layout.nodes.length, 5000);
    assert.ok(layout.layers > 10);
  });
});

describe('log slices', () => {
  it('never cut a UTF-8 character in two', () => {
    const bytes = Buffer.from('ab✓é😀', 'utf8'); // 2 + 3 + 2 + 4 bytes
    assert.equal(completeUtf8(bytes, 11), 11);
    assert.equal(completeUtf8(bytes, 10), 7);
    assert.equal(completeUtf8(bytes, 8), 7);
    assert.equal(completeUtf8(bytes, 6), 5);
    assert.equal(completeUtf8(bytes, 4), 2);
    assert.equal(completeUtf8(bytes, 2), 2);
  });

  it('read from an offset, at most the maximum, and tell where to go on', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jorm-log-'));
    try {
      const file = path.join(dir, 'x.out');
      await writeFile(file, 'héllo wörld\n');
      const first = await readLogChunk(file, 0, 3);
      assert.deepEqual(first, { text: 'hé', offset: 0, nextOffset: 3, size: 14 });
      const rest = await readLogChunk(file, first!.nextOffset);
      assert.equal(rest!.text, 'llo wörld\n');
      assert.equal(rest!.nextOffset, 14);
      assert.equal((await readLogChunk(file, 99))!.text, '');
      assert.equal(await readLogChunk(path.join(dir, 'missing'), 0), undefined);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('task summaries', () => {
  it('hide credentials and query values of URLs', () => {
    assert.equal(
      safeUrl('https://user:pw@api.example.com/x?key=SECRET&b=1'),
      'https://api.example.com/x?key=…&b=…',
    );
    assert.doesNotMatch(safeUrl('not a url //u:p@host?q=1'), /u:p|q=1/);
  });
});
