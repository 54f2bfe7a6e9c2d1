/**
 * {@link dagHash}: a stable fingerprint of what a DAG does, so that a run is not resumed with a DAG
 * that changed meanwhile.
 * @module
 */

import { cryptoLib } from '../libraries.js';
import type { Dag } from '../model/dag.js';

/**
 * The SHA-256 (hex) of a DAG's definition: its id and environment, and for every task its id, type,
 * config, dependencies and environment. Declaration order, names, descriptions, metadata, source
 * locations, timeouts and retry policies are left out: reordering a file, or raising a timeout before
 * resuming a run that timed out, does not change the hash.
 */
export function dagHash(dag: Dag): string {
  const hash = cryptoLib().createHash('sha256');
  hash.update(canonicalJson({ id: dag.id, environment: dag.environment }));
  const tasks = [...dag.tasks].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const t of tasks) {
    hash.update('\n');
    hash.update(
      canonicalJson({
        id: t.id,
        type: t.taskType,
        config: t.config,
        dependsOn: [...t.dependsOn].sort(),
        environment: t.environment,
      }),
    );
  }
  return hash.digest('hex');
}

/** Replaces plain objects by copies with sorted keys (`JSON.stringify` keeps insertion order). */
function sortKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) sorted[k] = (value as Record<string, unknown>)[k];
  return sorted;
}

/** JSON with object keys sorted, so equal values give equal text. `undefined` members are left out. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, sortKeys) ?? 'null';
}
