/**
 * `.env` files: `KEY=value` lines read into variables, next to the DAG file by default.
 * @module
 */

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigFileError } from '../config/errors.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { ConfigurationError } from '../model/errors.js';
import { isVariableName } from './names.js';
import { redactSecretsInLine } from './redact-line.js';

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"', $: '$' };

/**
 * Parses the text of a `.env` file.
 *
 * Lines are `KEY=value`, optionally prefixed by `export `. Blank lines and lines starting with `#` are
 * skipped. Values are unquoted (trimmed; ` #` starts a comment), single-quoted (literal) or double-quoted
 * (`\n`, `\t`, `\"`, `\\` escapes); quoted values may span lines. Values are taken literally: no `${…}`
 * expansion. A key given twice keeps its last value.
 * @throws ConfigFileError listing every problem with its line and column.
 */
export function parseEnvFile(text: string, file?: string): Record<string, string> {
  const values: Record<string, string> = {};
  const problems: Diagnostic[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const at = (line: number, column: number, message: string, hint?: string): void => {
    problems.push({
      code: 'env-file',
      message,
      location: { ...(file ? { file } : {}), line: line + 1, column },
      sourceLine: redactSecretsInLine(lines[line] ?? ''),
      ...(hint ? { hint } : {}),
    });
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const indent = line.length - trimmed.length;
    const body = trimmed.startsWith('export ') ? trimmed.slice(7).trimStart() : trimmed;
    const keyStart = line.length - body.length;
    const eq = body.indexOf('=');
    if (eq < 0) {
      at(i, indent + 1, 'expected KEY=value', 'write the variable as NAME=value');
      continue;
    }
    const key = body.slice(0, eq).trim();
    if (!isVariableName(key)) {
      at(
        i,
        keyStart + 1,
        `"${key}" is not a valid variable name`,
        'use letters, digits and "_", not starting with a digit',
      );
      continue;
    }
    let rest = body.slice(eq + 1).trimStart();
    const valueColumn = line.length - rest.length + 1;
    const quote = rest[0];
    if (quote !== '"' && quote !== "'") {
      const comment = rest.search(/\s#/);
      values[key] = (comment >= 0 ? rest.slice(0, comment) : rest).trim();
      continue;
    }
    // A quoted value, possibly over several lines.
    let value = '';
    let j = 1;
    let lineIndex = i;
    let closed = false;
    let restOffset = line.length - rest.length;
    while (!closed) {
      if (j >= rest.length) {
        if (lineIndex + 1 >= lines.length) break;
        value += '\n';
        lineIndex++;
        rest = lines[lineIndex] ?? '';
        restOffset = 0;
        j = 0;
        continue;
      }
      const c = rest[j] ?? '';
      if (c === quote) {
        closed = true;
        j++;
      } else if (c === '\\' && quote === '"' && j + 1 < rest.length) {
        const next = rest[j + 1] ?? '';
        value += ESCAPES[next] ?? `\\${next}`;
        j += 2;
      } else {
        value += c;
        j++;
      }
    }
    if (!closed) {
      at(
        i,
        valueColumn,
        `unterminated ${quote === '"' ? 'double' : 'single'}-quoted value of ${key}`,
        `add the closing ${quote}`,
      );
      break;
    }
    const after = rest.slice(j).trim();
    if (after !== '' && !after.startsWith('#')) {
      const column = restOffset + rest.length - rest.slice(j).trimStart().length + 1;
      at(lineIndex, column, `unexpected text after the quoted value of ${key}`);
    }
    values[key] = value;
    i = lineIndex;
  }
  if (problems.length > 0) throw new ConfigFileError(problems, 'envFile', file);
  return values;
}

/**
 * Reads and parses a `.env` file.
 * @throws ConfigurationError when it cannot be read; ConfigFileError when it is malformed.
 */
export function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((error as Error).message);
    throw new ConfigurationError(`cannot read env file ${path}: ${reason}`, 'envFile', path, {
      cause: error,
    });
  }
  return parseEnvFile(text, path);
}

/** The `.env` file beside a DAG file, when there is one. */
export function envFileBeside(dagFile: string): string | undefined {
  const candidate = join(dirname(dagFile), '.env');
  return existsSync(candidate) ? candidate : undefined;
}
