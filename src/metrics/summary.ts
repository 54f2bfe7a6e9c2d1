/**
 * A short summary of {@link ExecutionMetrics} for people: the critical path and the time tasks spent
 * waiting for a slot.
 * @module
 */

import { formatDuration } from '../model/duration.js';
import type { ExecutionMetrics } from '../model/result.js';

/** What {@link summarizeMetrics} derives from a run's metrics. Times are milliseconds. */
export interface MetricsSummary {
  /** The chain of tasks that determined the duration, first to last. */
  criticalPath: string[];
  /** Run time of the critical path's tasks, added up. */
  criticalPathTime: number;
  /** Time tasks spent ready but waiting for a slot (or held by throttling), added up over all tasks. */
  totalWaitTime: number;
  /** Tasks that waited at all. */
  waitingTasks: number;
  /** The task that waited longest, when any did. */
  longestWait?: { taskId: string; wait: number };
  /** Highest sampled CPU and memory percentages, when samples were taken. */
  peakCpuPercent?: number;
  peakMemoryPercent?: number;
}

/** Derives a {@link MetricsSummary}. */
export function summarizeMetrics(metrics: ExecutionMetrics): MetricsSummary {
  let criticalPathTime = 0;
  for (const id of metrics.criticalPath) criticalPathTime += metrics.taskExecutionTimes[id] ?? 0;
  let totalWaitTime = 0;
  let waitingTasks = 0;
  let longestWait: MetricsSummary['longestWait'];
  for (const [taskId, wait] of Object.entries(metrics.taskWaitTimes)) {
    totalWaitTime += wait;
    if (wait > 0) waitingTasks++;
    if (wait > 0 && (longestWait === undefined || wait > longestWait.wait)) longestWait = { taskId, wait };
  }
  const summary: MetricsSummary = {
    criticalPath: metrics.criticalPath,
    criticalPathTime,
    totalWaitTime,
    waitingTasks,
  };
  if (longestWait) summary.longestWait = longestWait;
  if (metrics.resourceUsageSamples.length > 0) {
    summary.peakCpuPercent = metrics.resourceUsageSamples.reduce((m, s) => Math.max(m, s.cpuPercent), 0);
    summary.peakMemoryPercent = metrics.resourceUsageSamples.reduce(
      (m, s) => Math.max(m, s.memoryPercent),
      0,
    );
  }
  return summary;
}

/**
 * The summary as lines for a terminal, e.g.
 * `critical path: fetch → build → test (4.20s)` and
 * `slot wait: 12.3s over 40 tasks (longest: lint 1.20s)`. A long path is shortened in the middle.
 */
export function formatMetricsSummary(metrics: ExecutionMetrics, maxPathTasks = 8): string[] {
  const s = summarizeMetrics(metrics);
  const lines: string[] = [];
  if (s.criticalPath.length > 0) {
    const path =
      s.criticalPath.length <= maxPathTasks
        ? s.criticalPath
        : [
            ...s.criticalPath.slice(0, Math.ceil(maxPathTasks / 2)),
            `… ${s.criticalPath.length - maxPathTasks} more …`,
            ...s.criticalPath.slice(-Math.floor(maxPathTasks / 2)),
          ];
    lines.push(`critical path: ${path.join(' → ')} (${formatDuration(s.criticalPathTime)})`);
  }
  if (s.waitingTasks === 0) {
    lines.push('slot wait: none');
  } else {
    const plural = s.waitingTasks === 1 ? 'task' : 'tasks';
    const longest = s.longestWait
      ? ` (longest: ${s.longestWait.taskId} ${formatDuration(s.longestWait.wait)})`
      : '';
    lines.push(`slot wait: ${formatDuration(s.totalWaitTime)} over ${s.waitingTasks} ${plural}${longest}`);
  }
  if (s.peakCpuPercent !== undefined && s.peakMemoryPercent !== undefined) {
    lines.push(
      `peak usage: cpu ${Math.round(s.peakCpuPercent)}%, memory ${Math.round(s.peakMemoryPercent)}%`,
    );
  }
  return lines;
}
