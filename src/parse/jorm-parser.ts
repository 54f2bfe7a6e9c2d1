/**
 * The parser of the JORM text format: top-level `key: value` lines and `task <id> { … }` blocks, read into
 * the format-neutral {@link DagDocument}. It never throws: syntax problems are collected with their line and
 * column, and parsing resumes at the next line so that every problem of a file is reported at once.
 * @module
 */

import type { SourceLocation } from '../model/diagnostic.js';
import type { Token } from './jorm-lexer.js';
import { KEY_KINDS, TokenStream } from './jorm-token-stream.js';
import type { DagDocument, ListNode, MapEntry, MapNode, TaskEntry, ValueNode } from './tree.js';

/** Deepest nesting of lists and maps accepted. */
const MAX_DEPTH = 64;

/** Parses JORM text. Diagnostics carry `file` when given, but no source lines (added by the caller). */
export function parseJorm(text: string, file?: string): DagDocument {
  return new JormParser(text, file).parseDocument();
}

class JormParser extends TokenStream {
  parseDocument(): DagDocument {
    const entries: MapEntry[] = [];
    const tasks: TaskEntry[] = [];
    const seen = new Map<string, SourceLocation>();
    while (this.peek().kind !== 'eof') {
      const t = this.peek();
      if (!t.newlineBefore && this.pos > 0) {
        this.error(t, `unexpected ${show(t)}: each top-level entry starts on a new line`);
        this.skipLine();
        continue;
      }
      if (this.isTaskStart()) {
        const task = this.parseTask();
        if (task) tasks.push(task);
        continue;
      }
      const start = this.pos;
      const entry = this.parseEntry(0);
      if (entry) this.addEntry(entry, entries, seen, 'at the top level');
      else this.recover(start);
    }
    this.diagnostics.push(...this.lexProblems());
    return { entries, tasks, diagnostics: this.diagnostics, damaged: false };
  }

  /** A `task` word not followed by `:` at the current position (a task block, maybe a broken one). */
  private isTaskStart(): boolean {
    const t = this.peek();
    return t.kind === 'word' && t.value === 'task' && this.peek(1).kind !== 'colon';
  }

  private parseTask(): TaskEntry | undefined {
    const keyword = this.next();
    const idToken = this.peek();
    if (!KEY_KINDS.has(idToken.kind) || idToken.newlineBefore) {
      this.error(idToken, `expected a task id after "task", found ${show(idToken)}`, 'write task <id> { … }');
      this.skipBrokenTask();
      return undefined;
    }
    this.next();
    const open = this.peek();
    if (open.kind !== 'lbrace') {
      this.error(
        open,
        `expected "{" after "task ${idToken.text}", found ${show(open)}`,
        'write task <id> { … }',
      );
      this.skipBrokenTask();
      return undefined;
    }
    this.next();
    const before = this.diagnostics.length;
    const body = this.parseMapBody(open, 'rbrace', 1, true);
    return {
      id: keyText(idToken),
      loc: this.loc(keyword),
      idLoc: this.loc(idToken),
      body,
      damaged: this.diagnostics.length > before,
    };
  }

  /** `key: value`, or `undefined` after reporting a problem. */
  private parseEntry(depth: number): MapEntry | undefined {
    const keyToken = this.peek();
    if (!KEY_KINDS.has(keyToken.kind)) {
      this.error(keyToken, `expected a key, found ${show(keyToken)}`, 'write key: value');
      return undefined;
    }
    this.next();
    const colon = this.peek();
    if (colon.kind !== 'colon') {
      const hint =
        keyToken.kind === 'word' && colon.kind === 'word' && !colon.newlineBefore
          ? 'keys are followed by ":"; quote a value that contains spaces'
          : 'write key: value';
      this.error(colon, `expected ":" after "${keyToken.text}", found ${show(colon)}`, hint);
      return undefined;
    }
    this.next();
    const valueToken = this.peek();
    if (valueToken.newlineBefore || !startsValue(valueToken)) {
      this.error(valueToken, `expected a value after "${keyToken.text}:", found ${show(valueToken)}`);
      return undefined;
    }
    const value = this.parseValue(depth);
    if (!value) return undefined;
    return { key: keyText(keyToken), keyLoc: this.loc(keyToken), value };
  }

