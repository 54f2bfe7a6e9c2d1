/**
 * Reading one configuration value, from a file (typed) or from a `JORM_*` variable or flag (text), with a
 * message naming the key, the value and the rule when it is invalid.
 * @module
 */

import { isAbsolute, resolve } from 'node:path';
import { patternProblem } from '../env/names.js';
import { parseUserDuration } from '../model/duration.js';
import type { FieldSpec, ValueType } from './schema.js';

/** A validated configuration value: durations are milliseconds, paths absolute. */
export type ConfigValue = number | boolean | string | string[];

/** The outcome of reading one value. */
export type ValueResult = { ok: true; value: ConfigValue } | { ok: false; message: string };

/** How a value is read. */
export interface ValueOrigin {
  /** The value came as text (`JORM_*` variable, flag): numbers, booleans and lists are parsed from it. */
  fromText: boolean;
  /** What relative paths are relative to. */
  baseDir: string;
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

function show(raw: unknown): string {
  return typeof raw === 'string' ? JSON.stringify(raw) : (JSON.stringify(raw) ?? String(raw));
}

function describe(type: ValueType): string {
  switch (type.kind) {
    case 'integer':
      return `a whole number of at least ${type.min}`;
    case 'number':
      return `a number ${type.minExclusive ? 'above' : 'from'} ${type.min} up to ${type.max}`;
    case 'duration':
      return type.allowZero
        ? 'a duration such as "500ms", "30s", "5m" (0 allowed)'
        : 'a duration greater than 0, such as "500ms", "30s", "5m"';
    case 'boolean':
      return 'true or false';
    case 'string':
    case 'path':
    case 'database-url':
      return 'a non-empty string';
    case 'enum':
      return `one of ${type.values.join(', ')}`;
    case 'patterns':
      return 'a list of names or patterns (letters, digits, "_", "*", "?")';
    default:
      return type satisfies never;
  }
}

function resolvePath(text: string, baseDir: string): string {
  return isAbsolute(text) ? text : resolve(baseDir, text);
}

function resolveDatabaseUrl(text: string, baseDir: string): string {
  if (text === ':memory:' || text === 'sqlite::memory:') return text;
  if (text.startsWith('sqlite:')) return `sqlite:${resolvePath(text.slice('sqlite:'.length), baseDir)}`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return text;
  return resolvePath(text, baseDir);
}

function readRaw(type: ValueType, raw: unknown, origin: ValueOrigin): ConfigValue | undefined {
  const text = typeof raw === 'string' ? raw.trim() : undefined;
  switch (type.kind) {
    case 'integer': {
      const n =
        typeof raw === 'number'
          ? raw
          : origin.fromText && text && /^[+-]?\d+$/.test(text)
            ? Number(text)
            : NaN;
      return Number.isInteger(n) && n >= type.min ? n : undefined;
    }
    case 'number': {
      const n =
        typeof raw === 'number'
          ? raw
          : origin.fromText && text && /^[+-]?\d+(\.\d+)?$/.test(text)
            ? Number(text)
            : NaN;
      if (!Number.isFinite(n)) return undefined;
      const aboveMin = type.minExclusive ? n > type.min : n >= type.min;
      return aboveMin && n <= type.max ? n : undefined;
    }
    case 'duration': {
      const ms = parseUserDuration(typeof raw === 'number' || text === undefined ? raw : text);
      if (ms === undefined) return undefined;
      return ms > 0 || (type.allowZero && ms === 0) ? ms : undefined;
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (origin.fromText && text !== undefined) {
        if (TRUE.has(text.toLowerCase())) return true;
        if (FALSE.has(text.toLowerCase())) return false;
      }
      return undefined;
    case 'string':
      return text ? text : undefined;
    case 'path':
      return text ? resolvePath(text, origin.baseDir) : undefined;
    case 'database-url':
      return text ? resolveDatabaseUrl(text, origin.baseDir) : undefined;
    case 'enum':
      return text !== undefined && type.values.includes(text.toLowerCase()) ? text.toLowerCase() : undefined;
    case 'patterns': {
      const list = Array.isArray(raw)
        ? raw
        : origin.fromText && text !== undefined
          ? text
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s !== '')
          : undefined;
      if (!list?.every((p): p is string => typeof p === 'string' && patternProblem(p) === undefined)) {
        return undefined;
      }
      return list;
    }
    default:
      return type satisfies never;
  }
}

/** Reads one value of `spec`, or says why it is invalid (the key, the value, the rule). */
export function readFieldValue(spec: FieldSpec, raw: unknown, origin: ValueOrigin): ValueResult {
  const value = readRaw(spec.type, raw, origin);
  if (value !== undefined) return { ok: true, value };
  let rule = describe(spec.type);
  if (spec.type.kind === 'patterns' && Array.isArray(raw)) {
    const bad = raw.find((p) => typeof p !== 'string' || patternProblem(p) !== undefined);
    const problem = typeof bad === 'string' ? patternProblem(bad) : 'entries must be strings';
    return { ok: false, message: `${spec.key}: entry ${show(bad)} is invalid: ${problem}` };
  }
  if (
    !origin.fromText &&
    typeof raw === 'string' &&
    ['integer', 'number', 'boolean'].includes(spec.type.kind)
  ) {
    rule += ' (without quotes)';
  }
  return { ok: false, message: `${spec.key} must be ${rule}, got ${show(raw)}` };
}

/** A value for people: durations as `30s`/`5m`, lists comma-separated. */
export function formatValue(spec: FieldSpec | undefined, value: ConfigValue): string {
  if (spec?.type.kind === 'duration' && typeof value === 'number') return formatMs(value);
  if (Array.isArray(value)) return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
  return String(value);
}

/** Milliseconds in the largest unit that divides them: `300000` → `5m`. */
export function formatMs(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'm'],
    [1000, 's'],
  ];
  for (const [size, unit] of units) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}
