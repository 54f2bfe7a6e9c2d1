/**
 * Reading a configuration table (a file's top level, or one profile) into validated values, with every
 * unknown key, wrong type and broken rule reported at its line.
 * @module
 */

import { isVariableName } from '../env/names.js';
import { redactSecretsInLine } from '../env/redact-line.js';
import { type Diagnostic, didYouMean, type SourceLocation } from '../model/diagnostic.js';
import { fieldSpec, keysUnder, mapSpec, SECTIONS } from './schema.js';
import { type ConfigValue, readFieldValue } from './values.js';

/** One validated value of a table. */
export interface TableValue {
  /** Dotted snake_case key; a variable of a table is `environment.variables.NAME`. */
  key: string;
  value: ConfigValue;
  location?: SourceLocation;
}

/** Where a table comes from, for locating its keys. */
export interface TableOrigin {
  file?: string;
  positions?: ReadonlyMap<string, { line: number; column: number }>;
  lines?: readonly string[];
  /** The path of the table inside the file (`['profiles', 'fast']`), for positions. */
  prefix: string[];
  /** What relative paths are relative to. */
  baseDir: string;
  /** A profile's table: `profiles` and `executor.profile` are not allowed. */
  inProfile: boolean;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

/** Reads a table; `profiles` is skipped (read separately). Problems are appended to `problems`. */
export function readTable(
  data: Record<string, unknown>,
  origin: TableOrigin,
  problems: Diagnostic[],
): TableValue[] {
  const values: TableValue[] = [];
  const locate = (key: string): SourceLocation | undefined => {
    const pos = origin.positions?.get([...origin.prefix, key].join('.'));
    if (!pos && !origin.file) return undefined;
    return { ...(origin.file ? { file: origin.file } : {}), line: pos?.line ?? 1, column: pos?.column ?? 1 };
  };
  const problem = (key: string, code: string, message: string, hint?: string): void => {
    const location = locate(key);
    problems.push({
      code,
      message,
      ...(location ? { location } : {}),
      ...(location && origin.lines
        ? { sourceLine: redactSecretsInLine(origin.lines[location.line - 1] ?? '') }
        : {}),
      ...(hint ? { hint } : {}),
    });
  };
  const where = origin.inProfile ? ` in profile "${origin.prefix[1] ?? ''}"` : '';

  const walk = (table: Record<string, unknown>, section: string): void => {
    for (const [name, raw] of Object.entries(table)) {
      const key = section ? `${section}.${name}` : name;
      if (key === 'profiles') continue;
      const spec = fieldSpec(key);
      if (spec) {
        if (origin.inProfile && spec.inProfile === false) {
          problem(key, 'not-in-profile', `${key} cannot be set${where}`);
          continue;
        }
        const result = readFieldValue(spec, raw, { fromText: false, baseDir: origin.baseDir });
        if (result.ok) {
          const location = locate(key);
          values.push({ key, value: result.value, ...(location ? { location } : {}) });
        } else problem(key, 'invalid-value', result.message);
        continue;
      }
      if (mapSpec(key)) {
        if (!isTable(raw)) {
          problem(
            key,
            'invalid-value',
            `${key} must be a table of NAME = "value" entries, got ${JSON.stringify(raw)}`,
          );
          continue;
        }
        for (const [variable, value] of Object.entries(raw)) {
          const entryKey = `${key}.${variable}`;
          if (!isVariableName(variable)) {
            problem(
              entryKey,
              'invalid-name',
              `${entryKey}: "${variable}" is not a valid variable name`,
              'use letters, digits and "_", not starting with a digit',
            );
          } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
            const location = locate(entryKey) ?? locate(key);
            values.push({ key: entryKey, value: String(value), ...(location ? { location } : {}) });
          } else {
            // The value is not shown: variables hold secrets.
            const kind = Array.isArray(value) ? 'a list' : value === null ? 'null' : 'a table';
            problem(
              entryKey,
              'invalid-value',
              `${entryKey} must be a string, number or boolean, got ${kind}`,
            );
          }
        }
        continue;
      }
      if (SECTIONS.includes(key)) {
        if (isTable(raw)) walk(raw, key);
        else problem(key, 'invalid-value', `[${key}] must be a table, got ${JSON.stringify(raw)}`);
        continue;
      }
      const known = keysUnder(section).filter((k) => !(origin.inProfile && k === 'profiles'));
      const guess = didYouMean(name, known) ?? known.find((k) => name.length >= 3 && k.startsWith(name));
      const place = section ? `in [${section}]` : 'at the top level';
      problem(
        key,
        'unknown-key',
        `unknown key "${name}" ${place}${where}`,
        guess ? `did you mean "${guess}"?` : `known keys: ${known.join(', ')}`,
      );
    }
  };
  walk(data, '');
  return values;
}

/** The named tables of `profiles`, each checked to be a table. */
export function profileTables(
  data: Record<string, unknown>,
  origin: Omit<TableOrigin, 'prefix' | 'inProfile'>,
  problems: Diagnostic[],
): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const raw = data['profiles'];
  if (raw === undefined) return out;
  const locate = (path: string[]): SourceLocation | undefined => {
    const pos = origin.positions?.get(path.join('.'));
    return origin.file ? { file: origin.file, line: pos?.line ?? 1, column: pos?.column ?? 1 } : undefined;
  };
  if (!isTable(raw)) {
    const location = locate(['profiles']);
    problems.push({
      code: 'invalid-value',
      message: 'profiles must be a table of named profiles',
      ...(location ? { location } : {}),
    });
    return out;
  }
  for (const [name, table] of Object.entries(raw)) {
    if (isTable(table)) out.set(name, table);
    else {
      const location = locate(['profiles', name]);
      problems.push({
        code: 'invalid-value',
        message: `profile "${name}" must be a table ([profiles.${name}])`,
        ...(location ? { location } : {}),
      });
    }
  }
  return out;
}
