/**
 * Reads JSON DAG files. `JSON.parse` checks the text; a single pass over the (then known valid) text adds
 * the line and column of every value and key. Text that is not valid JSON goes through the YAML reader,
 * whose messages locate the syntax error.
 * @module
 */

import type { Diagnostic, SourceLocation } from '../model/diagnostic.js';
import { withoutBom } from './bom.js';
import type { DagDocument, ListNode, MapEntry, MapNode, ValueNode } from './tree.js';
import { documentFromTree } from './tree-document.js';
import { readYamlDocument } from './yaml-reader.js';

/** Deepest nesting accepted. */
const MAX_DEPTH = 64;

/** Reads JSON text. Never throws. A byte order mark at the start is read as a space (as in `.jorm` and YAML). */
export function readJsonDocument(source: string, file: string | undefined): DagDocument {
  const text = withoutBom(source);
  try {
    JSON.parse(text);
  } catch {
    return readYamlDocument(text, file, true);
  }
  const scanner = new JsonScanner(text, file);
  scanner.skipSpace();
  const start = scanner.location();
  const top = scanner.i < text.length ? scanner.value(0) : null;
  return documentFromTree(top, scanner.diagnostics, start);
}

/** Walks valid JSON text, building the tree with positions. */
class JsonScanner {
  i = 0;
  private line = 1;
  private lineStart = 0;
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly text: string,
    private readonly file: string | undefined,
  ) {}

  location(): SourceLocation {
    const column = this.i - this.lineStart + 1;
    return this.file === undefined
      ? { line: this.line, column }
      : { file: this.file, line: this.line, column };
  }

  skipSpace(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.i);
      if (c === 10) {
        this.i++;
        this.line++;
        this.lineStart = this.i;
      } else if (c === 32 || c === 9 || c === 13 || c === 0xfeff) {
        this.i++;
      } else {
        return;
      }
    }
  }

  value(depth: number): ValueNode {
    const loc = this.location();
    const c = this.text[this.i];
    if (c === '{' || c === '[') {
      if (depth >= MAX_DEPTH) {
        this.diagnostics.push({
          code: 'syntax',
          message: `lists and maps are nested more than ${MAX_DEPTH} deep`,
          location: loc,
        });
        this.skipNested();
        return { kind: 'scalar', value: null, loc };
      }
      return c === '{' ? this.map(loc, depth) : this.list(loc, depth);
    }
    if (c === '"') return { kind: 'scalar', value: this.string(), loc };
    const start = this.i;
    while (this.i < this.text.length && !/[\s,\]}]/.test(this.text[this.i]!)) this.i++;
    const word = this.text.slice(start, this.i);
    if (word === 'true' || word === 'false') return { kind: 'scalar', value: word === 'true', loc };
    if (word === 'null') return { kind: 'scalar', value: null, loc };
    return { kind: 'scalar', value: Number(word), raw: word, loc };
  }

  private map(loc: SourceLocation, depth: number): MapNode {
    const entries: MapEntry[] = [];
    const seen = new Map<string, SourceLocation>();
    this.i++;
    this.skipSpace();
    while (this.text[this.i] !== '}') {
      const keyLoc = this.location();
      const key = this.string();
      this.skipSpace();
      this.i++; // ':'
      this.skipSpace();
      const value = this.value(depth + 1);
      const first = seen.get(key);
      if (first) {
        this.diagnostics.push({
          code: 'duplicate-key',
          message: `key "${key}" is written twice in this map (first at line ${first.line})`,
          location: keyLoc,
          hint: 'remove one of them',
        });
      } else {
        seen.set(key, keyLoc);
        entries.push({ key, keyLoc, value });
      }
      this.skipSpace();
      if (this.text[this.i] === ',') this.i++;
      this.skipSpace();
    }
    this.i++;
    return { kind: 'map', entries, loc };
  }

  private list(loc: SourceLocation, depth: number): ListNode {
    const items: ValueNode[] = [];
    this.i++;
    this.skipSpace();
    while (this.text[this.i] !== ']') {
      items.push(this.value(depth + 1));
      this.skipSpace();
      if (this.text[this.i] === ',') this.i++;
      this.skipSpace();
    }
    this.i++;
    return { kind: 'list', items, loc };
  }

  /** A string at the current position (valid JSON: no raw line breaks inside). */
  private string(): string {
    const text = this.text;
    const start = this.i;
    let escaped = false;
    let j = start + 1;
    for (;;) {
      const c = text.charCodeAt(j);
      if (c === 34) break;
      if (c === 92) {
        escaped = true;
        j++;
      }
      j++;
    }
    this.i = j + 1;
    return escaped ? (JSON.parse(text.slice(start, j + 1)) as string) : text.slice(start + 1, j);
  }

  /** Skips a nested value too deep to read (strings may hold brackets). */
  private skipNested(): void {
    let depth = 0;
    do {
      const c = this.text[this.i];
      if (c === '"') {
        this.string();
        continue;
      }
      if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') depth--;
      else if (c === '\n') {
        this.line++;
        this.lineStart = this.i + 1;
      }
      this.i++;
    } while (depth > 0 && this.i < this.text.length);
  }
}
