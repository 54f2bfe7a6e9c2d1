/**
 * {@link InterpolationError}: a `${…}` reference that cannot be resolved.
 * @module
 */

import { ExecutionContextError } from '../model/errors.js';

/** A reference could not be resolved, or a template is malformed. */
export class InterpolationError extends ExecutionContextError {
  /** The field it is in (`command`, `env.TOKEN`, …), when known. */
  readonly key: string | undefined;
  /** The task it is in, when known. */
  readonly taskId: string | undefined;

  constructor(
    /** What is wrong, without where. */
    readonly detail: string,
    /** The reference as written (`${task.build.stdout}`). */
    readonly reference: string,
    where: { key?: string | undefined; taskId?: string | undefined } = {},
  ) {
    const prefix = [where.taskId === undefined ? '' : `task "${where.taskId}"`, where.key ?? '']
      .filter((p) => p !== '')
      .join(', ');
    super(
      prefix ? `${prefix}: ${detail}` : detail,
      where.taskId === undefined ? {} : { context: { taskId: where.taskId } },
    );
    this.key = where.key;
    this.taskId = where.taskId;
  }
}
