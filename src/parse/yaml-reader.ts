/**
 * Reads YAML and JSON DAG files (through the `yaml` package, which reads JSON with positions too) into
 * the format-neutral {@link DagDocument}.
 * @module
 */

import type { Document, LineCounter, Node } from 'yaml';
import { type YamlLib, yamlLib } from '../libraries.js';
import type { Diagnostic, SourceLocation } from '../model/diagnostic.js';
import { checkJsonSyntax } from './json-syntax.js';
import type { DagDocument, MapEntry, ValueNode } from './tree.js';
import { documentFromTree } from './tree-document.js';

/** Deepest nesting accepted (aliases included). */
const MAX_DEPTH = 64;

/** Reads YAML (or, with `json`, JSON) text. Never throws. */
export function readYamlDocument(text: string, file: string | undefined, json: boolean): DagDocument {
  const yaml = yamlLib();
  const lineCounter = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const reader = new TreeReader(lineCounter, file, doc, text);
  for (const error of doc.errors) {
    const message =
      error.code === 'MULTIPLE_DOCS'
        ? 'a DAG file holds one YAML document: remove the "---" (or the text after "...") that starts another'
        : error.message.replace(/\s+at line \d+, column \d+:?[\s\S]*$/, '').replace(/\s+$/, '');
    reader.report(error.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'syntax', message, error.pos[0]);
  }
  const syntaxBroken = doc.errors.length > 0;
  if (json && !syntaxBroken) {
    const problem = checkJsonSyntax(text, doc.contents);
    if (problem) reader.report('syntax', problem.message, problem.offset, problem.hint);
  }
  const root = doc.contents;
  const top = root === null ? null : reader.read(root, 0);
  return documentFromTree(top, reader.diagnostics, reader.loc(root?.range?.[0] ?? 0));
}

class TreeReader {
  readonly diagnostics: Diagnostic[] = [];
  private readonly yaml: YamlLib = yamlLib();
  /** Nodes left to read: bounds what aliases can expand to. */
  private budget: number;

  constructor(
    private readonly lines: LineCounter,
    private readonly file: string | undefined,
    private readonly doc: Document.Parsed,
    private readonly text: string,
  ) {
    this.budget = 1000 + 4 * text.length;
  }

  loc(offset: number): SourceLocation {
    const { line, col } = this.lines.linePos(offset);
    return this.file === undefined ? { line, column: col } : { file: this.file, line, column: col };
  }

  report(code: string, message: string, offset: number, hint?: string): void {
    this.diagnostics.push({ code, message, location: this.loc(offset), ...(hint ? { hint } : {}) });
  }

  /** Converts a YAML node; `undefined` (after a report) when it cannot be represented. */
  read(node: unknown, depth: number): ValueNode | undefined {
    const offset = (node as Node | null)?.range?.[0] ?? 0;
    if (depth > MAX_DEPTH) {
      this.report('syntax', `lists and maps are nested more than ${MAX_DEPTH} deep`, offset);
      return undefined;
    }
    if (--this.budget < 0) {
      if (this.budget === -1) this.report('syntax', 'aliases expand to too many values', offset);
      return undefined;
    }
    if (this.yaml.isAlias(node)) {
      const target = node.resolve(this.doc);
      const value = target ? this.read(target, depth + 1) : undefined;
      return value ? relocate(value, this.loc(offset)) : undefined;
    }
    if (this.yaml.isScalar(node)) {
      const v = node.value;
      const value =
        v === null ||
        v === undefined ||
        typeof v === 'string' ||
        typeof v === 'number' ||
        typeof v === 'boolean'
          ? (v ?? null)
          : String(v);
      if (typeof value === 'number' && node.type === 'PLAIN') {
        return {
          kind: 'scalar',
          value,
          raw: this.text.slice(offset, node.range?.[1] ?? offset),
          loc: this.loc(offset),
        };
      }
      return { kind: 'scalar', value, loc: this.loc(offset) };
    }
    if (this.yaml.isSeq(node)) {
      const items: ValueNode[] = [];
      for (const item of node.items) {
        const value = this.read(item, depth + 1);
        if (value) items.push(value);
      }
      return { kind: 'list', items, loc: this.loc(offset) };
    }
    if (this.yaml.isMap(node)) {
      const entries: MapEntry[] = [];
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const keyOffset = keyNode?.range?.[0] ?? offset;
        if (!this.yaml.isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
          this.report('wrong-type', 'map keys must be plain strings', keyOffset);
          continue;
        }
        const value =
          pair.value === null
            ? { kind: 'scalar' as const, value: null, loc: this.loc(keyNode.range?.[1] ?? keyOffset) }
            : this.read(pair.value, depth + 1);
        const key =
          typeof keyNode.value === 'number' && keyNode.type === 'PLAIN'
            ? this.text.slice(keyOffset, keyNode.range?.[1] ?? keyOffset)
            : String(keyNode.value);
        if (value) entries.push({ key, keyLoc: this.loc(keyOffset), value });
      }
      return { kind: 'map', entries, loc: this.loc(offset) };
    }
    return { kind: 'scalar', value: null, loc: this.loc(offset) };
  }
}

/** A copy of an aliased value placed where the alias is written. */
function relocate(value: ValueNode, loc: SourceLocation): ValueNode {
  return { ...value, loc };
}
