/**
 * The typed value readers of the schema layer. Each reads one node of the format-neutral tree, and either
 * returns the value or records a located diagnostic with a readable reason and returns `undefined`.
 * @module
 */

import { type Diagnostic, didYouMean, type SourceLocation } from '../../model/diagnostic.js';
import { parseUserDuration } from '../../model/duration.js';
import {
  describeNode,
  type MapEntry,
  type MapNode,
  type ScalarNode,
  setOwn,
  toPlain,
  type ValueNode,
} from '../tree.js';

/** Collects diagnostics for one scope (the DAG, or one task). */
export class Checker {
  constructor(
    readonly diagnostics: Diagnostic[],
    /** Put before every message, e.g. `task "build": `. */
    private readonly prefix = '',
    readonly taskId?: string,
    /** Skip missing-key reports (the scope had syntax errors). */
    readonly damaged = false,
  ) {}

  /** A checker for one task, sharing the diagnostics. */
  forTask(taskId: string, damaged: boolean): Checker {
    return new Checker(this.diagnostics, `task "${taskId}": `, taskId, damaged);
  }

  /** Number of diagnostics so far (to tell whether a step added any). */
  get count(): number {
    return this.diagnostics.length;
  }

  fail(code: string, message: string, location: SourceLocation, hint?: string): undefined {
    this.diagnostics.push({
      code,
      message: this.prefix + message,
      location,
      ...(hint ? { hint } : {}),
      ...(this.taskId === undefined ? {} : { taskId: this.taskId }),
    });
    return undefined;
  }

  private wrongType(node: ValueNode, key: string, expected: string, hint?: string): undefined {
    return this.fail('wrong-type', `"${key}" must be ${expected}, not ${describeNode(node)}`, node.loc, hint);
  }

  /**
   * Reports keys of `map` not in `allowed`, with a "did you mean" or a specific hint.
   * @returns the keys suggested by "did you mean" (likely misspelt, so not also reported missing).
   */
  checkKeys(
    map: MapNode,
    allowed: readonly string[],
    where: string,
    hints: Record<string, string> = {},
  ): Set<string> {
    const suggested = new Set<string>();
    for (const entry of map.entries) {
      if (allowed.includes(entry.key)) continue;
      const guess = didYouMean(entry.key, allowed);
      if (guess) suggested.add(guess);
      const hint =
        hints[entry.key] ?? (guess ? `did you mean "${guess}"?` : `known keys: ${allowed.join(', ')}`);
      this.fail('unknown-key', `unknown key "${entry.key}" ${where}`, entry.keyLoc, hint);
    }
    return suggested;
  }

  /** Reports a missing key (unless the scope is damaged). */
  missing(key: string, what: string, location: SourceLocation, hint?: string): undefined {
    if (this.damaged) return undefined;
    return this.fail('missing-key', `${what} needs "${key}"`, location, hint);
  }

  map(node: ValueNode, key: string): MapNode | undefined {
    return node.kind === 'map' ? node : this.wrongType(node, key, 'a map { key: value }');
  }

  string(node: ValueNode, key: string): string | undefined {
    if (node.kind !== 'scalar' || node.value === null) return this.wrongType(node, key, 'a string');
    return scalarText(node);
  }

  nonEmptyString(node: ValueNode, key: string): string | undefined {
    const value = this.string(node, key);
    if (value === undefined || value.trim() !== '') return value;
    return this.fail('invalid-value', `"${key}" must not be empty`, node.loc);
  }

  /** A list of strings; a single string is taken as a list of one when `allowSingle`. */
  stringList(node: ValueNode, key: string, allowSingle = false): string[] | undefined {
    if (node.kind === 'scalar' && allowSingle && node.value !== null) return [scalarText(node)];
    if (node.kind !== 'list') return this.wrongType(node, key, 'a list [ … ]');
    const out: string[] = [];
    let ok = true;
    for (const item of node.items) {
      if (item.kind !== 'scalar' || item.value === null) {
        this.fail('wrong-type', `items of "${key}" must be strings, not ${describeNode(item)}`, item.loc);
        ok = false;
      } else out.push(scalarText(item));
    }
    return ok ? out : undefined;
  }

