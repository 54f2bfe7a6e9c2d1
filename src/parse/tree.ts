/**
 * The format-neutral tree every reader (JORM text, YAML, JSON) produces: values with their positions. The
 * schema layer turns this tree into a {@link Dag}, so all formats give the same DAG and the same diagnostics.
 * @module
 */

import type { Diagnostic, SourceLocation } from '../model/diagnostic.js';

/** A scalar: string (quoted or bare), number, boolean or null. */
export interface ScalarNode {
  kind: 'scalar';
  value: string | number | boolean | null;
  /** The text as written, for an unquoted number (so that `007` read as a string stays `007`). */
  raw?: string;
  loc: SourceLocation;
}

/** A list `[a, b]`. */
export interface ListNode {
  kind: 'list';
  items: ValueNode[];
  loc: SourceLocation;
}

/** One `key: value` of a map. */
export interface MapEntry {
  key: string;
  keyLoc: SourceLocation;
  value: ValueNode;
}

/** A map `{ k: v }`, entries in the order written (duplicates already reported by the reader). */
export interface MapNode {
  kind: 'map';
  entries: MapEntry[];
  loc: SourceLocation;
}

/** Any value of the tree. */
export type ValueNode = ScalarNode | ListNode | MapNode;

/** One task as read from a file, before the schema checks its keys. */
export interface TaskEntry {
  id: string;
  /** Where the task is declared (the `task` keyword, the map key or the list item). */
  loc: SourceLocation;
  /** Where its id is written. */
  idLoc: SourceLocation;
  /** The task's keys (without `id`). */
  body: MapNode;
  /** The reader found a syntax error inside the task: missing keys are not reported for it. */
  damaged: boolean;
}

/** What a reader produces: the DAG-level keys, the tasks, and the syntax problems found. */
export interface DagDocument {
  /** DAG-level keys (`dag`/`id`, `name`, `description`, `env`, `params`), `tasks` excluded. */
  entries: MapEntry[];
  tasks: TaskEntry[];
  /** Syntax problems (already located). */
  diagnostics: Diagnostic[];
  /** The structure could not be read reliably: graph checks and missing-key checks are skipped. */
  damaged: boolean;
}

/** A short description of a node's kind for messages: `a list`, `a map`, `"text"`, `42`. */
export function describeNode(node: ValueNode): string {
  switch (node.kind) {
    case 'list':
      return 'a list';
    case 'map':
      return 'a map';
    case 'scalar':
      return describeScalar(node.value);
  }
}

function describeScalar(value: ScalarNode['value']): string {
  if (value === null) return 'nothing (null)';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return JSON.stringify(shown);
  }
  return String(value);
}

/** The plain JavaScript value of a node (maps become objects with keys in written order). */
export function toPlain(node: ValueNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'list':
      return node.items.map(toPlain);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const entry of node.entries) setOwn(out, entry.key, toPlain(entry.value));
      return out;
    }
  }
}

/** Sets an own, enumerable property, safe for keys such as `__proto__` written by a user. */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
