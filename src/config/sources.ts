/**
 * {@link ConfigSource}: where a configuration value came from.
 * @module
 */

import { relative } from 'node:path';

/** Where a configuration value came from, lowest precedence first. */
export type ConfigSource =
  | { kind: 'default' }
  | { kind: 'file'; file: string; line: number; column: number }
  | { kind: 'profile'; profile: string; file?: string; line?: number; column?: number }
  | { kind: 'env'; variable: string }
  | { kind: 'flag'; flag: string }
  | { kind: 'code' };

/**
 * A source for people: `default`, `jorm.toml:3:1`, `profile production (built-in)`,
 * `profile fast (jorm.toml:12:1)`, `env JORM_MAX_CONCURRENT_TASKS`, `flag --concurrency`, `code`.
 * File paths are shown relative to `cwd` when given.
 */
export function formatSource(source: ConfigSource, cwd?: string): string {
  const path = (file: string): string => {
    if (!cwd) return file;
    const rel = relative(cwd, file);
    return rel.startsWith('..') && rel.split('/').length > 4 ? file : rel || file;
  };
  switch (source.kind) {
    case 'default':
      return 'default';
    case 'file':
      return `${path(source.file)}:${source.line}:${source.column}`;
    case 'profile':
      return source.file
        ? `profile ${source.profile} (${path(source.file)}:${source.line ?? 1}:${source.column ?? 1})`
        : `profile ${source.profile} (built-in)`;
    case 'env':
      return `env ${source.variable}`;
    case 'flag':
      return `flag ${source.flag}`;
    case 'code':
      return 'code';
    default:
      return source satisfies never;
  }
}
