/**
 * The token stream under the JORM parser: lookahead, located syntax errors, and the skips that let parsing
 * resume after an error.
 * @module
 */

import type { Diagnostic, SourceLocation } from '../model/diagnostic.js';
import { JormLexer, type Token } from './jorm-lexer.js';

/** Index mask of the ring of tokens read ahead (four slots). */
const RING_MASK = 3;

/** Token kinds that can be a key (or a task id). */
export const KEY_KINDS = new Set(['word', 'string', 'number', 'boolean', 'null']);

/** Tokens with lookahead, and error recovery; the JORM parser extends it. */
export class TokenStream {
  private readonly lexer: JormLexer;
  /**
   * Tokens read ahead (peeked, not yet consumed): a ring of four slots from `first`, so that reading a
   * token allocates nothing (an array pushed and shifted per token did: 1.6 KB per task of a file).
   */
  private readonly ahead: (Token | undefined)[] = [undefined, undefined, undefined, undefined];
  private first = 0;
  private buffered = 0;
  /** How many tokens were consumed so far. */
  protected pos = 0;
  /** Syntax problems found so far. */
  readonly diagnostics: Diagnostic[] = [];

  constructor(text: string, file: string | undefined) {
    this.lexer = new JormLexer(text, file);
  }

  /** The lexer's problems, as diagnostics. */
  protected lexProblems(): Diagnostic[] {
    return this.lexer.problems.map((p) => ({
      code: p.code,
      message: p.message,
      location: p.location,
      ...(p.hint ? { hint: p.hint } : {}),
    }));
  }

  /** `task <id> {` starting a new line: the sign that an open block was never closed. */
  protected atTaskHeader(): boolean {
    const t = this.peek();
    return (
      t.newlineBefore &&
      t.kind === 'word' &&
      t.value === 'task' &&
      KEY_KINDS.has(this.peek(1).kind) &&
      this.peek(2).kind === 'lbrace'
    );
  }

  /**
   * After an error in a map: skips to the next line, a `,` or the closing brace, staying balanced; skips at
   * least one token when nothing was read since `start`.
   */
  protected skipToEntryEnd(start: number): void {
    let depth = 0;
    let first = this.pos === start;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') return;
      if (depth === 0 && !first && (t.newlineBefore || t.kind === 'comma')) return;
      if (depth === 0 && !first && this.atTaskHeader()) return;
      if (depth === 0 && (t.kind === 'rbrace' || t.kind === 'rbracket')) return;
      if (t.kind === 'lbrace' || t.kind === 'lbracket') depth++;
      if (t.kind === 'rbrace' || t.kind === 'rbracket') depth--;
      this.next();
      first = false;
    }
  }

  /** Skips a nested list or map whose opening token was just read. */
  protected skipNested(): void {
    let depth = 1;
    while (depth > 0 && this.peek().kind !== 'eof') {
      const t = this.next();
      if (t.kind === 'lbrace' || t.kind === 'lbracket') depth++;
      if (t.kind === 'rbrace' || t.kind === 'rbracket') depth--;
    }
  }

  /** After an error at the top level: skips to the next line (at least one token when none was read). */
  protected recover(start: number): void {
    if (this.pos === start) this.next();
    while (this.peek().kind !== 'eof' && !this.peek().newlineBefore) this.next();
  }

  /** Skips the rest of the current line (at least one token). */
  protected skipLine(): void {
    if (this.peek().kind !== 'eof') this.next();
    while (this.peek().kind !== 'eof' && !this.peek().newlineBefore) this.next();
  }

  /**
   * After a broken `task` header: skips the rest of its line and, when a `{` opens on that line, its whole
   * block, so that the block's keys are not read as top-level keys. Stops at the next task header.
   */
  protected skipBrokenTask(): void {
    let depth = 0;
    let sawBrace = false;
    while (this.peek().kind !== 'eof') {
      const t = this.peek();
      if (t.newlineBefore && (depth === 0 || this.atTaskHeader())) return;
      if (t.kind === 'lbrace') {
        depth++;
        sawBrace = true;
      } else if (t.kind === 'rbrace' && depth > 0) {
        depth--;
      }
      this.next();
      if (sawBrace && depth === 0) return;
    }
  }

  /** The token `ahead` tokens after the current one (0: the current one; at most 3), read when needed. */
  protected peek(ahead = 0): Token {
    if (ahead > RING_MASK) throw new RangeError('the JORM parser looks at most 3 tokens ahead');
    while (this.buffered <= ahead) {
      this.ahead[(this.first + this.buffered) & RING_MASK] = this.lexer.next();
      this.buffered++;
    }
    return this.ahead[(this.first + ahead) & RING_MASK]!;
  }

  /** Consumes the current token (never past `eof`) and returns it. */
  protected next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') {
      this.ahead[this.first] = undefined;
      this.first = (this.first + 1) & RING_MASK;
      this.buffered--;
      this.pos++;
    }
    return t;
  }

  protected loc(t: Token): SourceLocation {
    return t.loc;
  }

  protected error(t: Token, message: string, hint?: string): void {
    this.diagnostics.push({ code: 'syntax', message, location: this.loc(t), ...(hint ? { hint } : {}) });
  }
}
