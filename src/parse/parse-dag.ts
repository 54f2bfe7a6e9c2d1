/**
 * Reading DAG files: {@link parseDag}, {@link parseDagFile}, {@link parseDagFileSync} and the lower-level
 * {@link readDag} that returns the DAG together with every problem instead of throwing.
 * @module
 */

import { promises as fsp, readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { redactSecretsInLine } from '../env/redact-line.js';
import { Dag } from '../model/dag.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { DagValidationError, errorMessage } from '../model/errors.js';
import { parseJorm } from './jorm-parser.js';
import { readJsonDocument } from './json-reader.js';
import { buildDag } from './schema/dag-schema.js';
import type { DagDocument } from './tree.js';
import { compareDiagnostics } from './validate.js';
import { readYamlDocument } from './yaml-reader.js';

/** The DAG file formats. */
export type DagFormat = 'jorm' | 'yaml' | 'json';

/** Options of {@link parseDag}. */
export interface ParseDagOptions {
  /** @defaultValue `'jorm'` */
  format?: DagFormat;
  /** The file the text came from: shown in diagnostics, and the default DAG id is its name. */
  file?: string;
  /** The DAG id when the text does not name one. @defaultValue the file name without extension, or `dag` */
  id?: string;
}

/** A DAG read from text, with every problem found (empty when it is valid). */
export interface DagReading {
  dag: Dag;
  /** Every problem, in the order of the file, each with its source line when known. */
  diagnostics: Diagnostic[];
  /** Ids of tasks that had problems (they are in `dag` as placeholders, with their dependencies). */
  invalidTasks: Set<string>;
}

/**
 * The format of a file by its extension: `.jorm`/`.txt` JORM text, `.yaml`/`.yml` YAML, `.json` JSON;
 * any other extension is read as JORM text.
 */
export function formatFromPath(path: string): DagFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.json') return 'json';
  return 'jorm';
}

/** Reads a DAG from text without throwing: the DAG (possibly partial) and every problem found. */
export function readDag(text: string, options: ParseDagOptions = {}): DagReading {
  const format = options.format ?? 'jorm';
  const file = options.file;
  const defaultId = options.id ?? (file ? basename(file, extname(file)) || 'dag' : 'dag');
  let reading: DagReading;
  if (typeof text !== 'string') {
    const message = `a DAG must be read from text (a string), not ${text === null ? 'null' : typeof text}`;
    return {
      dag: new Dag(defaultId),
      diagnostics: [{ code: 'invalid-input', message }],
      invalidTasks: new Set(),
    };
  }
  if (format !== 'jorm' && format !== 'yaml' && format !== 'json') {
    const message = `unknown DAG format ${JSON.stringify(format)}: use jorm, yaml or json`;
    return {
      dag: new Dag(defaultId),
      diagnostics: [{ code: 'unknown-format', message }],
      invalidTasks: new Set(),
    };
  }
  try {
    const doc: DagDocument =
      format === 'jorm'
        ? parseJorm(text, file)
        : format === 'json'
          ? readJsonDocument(text, file)
          : readYamlDocument(text, file, false);
    reading = buildDag(doc, { ...(file === undefined ? {} : { file }), defaultId });
  } catch (error) {
    // A bug of the parser: still reported as a problem of the file, never as a crash.
    reading = {
      dag: new Dag(defaultId),
      diagnostics: [
        {
          code: 'internal-error',
          message: `internal error while reading the DAG (please report it): ${errorMessage(error)}`,
          ...(file === undefined ? {} : { location: { file, line: 1, column: 1 } }),
        },
      ],
      invalidTasks: new Set(),
    };
  }
  reading.diagnostics.sort(compareDiagnostics);
  attachSourceLines(reading.diagnostics, text);
  return reading;
}

/**
 * Parses a DAG from text.
 * @throws DagValidationError holding every problem of the text (syntax, keys, values, duplicate ids,
 * unknown dependencies, cycles), each with file, line, column, message, hint and source line.
 */
export function parseDag(text: string, options: ParseDagOptions = {}): Dag {
  const { dag, diagnostics } = readDag(text, options);
  if (diagnostics.length > 0) throw new DagValidationError(diagnostics, { context: { dagId: dag.id } });
  return dag;
}

/**
 * Reads and parses a DAG file; the format comes from the extension ({@link formatFromPath}).
 * @throws DagValidationError for every problem, and when the file cannot be read.
 */
export async function parseDagFile(path: string): Promise<Dag> {
  let text: string;
  try {
    text = await fsp.readFile(path, 'utf8');
  } catch (error) {
    throw unreadable(path, error);
  }
  return parseDag(text, { format: formatFromPath(path), file: path });
}

/** The synchronous {@link parseDagFile}. */
export function parseDagFileSync(path: string): Dag {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw unreadable(path, error);
  }
  return parseDag(text, { format: formatFromPath(path), file: path });
}

/** The one-line reason a file cannot be read. */
export function unreadableReason(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return `cannot read ${path}: no such file`;
  if (code === 'EISDIR') return `cannot read ${path}: it is a directory`;
  if (code === 'EACCES' || code === 'EPERM') return `cannot read ${path}: permission denied`;
  return `cannot read ${path}: ${errorMessage(error)}`;
}

function unreadable(path: string, error: unknown): DagValidationError {
  return new DagValidationError([{ code: 'unreadable-file', message: unreadableReason(path, error) }], {
    cause: error,
  });
}

/** Adds the source line to each located diagnostic of `text` that has none. */
export function attachSourceLines(diagnostics: Diagnostic[], text: string): void {
  let lines: string[] | undefined;
  for (const d of diagnostics) {
    if (d.sourceLine !== undefined || !d.location) continue;
    lines ??= text.split(/\r?\n/);
    const line = lines[d.location.line - 1];
    if (line !== undefined) d.sourceLine = redactSecretsInLine(line);
  }
}
