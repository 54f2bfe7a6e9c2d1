import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { monotonicMs } from '../../src/process/clock.js';
import { Deadlines, type Expirable } from '../../src/process/deadlines.js';

interface Item extends Expirable {
  name: string;
}

const item = (name: string): Item => ({ name, deadline: 0, ended: false });

/** Deadlines that record what expired, and the item end as the scheduler does it. */
function recording(options?: { unref?: boolean }) {
  const expired: string[] = [];
  const deadlines = new Deadlines<Item>((i) => expired.push(i.name), options);
  const end = (i: Item, timeout: number) => {
    i.ended = true;
    deadlines.ended(timeout);
  };
  return { expired, deadlines, end };
}

describe('Deadlines', () => {
  it('expires the items still running at their deadline, in the order they were added', async () => {
    const { expired, deadlines, end } = recording();
    const a = item('a');
    const b = item('b');
    const c = item('c');
    deadlines.add(a, 30);
    deadlines.add(b, 30);
    deadlines.add(c, 30);
    end(b, 30);
    await sleep(120);
    assert.deepEqual(expired, ['a', 'c']);
    deadlines.clear();
  });

  it('never expires an item without a finite timeout', async () => {
    const { expired, deadlines } = recording();
    const forever = item('forever');
    deadlines.add(forever, Number.POSITIVE_INFINITY);
    assert.equal(forever.deadline, Number.POSITIVE_INFINITY);
    await sleep(30);
    assert.deepEqual(expired, []);
    deadlines.clear();
  });

  it('expires an item added after every earlier one ended, at its own deadline', async () => {
    // The timer of the first item stays armed after it ended; it must re-arm for the next item, not
    // expire it early or forget it.
    const { expired, deadlines, end } = recording();
    const first = item('first');
    deadlines.add(first, 60);
    end(first, 60);
    await sleep(30);
    const second = item('second');
    const addedAt = monotonicMs();
    deadlines.add(second, 60);
    await sleep(45); // the first item's deadline has passed; the second's has not
    assert.deepEqual(expired, []);
    await sleep(80);
    assert.deepEqual(expired, ['second']);
    assert.ok(second.deadline - addedAt >= 59, 'the deadline counts from the add');
    deadlines.clear();
  });

  it('keeps one queue per timeout', async () => {
    const { expired, deadlines } = recording();
    deadlines.add(item('slow'), 80);
    deadlines.add(item('fast'), 20);
    await sleep(50);
    assert.deepEqual(expired, ['fast']);
    await sleep(80);
    assert.deepEqual(expired, ['fast', 'slow']);
    deadlines.clear();
  });

  it('clear() stops every timer', async () => {
    const { expired, deadlines } = recording();
    deadlines.add(item('a'), 20);
    deadlines.clear();
    await sleep(50);
    assert.deepEqual(expired, []);
  });

  it('with unref, a timer left armed does not keep the process alive', () => {
    // A real Node.js process: a 30 s deadline whose item ended must not hold its exit.
    const module = fileURLToPath(new URL('../../src/process/deadlines.js', import.meta.url));
    const script = `
      const { Deadlines } = await import(${JSON.stringify(module)});
      const deadlines = new Deadlines(() => {}, { unref: true });
      const i = { deadline: 0, ended: false };
      deadlines.add(i, 30000);
      i.ended = true;
      deadlines.ended(30000);
    `;
    const started = monotonicMs();
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(monotonicMs() - started < 10_000, 'the process exited without waiting for the timer');
  });
});
