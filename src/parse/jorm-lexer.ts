/**
 * The lexer of the JORM text format: turns text into tokens, one at a time, each with its exact line and
 * column. It never throws; problems (unterminated strings, bad escapes) are collected.
 * @module
 */

import type { SourceLocation } from '../model/diagnostic.js';
import { decodeEscape, decodeTripleString, KNOWN_ESCAPES } from './jorm-strings.js';

/** The kinds of token. */
export type TokenKind =
  | 'word'
  | 'string'
  | 'number'
  | 'boolean'
  | 'null'
  | 'colon'
  | 'comma'
  | 'lbrace'
  | 'rbrace'
  | 'lbracket'
  | 'rbracket'
  | 'eof';

/** One token. Lines and columns start at 1. */
export interface Token {
  kind: TokenKind;
  /** The source text of the token (for strings: with the quotes). */
  text: string;
  /** The decoded value of a value token. */
  value: string | number | boolean | null;
  /** Where the token starts. */
  loc: SourceLocation;
  /** A line break (or the start of the text) comes between the previous token and this one. */
  newlineBefore: boolean;
}

/** A lexical problem. */
export interface LexProblem {
  code: string;
  message: string;
  hint?: string;
  location: SourceLocation;
}

const PUNCTUATION: Record<string, TokenKind> = {
  ':': 'colon',
  ',': 'comma',
  '{': 'lbrace',
  '}': 'rbrace',
  '[': 'lbracket',
  ']': 'rbracket',
};

const NUMBER_RE = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Character codes the lexer looks at. */
const TAB = 9;
const NEWLINE = 10;
const RETURN = 13;
const SPACE = 32;
const DOUBLE_QUOTE = 34;
const HASH = 35;
const DOLLAR = 36;
const SINGLE_QUOTE = 39;
const COMMA = 44;
const COLON = 58;
const L_BRACKET = 91;
const BACKSLASH = 92;
const R_BRACKET = 93;
const L_BRACE = 123;
const R_BRACE = 125;
const BOM = 0xfeff;

/**
 * Whether the character code `c` ends a bare word. `#` does not: as in YAML, a comment starts at a `#`
 * after a space (or where a token could start), so `path: out#1.txt` is one value, not `out` and a
 * comment.
 */
function endsWord(c: number): boolean {
  switch (c) {
    case SPACE:
    case TAB:
    case NEWLINE:
    case RETURN:
    case DOUBLE_QUOTE:
    case SINGLE_QUOTE:
    case COLON:
    case COMMA:
    case L_BRACE:
    case R_BRACE:
    case L_BRACKET:
    case R_BRACKET:
      return true;
    default:
      return false;
  }
}

/** Reads tokens from JORM text on demand (linear in the length of the text). */
export class JormLexer {
  /** Problems found so far. */
  readonly problems: LexProblem[] = [];
  private i = 0;
  private line = 1;
  private lineStart = 0;
  private newline = true;

  constructor(
    private readonly text: string,
    private readonly file?: string,
  ) {}

