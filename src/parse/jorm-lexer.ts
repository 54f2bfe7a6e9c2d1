/**
 * The lexer of the JORM text format: turns text into tokens, each with its exact line and column.
 * It never throws; problems (unterminated strings, bad escapes, stray characters) are collected.
 * @module
 */

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
  line: number;
  column: number;
  /** A line break (or the start of the text) comes between the previous token and this one. */
  newlineBefore: boolean;
}

/** A lexical problem. */
export interface LexProblem {
  code: string;
  message: string;
  hint?: string;
  line: number;
  column: number;
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

const enum Ch {
  Tab = 9,
  Newline = 10,
  Return = 13,
  Space = 32,
  DoubleQuote = 34,
  Hash = 35,
  Dollar = 36,
  SingleQuote = 39,
  Comma = 44,
  Colon = 58,
  LBracket = 91,
  Backslash = 92,
  RBracket = 93,
  LBrace = 123,
  RBrace = 125,
  Bom = 0xfeff,
}

/** Whether the character code `c` ends a bare word. */
function endsWord(c: number): boolean {
  switch (c) {
    case Ch.Space:
    case Ch.Tab:
    case Ch.Newline:
    case Ch.Return:
    case Ch.Hash:
    case Ch.DoubleQuote:
    case Ch.SingleQuote:
    case Ch.Colon:
    case Ch.Comma:
    case Ch.LBrace:
    case Ch.RBrace:
    case Ch.LBracket:
    case Ch.RBracket:
      return true;
    default:
      return false;
  }
}

/** Splits JORM text into tokens; the last token is always `eof`. Linear in the length of the text. */
export function lexJorm(text: string): { tokens: Token[]; problems: LexProblem[] } {
  const tokens: Token[] = [];
  const problems: LexProblem[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let newline = true;
  const n = text.length;

  const push = (kind: TokenKind, tokenText: string, value: Token['value'], l: number, c: number) => {
    tokens.push({ kind, text: tokenText, value, line: l, column: c, newlineBefore: newline });
    newline = false;
  };

  while (i < n) {
    const code = text.charCodeAt(i);
    if (code === Ch.Newline) {
      i++;
      line++;
      lineStart = i;
      newline = true;
      continue;
    }
    if (code === Ch.Space || code === Ch.Tab || code === Ch.Return || code === Ch.Bom) {
      i++;
      continue;
    }
    if (code === Ch.Hash) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? n : eol;
      continue;
    }
    const column = i - lineStart + 1;
    if (
      code === Ch.Colon ||
      code === Ch.Comma ||
      code === Ch.LBrace ||
      code === Ch.RBrace ||
      code === Ch.LBracket ||
      code === Ch.RBracket
    ) {
      const c = text[i]!;
      push(PUNCTUATION[c]!, c, null, line, column);
      i++;
      continue;
    }
    if (code === Ch.DoubleQuote || code === Ch.SingleQuote) {
      const quote = text[i]!;
      if (text.startsWith(quote.repeat(3), i)) {
        const close = text.indexOf(quote.repeat(3), i + 3);
        const end = close < 0 ? n : close + 3;
        if (close < 0) {
          problems.push({
            code: 'unterminated-string',
            message: `unterminated multi-line string: no closing ${quote.repeat(3)}`,
            hint: `close it with ${quote.repeat(3)}`,
            line,
            column,
          });
        }
        push('string', text.slice(i, end), decodeTripleString(text.slice(i + 3, close < 0 ? n : close)), line, column);
        for (let k = text.indexOf('\n', i); k >= 0 && k < end; k = text.indexOf('\n', k + 1)) {
          line++;
          lineStart = k + 1;
        }
        i = end;
        continue;
      }
      i = lexQuoted(text, i, quote, line, lineStart, column, push, problems);
      continue;
    }
    i = lexWord(text, i, line, column, push);
  }
  tokens.push({ kind: 'eof', text: '', value: null, line, column: i - lineStart + 1, newlineBefore: true });
  return { tokens, problems };
}

type Push = (kind: TokenKind, tokenText: string, value: Token['value'], line: number, column: number) => void;

/** A single-line quoted string starting at `start`; returns the index after it. */
function lexQuoted(
  text: string,
  start: number,
  quote: string,
  line: number,
  lineStart: number,
  column: number,
  push: Push,
  problems: LexProblem[],
): number {
  const quoteCode = quote.charCodeAt(0);
  const n = text.length;
  let value = '';
  let chunk = start + 1;
  let j = start + 1;
  for (; j < n; j++) {
    const d = text.charCodeAt(j);
    if (d === quoteCode) {
      value += text.slice(chunk, j);
      push('string', text.slice(start, j + 1), value, line, column);
      return j + 1;
    }
    if (d === Ch.Newline) break;
    if (d === Ch.Backslash) {
      value += text.slice(chunk, j);
      const escape = decodeEscape(text, j + 1);
      if (escape.error) {
        problems.push({
          code: 'bad-escape',
          message: escape.error,
          hint: `escapes are ${KNOWN_ESCAPES}`,
          line,
          column: j - lineStart + 1,
        });
      }
      value += escape.text;
      j += escape.length;
      chunk = j + 1;
    }
  }
  value += text.slice(chunk, j);
  let end = j;
  if (text.charCodeAt(end - 1) === Ch.Return && end - 1 > start) {
    end--;
    value = value.slice(0, -1);
  }
  problems.push({
    code: 'unterminated-string',
    message: 'unterminated string',
    hint: `close it with ${quote} on the same line, or use ${quote.repeat(3)} for a multi-line string`,
    line,
    column,
  });
  push('string', text.slice(start, end), value, line, column);
  return j;
}

/** A bare word (with `${...}` references kept whole) starting at `start`; returns the index after it. */
function lexWord(text: string, start: number, line: number, column: number, push: Push): number {
  const n = text.length;
  let j = start;
  while (j < n) {
    const d = text.charCodeAt(j);
    if (d === Ch.Dollar && text.charCodeAt(j + 1) === Ch.LBrace) {
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
  const word = text.slice(start, j);
  const first = word.charCodeAt(0);
  if ((first >= 48 && first <= 57) || first === 45) {
    if (NUMBER_RE.test(word)) {
      push('number', word, Number(word), line, column);
      return j;
    }
  }
  if (word === 'true' || word === 'false') push('boolean', word, word === 'true', line, column);
  else if (word === 'null') push('null', word, null, line, column);
  else push('word', word, word, line, column);
  return j;
}
