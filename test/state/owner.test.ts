import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { describe, it } from 'node:test';
import { currentOwner, isOwnerGone, processStartTime } from '../../src/state/owner.js';

const HOUR = 3_600_000;

describe('isOwnerGone', () => {
  it('sees this process as the owner it recorded, and a former process of the same id as gone', () => {
    const me = currentOwner();
    assert.equal(isOwnerGone({ owner: me, startedAt: new Date() }, 60_000), false);
    // jorm as pid 1 of a container, restarted: the same id, another process.
    const before = { ...me, startedAt: new Date(me.startedAt.getTime() - HOUR) };
    assert.equal(isOwnerGone({ owner: before, startedAt: new Date() }, 60_000), true);
  });

  it('tells a live process from another that took its id, by when it started', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    await once(child, 'spawn');
    try {
      const pid = child.pid!;
      const started = processStartTime(pid);
      assert.ok(started !== undefined && Math.abs(started - Date.now()) < 10_000, `started ${started}`);
      const owner = { host: hostname(), pid, startedAt: new Date(started) };
      assert.equal(isOwnerGone({ owner, startedAt: new Date() }, 60_000), false);
      const reused = { ...owner, startedAt: new Date(started - HOUR) };
      assert.equal(isOwnerGone({ owner: reused, startedAt: new Date() }, 60_000), true);
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    assert.equal(
      isOwnerGone(
        { owner: { host: hostname(), pid: child.pid!, startedAt: new Date() }, startedAt: new Date() },
        60_000,
      ),
      true,
    );
  });

  it('judges an owner on another host by its heartbeat', () => {
    const owner = { host: 'elsewhere', pid: 1, startedAt: new Date() };
    const now = Date.now();
    assert.equal(
      isOwnerGone({ owner, heartbeatAt: new Date(now - 5_000), startedAt: new Date() }, 60_000, now),
      false,
    );
    assert.equal(
      isOwnerGone({ owner, heartbeatAt: new Date(now - 120_000), startedAt: new Date() }, 60_000, now),
      true,
    );
  });
});
