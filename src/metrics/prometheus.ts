/**
 * {@link ExecutionMetrics} in the Prometheus text exposition format (version 0.0.4), for a textfile
 * collector or a push gateway. Every family is a gauge describing one finished run; times are seconds.
 * @module
 */

import { ValidationError } from '../model/errors.js';
import type { ExecutionMetrics } from '../model/result.js';
import { summarizeMetrics } from './summary.js';

/** Labels added to every series, e.g. `{ dag: 'etl', execution_id: '01J…' }`. */
export type PrometheusLabels = Readonly<Record<string, string>>;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Escapes a label value: backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Escapes HELP text: backslash and line feed. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value as Prometheus writes it (`NaN`, `+Inf`, `-Inf`, or a decimal). */
export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function formatLabels(labels: Readonly<Record<string, string>>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

/** Builds the text of metric families, one `# HELP` and `# TYPE` line each. */
class Exposition {
  private readonly lines: string[] = [];

  constructor(private readonly common: PrometheusLabels) {}

  gauge(name: string, help: string, samples: Array<[Record<string, string>, number]>): void {
    this.lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} gauge`);
    for (const [labels, value] of samples) {
      this.lines.push(`${name}${formatLabels({ ...this.common, ...labels })} ${formatSampleValue(value)}`);
    }
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

const RESERVED = new Set(['status', 'task', 'position', 'stat']);

function validateLabels(labels: PrometheusLabels): void {
  for (const name of Object.keys(labels)) {
    if (!LABEL_NAME.test(name) || name.startsWith('__')) {
      throw new ValidationError(
        `"${name}" is not a valid Prometheus label name (letters, digits and _, not starting with a digit or __)`,
        'labels',
        name,
      );
    }
    if (RESERVED.has(name)) {
      throw new ValidationError(
        `label "${name}" is used by jorm's own series; pick another name`,
        'labels',
        name,
      );
    }
  }
}

const seconds = (ms: number): number => ms / 1000;

/**
 * Renders metrics as Prometheus text. `labels` are added to every series (names must be valid label
 * names and not `status`, `task`, `position` or `stat`, which jorm's series use).
 * @throws ValidationError for a bad label name.
 */
export function metricsToPrometheus(metrics: ExecutionMetrics, labels: PrometheusLabels = {}): string {
  validateLabels(labels);
  const out = new Exposition(labels);
  const summary = summarizeMetrics(metrics);
  out.gauge('jorm_execution_duration_seconds', 'Wall time of the execution.', [
    [{}, seconds(metrics.totalExecutionTime)],
  ]);
  out.gauge('jorm_execution_tasks', 'Tasks of the execution by final status.', [
    [{ status: 'total' }, metrics.totalTasks],
    [{ status: 'success' }, metrics.successfulTasks],
    [{ status: 'failed' }, metrics.failedTasks],
    [{ status: 'skipped' }, metrics.skippedTasks],
    [{ status: 'cancelled' }, metrics.cancelledTasks],
    [{ status: 'timed_out' }, metrics.timedOutTasks],
  ]);
  out.gauge('jorm_execution_peak_concurrent_tasks', 'Most tasks running at once.', [
    [{}, metrics.peakConcurrentTasks],
  ]);
  out.gauge('jorm_execution_slot_wait_seconds', 'Time tasks spent ready but waiting to start, added up.', [
    [{}, seconds(summary.totalWaitTime)],
  ]);
  out.gauge('jorm_critical_path_seconds', 'Run time of the tasks on the critical path, added up.', [
    [{}, seconds(summary.criticalPathTime)],
  ]);
  out.gauge(
    'jorm_critical_path_task',
    'Tasks on the critical path; position 1 is the first.',
    metrics.criticalPath.map((task, i) => [{ task, position: String(i + 1) }, 1]),
  );
  out.gauge(
    'jorm_task_run_seconds',
    'Run time of each task (its last attempt).',
    Object.entries(metrics.taskExecutionTimes).map(([task, ms]) => [{ task }, seconds(ms)]),
  );
  out.gauge(
    'jorm_task_wait_seconds',
    'Time each task waited between ready and started.',
    Object.entries(metrics.taskWaitTimes).map(([task, ms]) => [{ task }, seconds(ms)]),
  );
  const samples = metrics.resourceUsageSamples;
  out.gauge('jorm_resource_samples', 'Resource usage samples taken during the execution.', [
    [{}, samples.length],
  ]);
  if (samples.length > 0) {
    for (const [name, pick] of [
      ['cpu', (s: (typeof samples)[number]) => s.cpuPercent],
      ['memory', (s: (typeof samples)[number]) => s.memoryPercent],
    ] as const) {
      const values = samples.map(pick);
      const max = values.reduce((m, v) => Math.max(m, v), 0);
      const mean = values.reduce((a, v) => a + v, 0) / values.length;
      out.gauge(`jorm_resource_${name}_percent`, `System ${name} usage during the execution, percent.`, [
        [{ stat: 'max' }, max],
        [{ stat: 'mean' }, mean],
        [{ stat: 'last' }, values[values.length - 1] ?? 0],
      ]);
    }
  }
  return out.toString();
}
