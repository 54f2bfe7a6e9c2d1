/**
 * Reading the machine's CPU time and memory: `/proc/stat` and `/proc/meminfo` on Linux, `os.cpus()` and
 * `os.freemem()` elsewhere. The parsers are pure; {@link systemSampler} is the one that reads the system.
 * @module
 */

import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, freemem, totalmem } from 'node:os';

/** Cumulative CPU time of the whole machine, in any consistent unit (jiffies, ms). */
export interface CpuTimes {
  /** Time spent idle (idle + iowait on Linux). */
  idle: number;
  /** All time accounted for. */
  total: number;
}

/** The machine's memory, in bytes. */
export interface MemoryReading {
  totalBytes: number;
  /** Memory available to new work without swapping (`MemAvailable`): free memory plus reclaimable caches. */
  availableBytes: number;
}

/** Where a {@link ResourceMonitor} takes its readings from; tests and other platforms may supply their own. */
export interface SystemSampler {
  /** Cumulative CPU times now. */
  readCpuTimes(): CpuTimes;
  /** Memory now. */
  readMemory(): MemoryReading;
  /** Logical CPU cores. */
  cpuCount(): number;
}

/**
 * Parses the aggregate `cpu` line of `/proc/stat`. Idle is `idle + iowait`; total is
 * `user + nice + system + idle + iowait + irq + softirq + steal` (guest time is already inside user).
 * Returns undefined when the text has no such line.
 */
export function parseProcStat(text: string): CpuTimes | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) return undefined;
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 4 || fields.some((n) => !Number.isFinite(n))) return undefined;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  return { idle: idle + iowait, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

/**
 * Parses `/proc/meminfo`. Uses `MemAvailable`; kernels older than 3.14 lack it, and then
 * `MemFree + Buffers + Cached` is the estimate. Returns undefined when `MemTotal` is missing.
 */
export function parseMeminfo(text: string): MemoryReading | undefined {
  const kb = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\w+):\s+(\d+)/.exec(line);
    if (match) kb.set(match[1]!, Number(match[2]));
  }
  const total = kb.get('MemTotal');
  if (total === undefined || total <= 0) return undefined;
  const available =
    kb.get('MemAvailable') ?? (kb.get('MemFree') ?? 0) + (kb.get('Buffers') ?? 0) + (kb.get('Cached') ?? 0);
  return { totalBytes: total * 1024, availableBytes: Math.min(total, available) * 1024 };
}

/** CPU busy percentage (0–100) between two readings; 0 when no time passed. */
export function cpuPercentBetween(before: CpuTimes, after: CpuTimes): number {
  const total = after.total - before.total;
  if (!(total > 0)) return 0;
  const busy = total - (after.idle - before.idle);
  return clampPercent((busy / total) * 100);
}

/** Memory in use as a percentage (0–100): everything not available. */
export function memoryPercentOf(reading: MemoryReading): number {
  if (!(reading.totalBytes > 0)) return 0;
  return clampPercent(((reading.totalBytes - reading.availableBytes) / reading.totalBytes) * 100);
}

function clampPercent(value: number): number {
  return Math.min(100, Math.max(0, value));
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function osCpuTimes(): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const t = cpu.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

/**
 * The sampler of this machine: `/proc` on Linux, the `os` module elsewhere (or when `/proc` is not
 * readable). Each reading is a small synchronous read of a kernel file, cheap enough for a timer.
 */
export function systemSampler(): SystemSampler {
  const hasProc = process.platform === 'linux' && readProc('/proc/stat') !== undefined;
  return {
    readCpuTimes: () => (hasProc ? parseProcStat(readProc('/proc/stat') ?? '') : undefined) ?? osCpuTimes(),
    readMemory: () =>
      (hasProc ? parseMeminfo(readProc('/proc/meminfo') ?? '') : undefined) ?? {
        totalBytes: totalmem(),
        availableBytes: freemem(),
      },
    cpuCount: () => availableParallelism(),
  };
}
