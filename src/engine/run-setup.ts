/**
 * {@link RunSetup}: everything one execution runs with, assembled by `NativeExecutor.executeDag`.
 * @module
 */

import type { MetricsCollector } from '../metrics/collector.js';
import type { Dag } from '../model/dag.js';
import type { TaskRetryConfig } from '../model/task.js';
import type { AdmissionControl } from './admission.js';
import type { ExecutionBackend } from './backend.js';
import type { DagPlan } from './dag-plan.js';
import type { EventSink } from './event-sink.js';
import type { ExecutorConfig } from './executor-config.js';
import type { AttemptPreparer } from './prepare.js';
import type { ResumeState } from './run-options.js';
import type { TaskSlots } from './task-slots.js';

/** Everything one execution runs with. */
export interface RunSetup {
  dag: Dag;
  plan: DagPlan;
  config: ExecutorConfig;
  slots: TaskSlots;
  backend: ExecutionBackend;
  admission: AdmissionControl | undefined;
  executionId: string;
  signal: AbortSignal | undefined;
  sink: EventSink;
  preparer: AttemptPreparer;
  metrics: MetricsCollector;
  resume: ResumeState | undefined;
  retryFallback: TaskRetryConfig | undefined;
  /** Parameters whose value is a secret (see `ExecutionStartedEvent.secretParams`). */
  secretParams: string[];
}