  /** A map of strings (numbers and booleans are written as text; null is the empty string). */
  stringMap(node: ValueNode, key: string): Record<string, string> | undefined {
    const map = this.map(node, key);
    if (!map) return undefined;
    const out: Record<string, string> = {};
    let ok = true;
    for (const entry of map.entries) {
      const v = entry.value;
      if (v.kind !== 'scalar') {
        this.fail('wrong-type', `"${key}.${entry.key}" must be a string, not ${describeNode(v)}`, v.loc);
        ok = false;
      } else setOwn(out, entry.key, v.value === null ? '' : scalarText(v));
    }
    return ok ? out : undefined;
  }

  plainMap(node: ValueNode, key: string): Record<string, unknown> | undefined {
    const map = this.map(node, key);
    return map ? (toPlain(map) as Record<string, unknown>) : undefined;
  }

  plainList(node: ValueNode, key: string): unknown[] | undefined {
    return node.kind === 'list' ? (toPlain(node) as unknown[]) : this.wrongType(node, key, 'a list [ … ]');
  }

  bool(node: ValueNode, key: string): boolean | undefined {
    if (node.kind === 'scalar' && typeof node.value === 'boolean') return node.value;
    return this.wrongType(node, key, 'true or false');
  }

  number(node: ValueNode, key: string, min: number, inclusive = true): number | undefined {
    const bound = inclusive ? `at least ${min}` : `greater than ${min}`;
    if (node.kind !== 'scalar' || typeof node.value !== 'number' || !Number.isFinite(node.value)) {
      return this.wrongType(node, key, `a number ${bound}`);
    }
    const v = node.value;
    if (inclusive ? v < min : v <= min)
      return this.fail('invalid-value', `"${key}" must be ${bound}, not ${v}`, node.loc);
    return v;
  }

  int(node: ValueNode, key: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    if (node.kind !== 'scalar' || typeof node.value !== 'number' || !Number.isInteger(node.value)) {
      return this.wrongType(node, key, `a whole number from ${min} to ${max}`);
    }
    if (node.value < min || node.value > max) {
      return this.fail(
        'invalid-value',
        `"${key}" must be from ${min} to ${max}, not ${node.value}`,
        node.loc,
      );
    }
    return node.value;
  }

  /** A list of whole numbers (a single one is a list of one). */
  intList(node: ValueNode, key: string, min: number, max: number): number[] | undefined {
    const items = node.kind === 'list' ? node.items : [node];
    const out: number[] = [];
    for (const item of items) {
      const v = this.int(item, `${key}`, min, max);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }

  /** A duration: `500ms`, `30s`, `10m`, `2h`, `7d`, or a number of seconds; in milliseconds. */
  duration(node: ValueNode, key: string, allowZero = false): number | undefined {
    const raw = node.kind === 'scalar' ? node.value : undefined;
    const parsed = parseUserDuration(raw);
    if (parsed === undefined || node.kind !== 'scalar') {
      return this.wrongType(node, key, 'a duration such as 500ms, 30s, 10m, 2h or 7d (a number is seconds)');
    }
    // Whole milliseconds: `0.0001` (seconds) and `0.4ms` are both 0, not a timeout of a fraction of one.
    const ms = Math.round(parsed);
    if (ms === 0 && !allowZero) {
      return this.fail('invalid-value', `"${key}" must be at least 1ms, got ${raw}`, node.loc);
    }
    return ms;
  }

  /** One of a set of words, with a "did you mean" for near misses. */
  oneOf<T extends string>(node: ValueNode, key: string, choices: readonly T[]): T | undefined {
    const value = this.string(node, key);
    if (value === undefined) return undefined;
    if ((choices as readonly string[]).includes(value)) return value as T;
    const guess = didYouMean(value, choices);
    return this.fail(
      'invalid-value',
      `"${key}" must be one of ${choices.join(', ')}, not ${JSON.stringify(value)}`,
      node.loc,
      guess ? `did you mean "${guess}"?` : undefined,
    );
  }
}

/** The entries of a map by key. */
export function entriesByKey(map: MapNode): Map<string, MapEntry> {
  const out = new Map<string, MapEntry>();
  for (const entry of map.entries) if (!out.has(entry.key)) out.set(entry.key, entry);
  return out;
}

/** A scalar as text: numbers as written when known. */
export function scalarText(node: ScalarNode): string {
  return node.raw ?? String(node.value);
}
