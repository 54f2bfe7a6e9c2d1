/**
 * The syntax of interpolated strings: `$$`, `${NAME}`, `${NAME:-default}`, `${task.<id>.<field>…}`,
 * `${system.<key>}`, `${dag.id}`, `${execution.id}`, `${params.<name>}`, each optionally followed by a
 * filter (`|shell`, `|json`). Parsing is separate from resolving, so that references can be validated before
 * anything runs.
 * @module
 */

/** The fields of a task a reference may read. */
export type TaskField = 'stdout' | 'stderr' | 'exit_code' | 'output';

/** The keys of `${system.…}`. */
export type SystemKey = 'hostname' | 'os' | 'cpus';

/** Filters applied to a resolved value. */
export type FilterName = 'shell' | 'json';

/** What one `${…}` refers to. */
export type Reference =
  | { kind: 'variable'; name: string }
  | { kind: 'task'; taskId: string; field: TaskField; path: string[] }
  | { kind: 'system'; key: SystemKey }
  | { kind: 'dag'; key: 'id' }
  | { kind: 'execution'; key: 'id' }
  | { kind: 'param'; name: string };

/** One `${…}` of a template. */
export interface Placeholder {
  /** The text as written, `${…}` included. */
  raw: string;
  /** Offset of `$` in the template. */
  offset: number;
  ref: Reference;
  /** The default after `:-`, itself a template (used when the value is missing or empty). */
  fallback?: Segment[];
  filter?: FilterName;
}

/** A piece of a template: literal text or a placeholder. */
export type Segment = string | Placeholder;

/** A syntax problem in a template. */
export interface TemplateProblem {
  message: string;
  /** The text concerned (the placeholder as written, when there is one). */
  raw: string;
  offset: number;
}

/** A parsed template. */
export interface ParsedTemplate {
  segments: Segment[];
  problems: TemplateProblem[];
}

const FILTERS: readonly FilterName[] = ['shell', 'json'];
const TASK_FIELDS: readonly TaskField[] = ['stdout', 'stderr', 'exit_code', 'output'];
const SYSTEM_KEYS: readonly SystemKey[] = ['hostname', 'os', 'cpus'];
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SEGMENT_RE = /^[A-Za-z0-9_-]+$/;

/** Whether a string may hold anything to interpolate (a fast pre-check). */
export function hasPlaceholders(text: string): boolean {
  return text.includes('$');
}

/** Parses a template. Never throws: syntax problems are returned, their text kept as literal. */
export function parseTemplate(text: string, base = 0): ParsedTemplate {
  const segments: Segment[] = [];
  const problems: TemplateProblem[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      literal += text.slice(i);
      break;
    }
    literal += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      literal += '$';
      i = dollar + 2;
      continue;
    }
    if (next !== '{') {
      literal += '$';
      i = dollar + 1;
      continue;
    }
    const end = matchingBrace(text, dollar + 2);
    if (end < 0) {
      problems.push({
        message: `unterminated "\${": add the closing "}"`,
        raw: text.slice(dollar),
        offset: base + dollar,
      });
      literal += text.slice(dollar);
      break;
    }
    const raw = text.slice(dollar, end + 1);
    const placeholder = parsePlaceholder(raw, text.slice(dollar + 2, end), base + dollar, problems);
    if (placeholder) {
      if (literal) segments.push(literal);
      literal = '';
      segments.push(placeholder);
    } else {
      literal += raw;
    }
    i = end + 1;
  }
  if (literal) segments.push(literal);
  return { segments, problems };
}

/** Index of the `}` closing a `${` whose body starts at `from`, counting nested braces; -1 if none. */
function matchingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/** Index of `needle` in `body` outside nested braces, searching from the end when `last`. */
function topLevelIndex(body: string, needle: string, last: boolean): number {
  let depth = 0;
  let found = -1;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (depth === 0 && body.startsWith(needle, i)) {
      found = i;
      if (!last) return i;
    }
  }
  return found;
}

function parsePlaceholder(
  raw: string,
  body: string,
  offset: number,
  problems: TemplateProblem[],
): Placeholder | undefined {
  const problem = (message: string): undefined => {
    problems.push({ message, raw, offset });
    return undefined;
  };
  let rest = body;
  let filter: FilterName | undefined;
  const bar = topLevelIndex(rest, '|', true);
  if (bar >= 0 && /^\s*[A-Za-z_]+\s*$/.test(rest.slice(bar + 1))) {
    const name = rest.slice(bar + 1).trim();
    if (!(FILTERS as readonly string[]).includes(name)) {
      return problem(`unknown filter "${name}" (filters: ${FILTERS.join(', ')})`);
    }
    filter = name as FilterName;
    rest = rest.slice(0, bar);
  }
  let fallback: Segment[] | undefined;
  const sep = topLevelIndex(rest, ':-', false);
  if (sep >= 0) {
    const parsed = parseTemplate(rest.slice(sep + 2), offset + 2 + sep + 2);
    problems.push(...parsed.problems);
    fallback = parsed.segments;
    rest = rest.slice(0, sep);
  }
  const name = rest.trim();
  if (name === '') return problem(`empty reference: write a name, as in \${NAME}`);
  const ref = parseReference(name);
  if (typeof ref === 'string') return problem(ref);
  return { raw, offset, ref, ...(fallback ? { fallback } : {}), ...(filter ? { filter } : {}) };
}

/** Parses the name part of a placeholder; a string is the problem. */
function parseReference(name: string): Reference | string {
  const parts = name.split('.');
  if (parts.length === 1) {
    return NAME_RE.test(name) ? { kind: 'variable', name } : `"${name}" is not a valid variable name`;
  }
  if (parts.some((p) => !SEGMENT_RE.test(p))) return `"${name}" is not a valid reference`;
  const [head, second, third, ...path] = parts as [string, string, ...string[]];
  switch (head) {
    case 'task': {
      if (third === undefined) {
        return `"${name}" needs a field: task.${second}.stdout, .stderr, .exit_code or .output`;
      }
      if (!(TASK_FIELDS as readonly string[]).includes(third)) {
        return `unknown task field "${third}" in "${name}" (fields: ${TASK_FIELDS.join(', ')})`;
      }
      if (path.length > 0 && third !== 'output') return `"${name}": only .output takes a path`;
      return { kind: 'task', taskId: second, field: third as TaskField, path };
    }
    case 'system':
      if (parts.length !== 2 || !(SYSTEM_KEYS as readonly string[]).includes(second)) {
        return `unknown system value "${name}" (known: ${SYSTEM_KEYS.map((k) => `system.${k}`).join(', ')})`;
      }
      return { kind: 'system', key: second as SystemKey };
    case 'dag':
    case 'execution':
      if (parts.length !== 2 || second !== 'id')
        return `unknown reference "${name}" (did you mean ${head}.id?)`;
      return { kind: head, key: 'id' };
    case 'params':
      if (parts.length !== 2 || !NAME_RE.test(second)) return `"${name}" is not a valid parameter reference`;
      return { kind: 'param', name: second };
    default:
      return `unknown reference "${name}" (dotted references start with task., system., dag., execution. or params.)`;
  }
}

/** Every placeholder of a parsed template, those inside defaults included. */
export function placeholdersOf(segments: readonly Segment[]): Placeholder[] {
  const out: Placeholder[] = [];
  for (const s of segments) {
    if (typeof s === 'string') continue;
    out.push(s);
    if (s.fallback) out.push(...placeholdersOf(s.fallback));
  }
  return out;
}
