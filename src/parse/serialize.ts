/**
 * Writing DAGs: {@link serializeDag} in the JORM text format, YAML or JSON. What it writes parses back
 * into an equal DAG.
 * @module
 */

import { yamlLib } from '../libraries.js';
import type { Dag } from '../model/dag.js';
import { dagToRecord, type PlainRecord } from './dag-record.js';
import { quoteJormString, tripleQuoteJormString } from './jorm-strings.js';
import type { DagFormat } from './parse-dag.js';

const INDENT = '    ';

/** Writes a DAG in one of the file formats. */
export function serializeDag(dag: Dag, format: DagFormat): string {
  const record = dagToRecord(dag);
  switch (format) {
    case 'json':
      return `${JSON.stringify(record, null, 2)}\n`;
    case 'yaml':
      return writeYaml(record);
    case 'jorm':
      return writeJorm(record);
  }
}

/**
 * YAML, with multi-line strings as `|` blocks when a block reads back exactly (its first line is not
 * indented and no line holds only spaces), double-quoted otherwise.
 */
function writeYaml(record: PlainRecord): string {
  const { Document, Scalar, visit } = yamlLib();
  const doc = new Document(record, { aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_, node) {
      const v = node.value;
      if (typeof v === 'string' && v.includes('\n') && !/^[^\s]/.test(v)) node.type = Scalar.QUOTE_DOUBLE;
      else if (typeof v === 'string' && /(^|\n)[ \t]+(\n|$)|\r|\t/.test(v)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ lineWidth: 0 });
}

function writeJorm(record: PlainRecord): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (key === 'tasks' || value === undefined) continue;
    lines.push(`${writeKey(key)}: ${writeValue(value, '')}`);
  }
  for (const task of (record['tasks'] as PlainRecord[] | undefined) ?? []) {
    const { id, ...keys } = task;
    lines.push('', `task ${writeWord(String(id))} {`);
    for (const [key, value] of Object.entries(keys)) {
      if (value !== undefined) lines.push(`${INDENT}${writeKey(key)}: ${writeValue(value, INDENT)}`);
    }
    lines.push('}');
  }
  return `${lines.join('\n').replace(/^\n/, '')}\n`;
}

/** Words written without quotes: identifiers, and durations or sizes such as `30s` and `512MiB`. */
const BARE_RE = /^(?:[A-Za-z_][A-Za-z0-9_-]*|\d+(?:ms|s|m|h|d|[KMGT]i?B))$/;

function writeWord(text: string): string {
  return BARE_RE.test(text) && text !== 'true' && text !== 'false' && text !== 'null' && text !== 'task'
    ? text
    : quoteJormString(text);
}

function writeKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) && !['true', 'false', 'null'].includes(key)
    ? key
    : quoteJormString(key);
}

function writeValue(value: unknown, indent: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number')
    return Number.isFinite(value) ? String(value) : quoteJormString(String(value));
  if (typeof value === 'string') {
    if (value.includes('\n')) return tripleQuoteJormString(value, indent + INDENT) ?? quoteJormString(value);
    return writeWord(value);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inline = value.every((v) => v === null || typeof v !== 'object')
      ? `[${value.map((v) => writeValue(v, indent)).join(', ')}]`
      : undefined;
    if (inline !== undefined && inline.length <= 80 && !inline.includes('\n')) return inline;
    const inner = indent + INDENT;
    return `[\n${value.map((v) => `${inner}${writeValue(v, inner)}`).join('\n')}\n${indent}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as PlainRecord).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const inner = indent + INDENT;
    return `{\n${entries.map(([k, v]) => `${inner}${writeKey(k)}: ${writeValue(v, inner)}`).join('\n')}\n${indent}}`;
  }
  return quoteJormString(String(value));
}
