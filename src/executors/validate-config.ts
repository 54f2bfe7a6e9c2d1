/**
 * Checks of task configs shared by the built-in executors' `validateTask`: each failure is a
 * `ValidationError` that names the field and quotes the value.
 * @module
 */

import { ConfigurationError, ValidationError } from '../model/errors.js';
import type { Task, TaskConfig } from '../model/task.js';

type KindOf<K extends TaskConfig['kind']> = Extract<TaskConfig, { kind: K }>;

/** The task's config when it is one of `kinds`; else a `ValidationError` saying what the executor needs. */
export function configOfKind<K extends TaskConfig['kind']>(
  task: Task,
  kinds: readonly K[],
  needs: string,
): KindOf<K> {
  const config = task.config as TaskConfig | undefined;
  const kind = config?.kind;
  if (config && (kinds as readonly string[]).includes(kind as string)) return config as KindOf<K>;
  throw new ValidationError(
    `a "${task.taskType}" task needs ${needs}, but its config is of kind "${String(kind)}"`,
    'config',
    String(kind),
  );
}

/** Quotes a value for a message (short). */
export function quote(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A string, non-empty unless `allowEmpty`. */
export function requireString(field: string, value: unknown, allowEmpty = false): string {
  if (typeof value !== 'string' || (!allowEmpty && value === '')) {
    const what = allowEmpty ? 'a string' : 'a non-empty string';
    throw new ValidationError(`"${field}" must be ${what}, got ${quote(value)}`, field, quote(value));
  }
  return value;
}

/** Absent, or a non-empty string. */
export function optionalString(field: string, value: unknown): string | undefined {
  return value === undefined ? undefined : requireString(field, value);
}

/** An array of strings. */
export function requireStringArray(field: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new ValidationError(
      `"${field}" must be a list of strings, got ${quote(value)}`,
      field,
      quote(value),
    );
  }
  return value as string[];
}

/** A plain object whose values are strings. */
export function requireStringRecord(field: string, value: unknown): Record<string, string> {
  if (!isPlainObject(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new ValidationError(
      `"${field}" must be a map of strings to strings, got ${quote(value)}`,
      field,
      quote(value),
    );
  }
  return value as Record<string, string>;
}

/** Absent, or a number greater than 0. */
export function optionalPositiveNumber(field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ValidationError(
      `"${field}" must be a number greater than 0, got ${quote(value)}`,
      field,
      quote(value),
    );
  }
  return value;
}

/** Absent, or one of `allowed`. */
export function optionalOneOf<T extends string>(
  field: string,
  value: unknown,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ValidationError(
      `"${field}" must be one of ${allowed.join(', ')}, got ${quote(value)}`,
      field,
      quote(value),
    );
  }
  return value as T;
}

/** Whether a value is a plain object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a timeout given to an executor's constructor (ms). */
export function checkExecutorTimeout(owner: string, timeout: number | undefined): number | undefined {
  if (timeout === undefined) return undefined;
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new ConfigurationError(
      `${owner}: timeout must be a number of milliseconds greater than 0, got ${quote(timeout)}`,
      'timeout',
      quote(timeout),
    );
  }
  return timeout;
}

/** The default timeout of the built-in executors when none is configured, ms. */
export const DEFAULT_EXECUTOR_TIMEOUT = 300_000;
