/**
 * Configuration files: finding `jorm.toml`, `jorm.json` or `jorm.yaml`, reading them, and knowing the line
 * and column of every key.
 * @module
 */

import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { LineCounter } from 'yaml';
import { redactSecretsInLine } from '../env/redact-line.js';
import { tomlLib, yamlLib } from '../libraries.js';
import type { SourceLocation } from '../model/diagnostic.js';
import { ConfigurationError } from '../model/errors.js';
import { withoutBom } from '../parse/bom.js';
import { checkJsonSyntax } from '../parse/json-syntax.js';
import { ConfigFileError } from './errors.js';

/** The file names searched for, in order of preference. */
export const CONFIG_FILE_NAMES: readonly string[] = ['jorm.toml', 'jorm.json', 'jorm.yaml', 'jorm.yml'];

/** A configuration file, read. */
export interface ConfigFile {
  /** Absolute path. */
  path: string;
  format: 'toml' | 'json' | 'yaml';
  data: Record<string, unknown>;
  /** Where each key is written, by dotted path (`executor.max_concurrent_tasks`). */
  positions: Map<string, { line: number; column: number }>;
  /** The file's lines, for diagnostics. */
  lines: string[];
}

/** What {@link findConfigFile} found. */
export interface FoundConfigFile {
  path?: string;
  warnings: string[];
}

/** The nearest configuration file in `cwd` or its parents. */
export function findConfigFile(cwd: string): FoundConfigFile {
  let dir = resolve(cwd);
  for (;;) {
    const present = CONFIG_FILE_NAMES.filter((name) => existsSync(join(dir, name)));
    const first = present[0];
    if (first) {
      const warnings =
        present.length > 1 ? [`${dir} holds ${present.join(' and ')}; using ${first} (keep only one)`] : [];
      return { path: join(dir, first), warnings };
    }
    const parent = dirname(dir);
    if (parent === dir) return { warnings: [] };
    dir = parent;
  }
}

function formatOf(path: string): ConfigFile['format'] {
  const ext = extname(path).toLowerCase();
  if (ext === '.toml') return 'toml';
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  throw new ConfigurationError(
    `${path}: unknown configuration format "${ext || basename(path)}" (use .toml, .json or .yaml)`,
    'config',
    path,
  );
}

function syntaxError(
  path: string,
  lines: string[],
  line: number,
  column: number,
  message: string,
): ConfigFileError {
  const location: SourceLocation = { file: path, line, column };
  return new ConfigFileError(
    [{ code: 'config-syntax', message, location, sourceLine: redactSecretsInLine(lines[line - 1] ?? '') }],
    'config',
    path,
  );
}

/**
 * Reads a configuration file.
 * @throws ConfigurationError when it cannot be read; ConfigFileError (with line and column) when it is
 * not valid TOML, JSON or YAML, or not a table at the top.
 */
export function readConfigFile(file: string): ConfigFile {
  const path = resolve(file);
  const format = formatOf(path);
  let text: string;
  try {
    // A byte order mark reads as a space: TOML and YAML accept it, JSON.parse does not.
    text = withoutBom(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigurationError(`cannot read configuration file ${path}: ${reason}`, 'config', path, {
      cause: error,
    });
  }
  const lines = text.split(/\r?\n/);
  let data: unknown;
  let positions: Map<string, { line: number; column: number }>;
  if (format === 'toml') {
    const { parse: parseToml, TomlError } = tomlLib();
    try {
      data = parseToml(text);
    } catch (error) {
      if (error instanceof TomlError) {
        const message = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document:\s*/, '');
        throw syntaxError(path, lines, error.line, error.column, `invalid TOML: ${message}`);
      }
      throw error;
    }
    positions = tomlPositions(lines);
  } else {
    const yaml = yamlLib();
    const counter = new yaml.LineCounter();
    const doc = yaml.parseDocument(text, { lineCounter: counter, prettyErrors: false });
    if (format === 'json') {
      const problem = text.trim() === '' ? undefined : checkJsonSyntax(text, doc.contents);
      if (problem) {
        const pos = counter.linePos(problem.offset);
        throw syntaxError(path, lines, pos.line, pos.col, problem.message);
      }
      data = text.trim() === '' ? {} : (JSON.parse(text) as unknown);
    } else {
      const first = doc.errors[0];
      if (first) {
        const pos = counter.linePos(first.pos[0]);
        throw syntaxError(path, lines, pos.line, pos.col, `invalid YAML: ${first.message.split('\n')[0]}`);
      }
      data = doc.toJS() ?? {};
    }
    positions = new Map();
    collectYamlPositions(doc.contents, [], counter, positions);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw syntaxError(path, lines, 1, 1, 'a configuration file must hold a table of sections at the top');
  }
  return { path, format, data: data as Record<string, unknown>, positions, lines };
}

