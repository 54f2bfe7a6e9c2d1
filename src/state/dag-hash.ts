/**
 * {@link dagHash}: a stable fingerprint of what a DAG does, so that a run is not resumed with a DAG
 * that changed meanwhile.
 * @module
 */

import { createHash } from 'node:crypto';
import type { Dag } from '../model/dag.js';

/**
 * The SHA-256 (hex) of a DAG's definition: its id and environment, and for every task its id, type,
 * config, dependencies and environment. Declaration order, names, descriptions, metadata, source
 * locations, timeouts and retry policies are left out: reordering a file, or raising a timeout before
 * resuming a run that timed out, does not change the hash.
 */
export function dagHash(dag: Dag): string {
  const tasks = dag.tasks
    .map((t) => ({
      id: t.id,
      type: t.taskType,
      config: t.config,
      dependsOn: [...t.dependsOn].sort(),
      environment: t.environment,
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const definition = { id: dag.id, environment: dag.environment, tasks };
  return createHash('sha256').update(canonicalJson(definition)).digest('hex');
}

/** JSON with object keys sorted, so equal values give equal text. `undefined` members are left out. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
