/**
 * Test helper for the CLI tests of the state commands: a temporary state database holding executions
 * recorded with the real StateRecorder.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newExecutionId } from '../../src/model/ids.js';
import { StateManager } from '../../src/state/state-manager.js';
import { StateRecorder } from '../../src/state/state-recorder.js';
import { type PlayOptions, playExecution, type SimTask, shellDag } from './simulate.js';

/** A temporary directory with a state database in `.jorm/state.db`. */
export class StateFixture {
  readonly dir = mkdtempSync(join(tmpdir(), 'jorm-state-cli-'));
  readonly database = join(this.dir, '.jorm', 'state.db');
  readonly manager = StateManager.open({ databaseUrl: this.database });

  /** Records a whole execution of a DAG given as `{ task: [deps] }`; returns its id. */
  record(
    dagId: string,
    spec: Record<string, string[]>,
    behaviour: Record<string, SimTask> = {},
    options: PlayOptions = {},
  ): string {
    const dag = shellDag(dagId, spec);
    const executionId = options.executionId ?? newExecutionId(options.start);
    playExecution(new StateRecorder(this.manager, { dag }), dag, behaviour, { ...options, executionId });
    return executionId;
  }

  /** Closes the database and deletes the directory. */
  dispose(): void {
    this.manager.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
