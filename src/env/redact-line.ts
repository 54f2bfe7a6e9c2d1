/**
 * {@link redactSecretsInLine}: a line of a file shown under an error, with the values of secret
 * variables replaced by `***`.
 * @module
 */

import { isSecureName } from './environment-config.js';

/**
 * `NAME = value`, `NAME: value`, `"NAME": value` (TOML, `.env`, YAML, JSON, `.jorm`): the name (quoted or
 * not), the separator, then a quoted value or a bare word (up to a space, `,`, `}` or `#`). A quote that
 * is never closed takes the rest of the line.
 */
const ASSIGNMENT =
  /(["']?)\b([A-Za-z_][A-Za-z0-9_]*)\1(\s*[:=]\s*)("(?:[^"\\]|\\.)*"|'[^']*'|["'][^\n]*|[^\s,}#]+)/g;

/**
 * The line with the value of every assignment to a secret variable (by jorm's default rules: names
 * with a secure prefix or pattern, such as `API_TOKEN` or `DB_PASSWORD`) replaced by `***`, so that an
 * error about a configuration, `.env` or DAG file never prints a secret. Columns before each value are
 * unchanged.
 */
export function redactSecretsInLine(line: string): string {
  if (!line.includes('=') && !line.includes(':')) return line;
  return line.replace(ASSIGNMENT, (whole, quote: string, name: string, separator: string) =>
    isSecureName(name) ? `${quote}${name}${quote}${separator}***` : whole,
  );
}
