import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeLabelValue, formatSampleValue, metricsToPrometheus } from '../../src/metrics/prometheus.js';
import { ValidationError } from '../../src/model/errors.js';
import { type ExecutionMetrics, emptyMetrics } from '../../src/model/result.js';

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL_VALUE = '(?:[^"\\\\\\n]|\\\\\\\\|\\\\"|\\\\n)*';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="${LABEL_VALUE}"`;
const SAMPLE = new RegExp(
  `^(${NAME})(\\{(?:${LABEL})(?:,${LABEL})*\\})? (NaN|[+-]Inf|-?\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?)$`,
);
const HELP = new RegExp(`^# HELP (${NAME}) .*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);

interface Parsed {
  series: Map<string, number>;
  labels: Array<Record<string, string>>;
}

/** Checks the exposition grammar line by line and returns the series. */
function parseExposition(text: string): Parsed {
  assert.ok(text.endsWith('\n'), 'ends with a line feed');
  const series = new Map<string, number>();
  const labels: Array<Record<string, string>> = [];
  const helped = new Set<string>();
  const typed = new Set<string>();
  let family = '';
  for (const line of text.slice(0, -1).split('\n')) {
    const help = HELP.exec(line);
    const type = TYPE.exec(line);
    const sample = SAMPLE.exec(line);
    if (help) {
      assert.ok(!helped.has(help[1]!), `HELP twice for ${help[1]}`);
      helped.add(help[1]!);
    } else if (type) {
      assert.ok(helped.has(type[1]!), `TYPE before HELP for ${type[1]}`);
      assert.ok(!typed.has(type[1]!), `TYPE twice for ${type[1]}`);
      typed.add(type[1]!);
      family = type[1]!;
    } else if (sample) {
      assert.equal(sample[1], family, `sample ${line} outside its family`);
      const key = `${sample[1]}${sample[2] ?? ''}`;
      assert.ok(!series.has(key), `duplicate series ${key}`);
      series.set(key, Number(sample[3]));
      const parsed: Record<string, string> = {};
      for (const m of (sample[2] ?? '').matchAll(
        new RegExp(`([a-zA-Z_][a-zA-Z0-9_]*)="(${LABEL_VALUE})"`, 'g'),
      )) {
        parsed[m[1]!] = m[2]!.replace(/\\(n|"|\\)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      }
      labels.push(parsed);
    } else {
      assert.fail(`not a valid exposition line: ${JSON.stringify(line)}`);
    }
  }
  return { series, labels };
}

function sampleMetrics(): ExecutionMetrics {
  const m = emptyMetrics();
  Object.assign(m, {
    totalTasks: 3,
    successfulTasks: 2,
    failedTasks: 1,
    peakConcurrentTasks: 2,
    totalExecutionTime: 1500,
    taskExecutionTimes: { fetch: 250, 'build "main"': 1000, 'odd\\id\nline': 5 },
    taskWaitTimes: { fetch: 0, 'build "main"': 120, 'odd\\id\nline': 0 },
    criticalPath: ['fetch', 'build "main"'],
  });
  m.resourceUsageSamples.push(
    { cpuPercent: 40, memoryPercent: 50, runningTasks: 1, queuedTasks: 0, timestamp: new Date() },
    { cpuPercent: 80, memoryPercent: 52.5, runningTasks: 2, queuedTasks: 1, timestamp: new Date() },
  );
  return m;
}

describe('metricsToPrometheus', () => {
  it('writes valid exposition text with escaped labels and seconds', () => {
    const text = metricsToPrometheus(sampleMetrics(), { dag: 'etl "nightly"', execution_id: '01ABC' });
    const { series, labels } = parseExposition(text);
    const common = 'dag="etl \\"nightly\\"",execution_id="01ABC"';
    assert.equal(series.get(`jorm_execution_duration_seconds{${common}}`), 1.5);
    assert.equal(series.get(`jorm_execution_tasks{${common},status="failed"}`), 1);
    assert.equal(series.get(`jorm_task_wait_seconds{${common},task="build \\"main\\""}`), 0.12);
    assert.equal(series.get(`jorm_execution_slot_wait_seconds{${common}}`), 0.12);
    assert.equal(series.get(`jorm_critical_path_seconds{${common}}`), 1.25);
    assert.equal(series.get(`jorm_resource_cpu_percent{${common},stat="max"}`), 80);
    assert.equal(series.get(`jorm_resource_memory_percent{${common},stat="mean"}`), 51.25);
    const tasks = labels.filter((l) => l.task !== undefined).map((l) => l.task);
    assert.ok(tasks.includes('odd\\id\nline'), 'label values round-trip through escaping');
    assert.ok(labels.every((l) => l.dag === 'etl "nightly"'));
  });

  it('writes the families of an empty run without resource families', () => {
    const { series } = parseExposition(metricsToPrometheus(emptyMetrics()));
    assert.equal(series.get('jorm_resource_samples'), 0);
    assert.equal(series.get('jorm_execution_tasks{status="total"}'), 0);
    assert.ok(![...series.keys()].some((k) => k.startsWith('jorm_resource_cpu')));
  });

  it('rejects label names Prometheus does not accept or jorm uses', () => {
    assert.throws(() => metricsToPrometheus(emptyMetrics(), { '1dag': 'x' }), ValidationError);
    assert.throws(() => metricsToPrometheus(emptyMetrics(), { __name: 'x' }), ValidationError);
    assert.throws(() => metricsToPrometheus(emptyMetrics(), { task: 'x' }), /used by jorm/);
  });

  it('escapes and formats values the way the format says', () => {
    assert.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
    assert.equal(formatSampleValue(Number.NaN), 'NaN');
    assert.equal(formatSampleValue(Number.POSITIVE_INFINITY), '+Inf');
    assert.equal(formatSampleValue(0.25), '0.25');
  });
});