  private parseValue(depth: number): ValueNode | undefined {
    const t = this.next();
    switch (t.kind) {
      case 'number':
        return { kind: 'scalar', value: t.value, raw: t.text, loc: this.loc(t) };
      case 'word':
      case 'string':
      case 'boolean':
      case 'null':
        return { kind: 'scalar', value: t.value, loc: this.loc(t) };
      case 'lbracket':
      case 'lbrace':
        if (depth >= MAX_DEPTH) {
          this.error(t, `lists and maps are nested more than ${MAX_DEPTH} deep`);
          this.skipNested();
          return undefined;
        }
        return t.kind === 'lbracket'
          ? this.parseList(t, depth + 1)
          : this.parseMapBody(t, 'rbrace', depth + 1, false);
      default:
        this.error(t, `expected a value, found ${show(t)}`);
        return undefined;
    }
  }

  private parseList(open: Token, depth: number): ListNode {
    const list: ListNode = { kind: 'list', items: [], loc: this.loc(open) };
    let needSeparator = false;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'rbracket') {
        this.next();
        return list;
      }
      if (t.kind === 'eof' || t.kind === 'rbrace' || this.atTaskHeader()) {
        this.error(open, 'this list is never closed', 'add "]" after its last item');
        return list;
      }
      if (t.kind === 'comma') {
        if (!needSeparator) this.error(t, 'unexpected "," in a list (an item is missing)');
        this.next();
        needSeparator = false;
        continue;
      }
      if (needSeparator && !t.newlineBefore) {
        this.error(
          t,
          `expected "," or "]" after a list item, found ${show(t)}`,
          'separate items with commas',
        );
      }
      if (!startsValue(t)) {
        this.error(t, `expected a list item, found ${show(t)}`);
        this.next();
        continue;
      }
      const item = this.parseValue(depth);
      if (item) list.items.push(item);
      needSeparator = true;
    }
  }

  /**
   * The entries of a map up to `close`. For a task body (`isTask`) a line starting with `task <id> {`
   * means the body was never closed.
   */
  private parseMapBody(open: Token, close: 'rbrace', depth: number, isTask: boolean): MapNode {
    const map: MapNode = { kind: 'map', entries: [], loc: this.loc(open) };
    const seen = new Map<string, SourceLocation>();
    let needSeparator = false;
    for (;;) {
      const t = this.peek();
      if (t.kind === close) {
        this.next();
        return map;
      }
      if (t.kind === 'eof' || t.kind === 'rbracket' || this.atTaskHeader()) {
        const what = isTask ? 'this task block' : 'this map';
        this.error(open, `${what} is never closed`, 'add "}" after its last entry');
        return map;
      }
      if (t.kind === 'comma') {
        if (!needSeparator) this.error(t, 'unexpected "," (an entry is missing)');
        this.next();
        needSeparator = false;
        continue;
      }
      if (needSeparator && !t.newlineBefore) {
        this.error(
          t,
          `expected a new line or "," before ${show(t)}`,
          'quote a value that contains spaces or ":"',
        );
        this.skipToEntryEnd(this.pos);
        needSeparator = false;
        continue;
      }
      const start = this.pos;
      const entry = this.parseEntry(depth);
      if (entry) {
        this.addEntry(entry, map.entries, seen, isTask ? 'in this task' : 'in this map');
        needSeparator = true;
      } else {
        this.skipToEntryEnd(start);
        needSeparator = false;
      }
    }
  }

  private addEntry(
    entry: MapEntry,
    entries: MapEntry[],
    seen: Map<string, SourceLocation>,
    where: string,
  ): void {
    const first = seen.get(entry.key);
    if (first) {
      this.diagnostics.push({
        code: 'duplicate-key',
        message: `key "${entry.key}" is written twice ${where} (first at line ${first.line})`,
        location: entry.keyLoc,
        hint: 'remove one of them',
      });
      return;
    }
    seen.set(entry.key, entry.keyLoc);
    entries.push(entry);
  }
}

/** The text of a key or id token: a string's value, otherwise the text as written (`007` stays `007`). */
function keyText(t: Token): string {
  return t.kind === 'string' || t.kind === 'word' ? String(t.value) : t.text;
}

function startsValue(t: Token): boolean {
  return KEY_KINDS.has(t.kind) || t.kind === 'lbracket' || t.kind === 'lbrace';
}

/** A token for messages: `"}"`, `the end of the file`, `"echo"`. */
function show(t: Token): string {
  if (t.kind === 'eof') return 'the end of the file';
  return JSON.stringify(t.text.length > 30 ? `${t.text.slice(0, 27)}...` : t.text);
}