function collectYamlPositions(
  node: unknown,
  path: string[],
  counter: LineCounter,
  out: Map<string, { line: number; column: number }>,
): void {
  if (!yamlLib().isMap(node)) return;
  for (const pair of node.items) {
    const key = pair.key as { value?: unknown; range?: [number, number, number] } | null;
    if (!key) continue;
    const name = String(key.value ?? key);
    const keyPath = [...path, name];
    if (key.range) {
      const pos = counter.linePos(key.range[0]);
      out.set(keyPath.join('.'), { line: pos.line, column: pos.col });
    }
    collectYamlPositions(pair.value, keyPath, counter, out);
  }
}

const KEY_PART = `(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')`;
const KEY_LINE_RE = new RegExp(String.raw`^(\s*)(${KEY_PART}(?:\s*\.\s*${KEY_PART})*)\s*=\s*(.*)$`);
const HEADER_RE = /^(\s*)\[\[?\s*([^\]]+?)\s*\]\]?/;

function splitKey(key: string): string[] {
  return [...key.matchAll(/"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

/** How much `text` opens (positive) or closes arrays, outside strings and comments. */
function bracketDelta(text: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') break;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
  }
  return depth;
}

/**
 * The line and column of every key of a TOML file (smol-toml parses the values; this only locates keys):
 * table headers, `key = value` lines (dotted keys included) and the keys of one-line inline tables.
 */
function tomlPositions(lines: readonly string[]): Map<string, { line: number; column: number }> {
  const out = new Map<string, { line: number; column: number }>();
  let table: string[] = [];
  let multiline: string | undefined;
  let arrayDepth = 0;
  for (const [i, line] of lines.entries()) {
    if (multiline) {
      if (line.includes(multiline)) multiline = undefined;
      continue;
    }
    if (arrayDepth > 0) {
      arrayDepth += bracketDelta(line);
      continue;
    }
    const header = HEADER_RE.exec(line);
    if (header) {
      table = splitKey(header[2] ?? '');
      out.set(table.join('.'), { line: i + 1, column: (header[1] ?? '').length + 1 });
      continue;
    }
    const kv = KEY_LINE_RE.exec(line);
    if (!kv) continue;
    const keyPath = [...table, ...splitKey(kv[2] ?? '')];
    out.set(keyPath.join('.'), { line: i + 1, column: (kv[1] ?? '').length + 1 });
    const value = kv[3] ?? '';
    const valueStart = line.length - value.length;
    for (const delimiter of ['"""', "'''"]) {
      if (value.startsWith(delimiter) && !value.slice(3).includes(delimiter)) multiline = delimiter;
    }
    if (value.startsWith('[')) arrayDepth = Math.max(0, bracketDelta(value));
    if (value.startsWith('{')) {
      for (const m of value.matchAll(new RegExp(`(${KEY_PART})\\s*=`, 'g'))) {
        out.set([...keyPath, ...splitKey(m[1] ?? '')].join('.'), {
          line: i + 1,
          column: valueStart + m.index + 1,
        });
      }
    }
  }
  return out;
}
