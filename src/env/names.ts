/**
 * Environment variable names and the patterns that select them (`exclude`, `securePrefixes`).
 * @module
 */

/** A portable variable name: a letter or `_`, then letters, digits and `_`. */
export const VARIABLE_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A name pattern: name characters and the wildcards `*` (any run) and `?` (one character). */
const PATTERN_RE = /^[A-Za-z0-9_*?]+$/;

/** Whether `name` is a portable environment variable name. */
export function isVariableName(name: string): boolean {
  return VARIABLE_NAME_RE.test(name);
}

/**
 * Why `pattern` is not a valid name pattern, or `undefined` when it is.
 * Patterns hold letters, digits, `_` and the wildcards `*` and `?`.
 */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return 'a pattern must not be empty';
  if (!PATTERN_RE.test(pattern)) {
    const bad = [...pattern].find((c) => !/[A-Za-z0-9_*?]/.test(c)) ?? '';
    return `"${bad}" is not allowed in a pattern (use letters, digits, "_", and the wildcards "*" and "?")`;
  }
  return undefined;
}

/**
 * Compiles a name pattern to a matcher. `*` matches any run of characters, `?` one character; the
 * pattern must match the whole name.
 */
export function compilePattern(pattern: string, options: { ignoreCase?: boolean } = {}): RegExp {
  const body = pattern.replace(/[\\^$.*+?()[\]{}|/-]/g, (c) => {
    if (c === '*') return '.*';
    if (c === '?') return '.';
    return `\\${c}`;
  });
  return new RegExp(`^${body}$`, options.ignoreCase ? 'i' : '');
}

/** A predicate over names built from several patterns (any one matching is enough). */
export function namesMatching(
  patterns: readonly string[],
  options: { ignoreCase?: boolean } = {},
): (name: string) => boolean {
  if (patterns.length === 0) return () => false;
  const compiled = patterns.map((p) => compilePattern(p, options));
  return (name) => compiled.some((re) => re.test(name));
}
