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

/** Whether `c` ends a bare word. */
function endsWord(c: string): boolean {
  return (
    c === ' ' ||
    c === '\t' ||
    c === '\n' ||
    c === '\r' ||
    c === '#' ||
    c === '"' ||
    c === "'" ||
    PUNCTUATION[c] !== undefined
  );
}

/** Splits JORM text into tokens; the last token is always `eof`. */
export function lexJorm(text: string): { tokens: Token[]; problems: LexProblem[] } {
  const tokens: Token[] = [];
  const problems: LexProblem[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let newline = true;
  const n = text.length;

  const push = (kind: TokenKind, start: number, end: number, value: Token['value'], l: number, c: number) => {
    tokens.push({ kind, text: text.slice(start, end), value, line: l, column: c, newlineBefore: newline });
    newline = false;
  };

  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      newline = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    const column = i - lineStart + 1;
    const kind = PUNCTUATION[c];
    if (kind !== undefined) {
      push(kind, i, i + 1, null, line, column);
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      if (text.startsWith(c.repeat(3), i)) {
        const close = text.indexOf(c.repeat(3), i + 3);
        const end = close < 0 ? n : close + 3;
        const raw = text.slice(i + 3, close < 0 ? n : close);
        if (close < 0) {
          problems.push({
            code: 'unterminated-string',
            message: `unterminated multi-line string: no closing ${c.repeat(3)}`,
            hint: `close it with ${c.repeat(3)}`,
            line,
            column,
          });
        }
        push('string', i, end, decodeTripleString(raw), line, column);
        for (let k = i; k < end; k++) {
          if (text[k] === '\n') {
            line++;
            lineStart = k + 1;
          }
        }
        i = end;
        continue;
      }
      let value = '';
      let j = i + 1;
      let closed = false;
      while (j < n) {
        const d = text[j]!;
        if (d === c) {
          closed = true;
          j++;
          break;
        }
        if (d === '\n') break;
        if (d === '\\') {
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
          j += 1 + escape.length;
          continue;
        }
        value += d;
        j++;
      }
      if (!closed) {
        const end = j > i + 1 && text[j - 1] === '\r' ? j - 1 : j;
        value = value.endsWith('\r') ? value.slice(0, -1) : value;
        problems.push({
          code: 'unterminated-string',
          message: 'unterminated string',
          hint: `close it with ${c} on the same line, or use ${c.repeat(3)} for a multi-line string`,
          line,
          column,
        });
        push('string', i, end, value, line, column);
      } else {
        push('string', i, j, value, line, column);
      }
      i = j;
      continue;
    }
    // A bare word (with `${...}` references kept whole).
    let j = i;
    while (j < n) {
      const d = text[j]!;
      if (d === '$' && text[j + 1] === '{') {
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
    if (j === i) {
      // Cannot happen: every character either ends a word or is part of one.
      j = i + 1;
    }
    const word = text.slice(i, j);
    if (NUMBER_RE.test(word)) push('number', i, j, Number(word), line, column);
    else if (word === 'true' || word === 'false') push('boolean', i, j, word === 'true', line, column);
    else if (word === 'null') push('null', i, j, null, line, column);
    else push('word', i, j, word, line, column);
    i = j;
  }
  tokens.push({
    kind: 'eof',
    text: '',
    value: null,
    line,
    column: i - lineStart + 1,
    newlineBefore: true,
  });
  return { tokens, problems };
}