  /** The next token; `eof` at the end (and forever after). */
  next(): Token {
    const text = this.text;
    const n = text.length;
    let i = this.i;
    while (i < n) {
      const code = text.charCodeAt(i);
      if (code === NEWLINE) {
        i++;
        this.line++;
        this.lineStart = i;
        this.newline = true;
      } else if (code === SPACE || code === TAB || code === RETURN || code === BOM) {
        i++;
      } else if (code === HASH) {
        const eol = text.indexOf('\n', i);
        i = eol < 0 ? n : eol;
      } else {
        break;
      }
    }
    this.i = i;
    if (i >= n) return this.make('eof', '', null, this.location(i));
    const code = text.charCodeAt(i);
    const loc = this.location(i);
    if (
      code === COLON ||
      code === COMMA ||
      code === L_BRACE ||
      code === R_BRACE ||
      code === L_BRACKET ||
      code === R_BRACKET
    ) {
      const c = text[i]!;
      this.i = i + 1;
      return this.make(PUNCTUATION[c]!, c, null, loc);
    }
    if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
      const quote = text[i]!;
      return text.startsWith(quote.repeat(3), i) ? this.tripleQuoted(quote, loc) : this.quoted(quote, loc);
    }
    return this.word(loc);
  }

  private location(offset: number): SourceLocation {
    const column = offset - this.lineStart + 1;
    return this.file === undefined
      ? { line: this.line, column }
      : { file: this.file, line: this.line, column };
  }

  private make(kind: TokenKind, text: string, value: Token['value'], loc: SourceLocation): Token {
    const token: Token = { kind, text, value, loc, newlineBefore: this.newline };
    this.newline = false;
    return token;
  }

  private problem(code: string, message: string, location: SourceLocation, hint: string): void {
    this.problems.push({ code, message, hint, location });
  }

  private tripleQuoted(quote: string, loc: SourceLocation): Token {
    const text = this.text;
    const start = this.i;
    const fence = quote.repeat(3);
    const close = text.indexOf(fence, start + 3);
    const end = close < 0 ? text.length : close + 3;
    if (close < 0) {
      this.problem(
        'unterminated-string',
        `unterminated multi-line string: no closing ${fence}`,
        loc,
        `close it with ${fence}`,
      );
    }
    const token = this.make(
      'string',
      text.slice(start, end),
      decodeTripleString(text.slice(start + 3, close < 0 ? end : close)),
      loc,
    );
    for (let k = text.indexOf('\n', start); k >= 0 && k < end; k = text.indexOf('\n', k + 1)) {
      this.line++;
      this.lineStart = k + 1;
    }
    this.i = end;
    return token;
  }

  /** A single-line quoted string. */
  private quoted(quote: string, loc: SourceLocation): Token {
    const text = this.text;
    const start = this.i;
    const quoteCode = quote.charCodeAt(0);
    const n = text.length;
    let value = '';
    let chunk = start + 1;
    let j = start + 1;
    for (; j < n; j++) {
      const d = text.charCodeAt(j);
      if (d === quoteCode) {
        value += text.slice(chunk, j);
        this.i = j + 1;
        return this.make('string', text.slice(start, j + 1), value, loc);
      }
      if (d === NEWLINE) break;
      if (d === BACKSLASH) {
        value += text.slice(chunk, j);
        const decoded = decodeEscape(text, j + 1);
        if (decoded.error)
          this.problem('bad-escape', decoded.error, this.location(j), `escapes are ${KNOWN_ESCAPES}`);
        value += decoded.text;
        j += decoded.length;
        chunk = j + 1;
      }
    }
    value += text.slice(chunk, j);
    let end = j;
    if (text.charCodeAt(end - 1) === RETURN && end - 1 > start) {
      end--;
      value = value.slice(0, -1);
    }
    const hint = `close it with ${quote} on the same line, or use ${quote.repeat(3)} for a multi-line string`;
    this.problem('unterminated-string', 'unterminated string', loc, hint);
    this.i = j;
    return this.make('string', text.slice(start, end), value, loc);
  }

  /** A bare word (with `${...}` references kept whole), a number, a boolean or null. */
  private word(loc: SourceLocation): Token {
    const text = this.text;
    const start = this.i;
    const n = text.length;
    let j = start;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d === DOLLAR && text.charCodeAt(j + 1) === L_BRACE) {
        const close = text.indexOf('}', j + 2);
        const eol = text.indexOf('\n', j + 2);
        if (close >= 0 && (eol < 0 || close < eol)) {
          j = close + 1;
          continue;
        }
      }
      if (endsWord(d)) break;
      j++;
    }
    this.i = j;
    const word = text.slice(start, j);
    const first = word.charCodeAt(0);
    if (((first >= 48 && first <= 57) || first === 45) && NUMBER_RE.test(word)) {
      return this.make('number', word, Number(word), loc);
    }
    if (word === 'true' || word === 'false') return this.make('boolean', word, word === 'true', loc);
    if (word === 'null') return this.make('null', word, null, loc);
    return this.make('word', word, word, loc);
  }
}
