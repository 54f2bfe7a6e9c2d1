/**
 * String literals of the JORM text format: escapes of quoted strings and the layout rules of triple-quoted
 * (multi-line) strings. Shared by the lexer and the writer so that what one writes the other reads back.
 * @module
 */

/** The single-character escapes of quoted strings (`\n`, `\t`, …). */
const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  b: '\b',
  f: '\f',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** The escape sequences a quoted string may contain, for messages. */
export const KNOWN_ESCAPES = '\\n \\t \\r \\0 \\b \\f \\\\ \\" \\\' \\uXXXX \\u{X…}';

/** The result of decoding one escape: the text it stands for and how many characters it used. */
export interface DecodedEscape {
  text: string;
  /** Characters consumed after the backslash. */
  length: number;
  /** Set when the escape is not valid. */
  error?: string;
}

/**
 * Decodes the escape whose backslash is at `text[at - 1]` (so `text[at]` is the character after it).
 * An invalid escape keeps its characters literally and reports an error.
 */
export function decodeEscape(text: string, at: number): DecodedEscape {
  const c = text[at];
  if (c === undefined) return { text: '\\', length: 0, error: 'a backslash at the end of the string' };
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return { text: simple, length: 1 };
  if (c === 'u') {
    const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(text.slice(at + 1, at + 9));
    const plain = /^[0-9a-fA-F]{4}/.exec(text.slice(at + 1, at + 5));
    const hex = braced?.[1] ?? plain?.[0];
    const length = braced ? braced[0].length + 1 : 5;
    const code = hex === undefined ? Number.NaN : Number.parseInt(hex, 16);
    if (hex !== undefined && code <= 0x10ffff) return { text: String.fromCodePoint(code), length };
    return { text: '\\u', length: 1, error: 'invalid unicode escape (write \\u00e9 or \\u{1F600})' };
  }
  return { text: `\\${c}`, length: 1, error: `unknown escape "\\${c}"` };
}

/** Escapes a string for a double-quoted JORM literal. */
export function quoteJormString(value: string): string {
  let out = '"';
  for (const ch of value) {
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default: {
        const code = ch.codePointAt(0)!;
        out += code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : ch;
      }
    }
  }
  return `${out}"`;
}

/**
 * The value of a triple-quoted string from its raw content (between the quotes): a line break right after
 * the opening quotes is dropped, the spaces before closing quotes on a line of their own are dropped (the
 * value then ends with a line break, like YAML's `|`), and the indentation common to all non-blank lines is
 * removed. No escapes are processed.
 */
export function decodeTripleString(raw: string): string {
  let text = raw.replace(/\r\n/g, '\n');
  if (text.startsWith('\n')) text = text.slice(1);
  const lastBreak = text.lastIndexOf('\n');
  if (lastBreak >= 0 && /^[ \t]*$/.test(text.slice(lastBreak + 1))) text = text.slice(0, lastBreak + 1);
  const lines = text.split('\n');
  let indent: string | undefined;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const own = /^[ \t]*/.exec(line)![0];
    if (indent === undefined || !own.startsWith(indent)) indent = commonPrefix(indent ?? own, own);
  }
  if (!indent) return text;
  const cut = indent.length;
  return lines
    .map((line) => (line.trim() === '' ? line.slice(Math.min(cut, line.length)) : line.slice(cut)))
    .join('\n');
}

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}

/**
 * A triple-quoted literal for `value` indented by `indent`, or `undefined` when the layout rules of
 * {@link decodeTripleString} would not give back exactly `value`.
 */
export function tripleQuoteJormString(value: string, indent: string): string | undefined {
  if (!value.includes('\n') || value.includes('\r')) return undefined;
  const trailingBreak = value.endsWith('\n');
  const lines = (trailingBreak ? value.slice(0, -1) : value).split('\n');
  const body = lines.map((line) => (line === '' ? '' : indent + line)).join('\n');
  const inner = trailingBreak ? `\n${body}\n${indent}` : `\n${body}`;
  if (inner.includes('"""') || inner.endsWith('"')) return undefined;
  return decodeTripleString(inner) === value ? `"""${inner}"""` : undefined;
}
