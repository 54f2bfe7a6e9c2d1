/**
 * The distributed backend's part of `jorm run` (CLI glue, loaded by `src/cli/commands/index.ts`):
 *
 * - `--register MODULE` (repeatable): executor modules, as for `jorm worker`, so that the coordinator knows
 *   the custom task types it validates (`run-dag.ts` loads them into the registry before the DAG is read);
 * - with the `bullmq` backend and no concurrency set anywhere, the number of tasks in flight defaults to
 *   the total concurrency of the live workers instead of this machine's CPU count.
 * @module
 */

import { type RunPlan, registerRunExtension } from '../cli/run/extensions.js';
import type { Configuration } from '../config/load.js';
import { addRegisterOption } from './register-option.js';

registerRunExtension({
  name: 'distributed',
  addOptions: addRegisterOption,
  async beforeRun(plan: RunPlan & { configuration?: Configuration }) {
    const configuration = plan.configuration;
    const settings = configuration?.distributed;
    if (settings?.backend !== 'bullmq') return;
    if (configuration?.sources['executor.max_concurrent_tasks']?.kind !== 'default') return;
    // Loaded here: a local run does not pay for the BullMQ client.
    const { liveWorkerConcurrency } = await import('./create-backend.js');
    const total = await liveWorkerConcurrency(settings);
    if (total !== undefined) plan.config.maxConcurrentTasks = total;
  },
});
