import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResourceUsage } from '../../src/model/result.js';
import {
  checkAvailability,
  formatBytes,
  formatPercent,
  resourceCapacity,
} from '../../src/resources/availability.js';
import type { ResourceLimits } from '../../src/resources/limits.js';

const GiB = 1024 ** 3;
const machine = { cpus: 2, memoryBytes: 8 * GiB };
const limits: ResourceLimits = {
  maxCpuPercent: 80,
  maxMemoryPercent: 90,
  maxConcurrentTasks: 1,
  monitoringInterval: 1000,
  throttleThreshold: 0.9,
};
const usage = (cpuPercent: number, memoryPercent: number): ResourceUsage => ({
  cpuPercent,
  memoryPercent,
  runningTasks: 0,
  queuedTasks: 0,
  timestamp: new Date(),
});

describe('checkAvailability', () => {
  it('is available when usage plus the estimate stays under the limits', () => {
    assert.deepEqual(checkAvailability({ cpu: 0.5, memory: GiB }, usage(20, 30), limits, machine), {
      status: 'available',
    });
  });

  it('throttles naming the resource, the projected usage and the limit', () => {
    // 8 GiB machine at 80% memory; 1 GiB more is 12.5 points: 92.5% >= 90%.
    assert.deepEqual(checkAvailability({ memory: GiB }, usage(10, 80), limits, machine), {
      status: 'throttle',
      resource: 'memory',
      usage: 92.5,
      limit: 90,
      reason: 'memory 93% >= 90%',
    });
    const cpu = checkAvailability({}, usage(85, 10), limits, machine);
    assert.equal(cpu.status === 'throttle' && cpu.reason, 'cpu 85% >= 80%');
  });

  it('is unavailable when the estimate exceeds the machine within the limits', () => {
    const result = checkAvailability({ cpu: 2 }, usage(0, 0), limits, machine);
    assert.deepEqual(result, {
      status: 'unavailable',
      resource: 'cpu',
      reason: 'needs 2 cores but at most 1.6 cores are available',
    });
    assert.deepEqual(resourceCapacity(machine), { cpu: 2, memory: 8 * GiB });
  });

  it('formats percentages and sizes for people', () => {
    assert.equal(formatPercent(91.4), '91%');
    assert.equal(formatPercent(7.25), '7.3%');
    assert.equal(formatBytes(512 * 1024 ** 2), '512 MiB');
    assert.equal(formatBytes(1.5 * GiB), '1.5 GiB');
    assert.equal(formatBytes(100), '100 B');
  });
});
