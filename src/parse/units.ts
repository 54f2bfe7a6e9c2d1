/**
 * Small value syntaxes of DAG files: memory sizes (`512MB`, `2GiB`) and command lines split into words.
 * @module
 */

const MEMORY_UNITS: Record<string, number> = {
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  tb: 1000 ** 4,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

const MEMORY_RE = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/;

/**
 * Parses a memory size into bytes: a number is bytes; a string is a number followed by `B`, `KB`, `MB`,
 * `GB`, `TB` (powers of 1000) or `KiB`, `MiB`, `GiB`, `TiB` (powers of 1024), in any letter case.
 * @returns bytes (rounded), or `undefined` when the input is not a size.
 */
export function parseMemorySize(input: unknown): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? Math.round(input) : undefined;
  if (typeof input !== 'string') return undefined;
  const match = MEMORY_RE.exec(input);
  if (!match) return undefined;
  const factor = match[2] === '' ? 1 : MEMORY_UNITS[match[2]!.toLowerCase()];
  if (factor === undefined) return undefined;
  const bytes = Math.round(Number(match[1]) * factor);
  return Number.isFinite(bytes) ? bytes : undefined;
}

/** Formats bytes with the largest unit that divides them exactly (`512MB`, `2GiB`), or as a plain number. */
export function formatMemorySize(bytes: number): string | number {
  for (const unit of ['TiB', 'TB', 'GiB', 'GB', 'MiB', 'MB', 'KiB', 'KB'] as const) {
    const factor = MEMORY_UNITS[unit.toLowerCase()]!;
    if (bytes >= factor && bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return bytes;
}

/**
 * Splits a command line into words as a POSIX shell would for quoting: single quotes keep text literally,
 * double quotes allow `\"` and `\\`, a backslash outside quotes escapes the next character.
 * @returns the words, or an error message for an unterminated quote.
 */
export function splitCommandLine(line: string): { words: string[] } | { error: string } {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return { error: `unterminated ${quote === '"' ? 'double' : 'single'} quote` };
  if (inWord) words.push(word);
  return { words };
}

/** Joins words into a command line that {@link splitCommandLine} splits back into the same words. */
export function joinCommandLine(words: string[]): string {
  return words
    .map((w) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(w) ? w : `'${w.replace(/'/g, `'"'"'`)}'`))
    .join(' ');
}
