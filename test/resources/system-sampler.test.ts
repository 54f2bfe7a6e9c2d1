import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cpuPercentBetween,
  memoryPercentOf,
  parseMeminfo,
  parseProcStat,
  systemSampler,
} from '../../src/resources/system-sampler.js';

describe('system readings', () => {
  it('parses the aggregate cpu line of /proc/stat, counting iowait as idle', () => {
    const text = 'cpu  100 5 50 800 20 3 2 10 0 0\ncpu0 50 2 25 400 10 1 1 5 0 0\nintr 1\n';
    assert.deepEqual(parseProcStat(text), { idle: 820, total: 990 });
    assert.equal(parseProcStat('intr 1\n'), undefined);
  });

  it('computes the busy share between two readings', () => {
    assert.equal(cpuPercentBetween({ idle: 100, total: 200 }, { idle: 150, total: 400 }), 75);
    assert.equal(cpuPercentBetween({ idle: 1, total: 1 }, { idle: 1, total: 1 }), 0);
  });

  it('uses MemAvailable, falling back to free + buffers + cached', () => {
    const modern =
      'MemTotal:       1000 kB\nMemFree:         100 kB\nMemAvailable:    600 kB\nCached: 300 kB\n';
    assert.deepEqual(parseMeminfo(modern), { totalBytes: 1000 * 1024, availableBytes: 600 * 1024 });
    const old = 'MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\n';
    assert.deepEqual(parseMeminfo(old), { totalBytes: 1000 * 1024, availableBytes: 400 * 1024 });
    assert.equal(parseMeminfo('nothing here'), undefined);
    assert.equal(memoryPercentOf({ totalBytes: 1000, availableBytes: 600 }), 40);
  });

  it('reads this machine', () => {
    const sampler = systemSampler();
    const a = sampler.readCpuTimes();
    const b = sampler.readCpuTimes();
    assert.ok(b.total >= a.total && a.total > 0);
    const memory = sampler.readMemory();
    assert.ok(
      memory.totalBytes > 0 && memory.availableBytes > 0 && memory.availableBytes <= memory.totalBytes,
    );
    assert.ok(sampler.cpuCount() >= 1);
  });
});
