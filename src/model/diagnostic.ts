/**
 * Diagnostics: one problem found in a DAG file or a configuration, with where it is and how to fix it.
 * @module
 */

/** A position in a source file; lines and columns start at 1. */
export interface SourceLocation {
  /** The file, when the text came from one. */
  file?: string;
  line: number;
  column: number;
}

/** One problem in a DAG file, a configuration or a command line. */
export interface Diagnostic {
  /** A stable code such as `unknown-key`, `missing-key`, `cycle`, `unknown-dependency`. */
  code: string;
  /** The one-line reason. */
  message: string;
  /** Where it is; absent when the problem has no single place (e.g. a DAG built in code). */
  location?: SourceLocation;
  /** A suggestion, such as `did you mean "shell"?`. */
  hint?: string;
  /** The offending source line, for a caret display. */
  sourceLine?: string;
  /** The task the problem belongs to, when there is one. */
  taskId?: string;
}

/**
 * Formats a diagnostic as `file:line:col: message`, followed, when the source line is known,
 * by that line and a caret under the column.
 */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const loc = diagnostic.location;
  const where = loc ? `${loc.file ?? '<input>'}:${loc.line}:${loc.column}: ` : '';
  const hint = diagnostic.hint ? ` (${diagnostic.hint})` : '';
  let text = `${where}${diagnostic.message}${hint}`;
  if (diagnostic.sourceLine !== undefined && loc) {
    const { line, caret } = excerpt(diagnostic.sourceLine.replace(/\t/g, ' '), Math.max(0, loc.column - 1));
    text += `\n    ${line}\n    ${' '.repeat(caret)}^`;
  }
  return text;
}

/** Characters of a source line shown under a problem, at most: a longer line shows a window around it. */
const SHOWN_LINE = 160;

/**
 * The part of a long line around column `at` (0-based), with `…` where it was cut, and where the caret
 * goes in it: a line of 200 KB is not printed whole under each of its problems.
 */
function excerpt(line: string, at: number): { line: string; caret: number } {
  if (line.length <= SHOWN_LINE) return { line, caret: at };
  const start = Math.max(0, Math.min(at - SHOWN_LINE / 2, line.length - SHOWN_LINE));
  const end = Math.min(line.length, start + SHOWN_LINE);
  const head = start > 0 ? '…' : '';
  const tail = end < line.length ? '…' : '';
  return { line: `${head}${line.slice(start, end)}${tail}`, caret: at - start + head.length };
}

/**
 * Edit distance for "did you mean" suggestions: insertions, deletions, substitutions and swaps of two
 * neighbouring characters (`biuld` is one edit from `build`) each count 1.
 */
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, before[j - 2]! + 1);
      current.push(d);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The closest candidate to `word`, when one is close enough to be a likely typo.
 * @returns the suggestion, or `undefined`.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(1, Math.floor(word.length / 3));
  return best !== undefined && bestDistance <= limit ? best : undefined;
}
