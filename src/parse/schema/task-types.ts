/**
 * The built-in task types of DAG files: for each, its keys, the required ones, the registry type it maps to,
 * and how its keys become a {@link TaskConfig}.
 * @module
 */

import type { FileOperationKind, HttpTaskConfig, OutputMode, TaskConfig } from '../../model/task.js';
import type { MapEntry, MapNode, ValueNode } from '../tree.js';
import { toPlain } from '../tree.js';
import { splitCommandLine } from '../units.js';
import type { Checker } from './checker.js';
import { readAuth } from './http-auth.js';

/** Reads the value of a key of the task, if written. */
export type KeyReader = (key: string) => ValueNode | undefined;

/** How one built-in type of the file format is read. */
export interface TaskTypeSpec {
  /** The registry key of the executor (`rust` tasks run as `shell`). */
  taskType: string;
  /** Its own keys (the common keys are allowed for every type). */
  keys: readonly string[];
  required: readonly string[];
  /** Hints for keys that belong to another type. */
  hints?: Record<string, string>;
  /** Builds the config; `undefined` after reporting a problem. */
  build(c: Checker, get: KeyReader): TaskConfig | undefined;
}

/** The output modes of shell tasks. */
export const OUTPUT_MODES: readonly OutputMode[] = ['text', 'json', 'lines'];

const SHELL: TaskTypeSpec = {
  taskType: 'shell',
  keys: ['command', 'working_dir', 'shell', 'output'],
  required: ['command'],
  hints: { script: 'a shell task runs "command"; use "type: python" to run a script' },
  build(c, get) {
    const command = read(get, 'command', (n) => c.nonEmptyString(n, 'command'));
    const workingDir = read(get, 'working_dir', (n) => c.nonEmptyString(n, 'working_dir'));
    const shell = read(get, 'shell', (n) => c.nonEmptyString(n, 'shell'));
    const output = read(get, 'output', (n) => c.oneOf(n, 'output', OUTPUT_MODES));
    if (command === undefined) return undefined;
    return {
      kind: 'shell',
      command,
      ...opt('workingDir', workingDir),
      ...opt('shell', shell),
      ...opt('output', output),
    };
  },
};

const FUNCTION_HINT = 'to call a Python function use "type: python_function"';

const PYTHON: TaskTypeSpec = {
  taskType: 'python',
  keys: ['script', 'args', 'python_path', 'working_dir'],
  required: ['script'],
  hints: { module: FUNCTION_HINT, function: FUNCTION_HINT, kwargs: FUNCTION_HINT },
  build(c, get) {
    const script = read(get, 'script', (n) => c.nonEmptyString(n, 'script'));
    const args = read(get, 'args', (n) => c.stringList(n, 'args'));
    const pythonPath = read(get, 'python_path', (n) => c.nonEmptyString(n, 'python_path'));
    const workingDir = read(get, 'working_dir', (n) => c.nonEmptyString(n, 'working_dir'));
    if (script === undefined) return undefined;
    return {
      kind: 'python_script',
      script,
      args: args ?? [],
      ...opt('pythonPath', pythonPath),
      ...opt('workingDir', workingDir),
    };
  },
};

const PYTHON_FUNCTION: TaskTypeSpec = {
  taskType: 'python',
  keys: ['module', 'function', 'args', 'kwargs', 'python_path', 'working_dir'],
  required: ['module', 'function'],
  hints: { script: 'to run a script use "type: python"' },
  build(c, get) {
    const module = read(get, 'module', (n) => c.nonEmptyString(n, 'module'));
    const fn = read(get, 'function', (n) => c.nonEmptyString(n, 'function'));
    const args = read(get, 'args', (n) => c.plainList(n, 'args'));
    const kwargs = read(get, 'kwargs', (n) => c.plainMap(n, 'kwargs'));
    const pythonPath = read(get, 'python_path', (n) => c.nonEmptyString(n, 'python_path'));
    const workingDir = read(get, 'working_dir', (n) => c.nonEmptyString(n, 'working_dir'));
    if (module === undefined || fn === undefined) return undefined;
    return {
      kind: 'python_function',
      module,
      function: fn,
      args: args ?? [],
      kwargs: kwargs ?? {},
      ...opt('pythonPath', pythonPath),
      ...opt('workingDir', workingDir),
    };
  },
};

const HTTP: TaskTypeSpec = {
  taskType: 'http',
  keys: ['url', 'method', 'headers', 'body', 'auth', 'request_timeout', 'expected_status'],
  required: ['url'],
  build(c, get) {
    const url = read(get, 'url', (n) => c.nonEmptyString(n, 'url'));
    const method = read(get, 'method', (n) => {
      const m = c.string(n, 'method');
      if (m === undefined || /^[A-Za-z]+$/.test(m)) return m?.toUpperCase();
      return c.fail(
        'invalid-value',
        `"method" must be an HTTP method such as GET or POST, not ${JSON.stringify(m)}`,
        n.loc,
      );
    });
    const headers = read(get, 'headers', (n) => c.stringMap(n, 'headers'));
    const body = read(get, 'body', (n) =>
      n.kind === 'scalar' ? c.string(n, 'body') : JSON.stringify(toPlain(n)),
    );
    const auth = read(get, 'auth', (n) => readAuth(c, n));
    const timeout = read(get, 'request_timeout', (n) => c.duration(n, 'request_timeout'));
    const expectedStatus = read(get, 'expected_status', (n) => c.intList(n, 'expected_status', 100, 599));
    if (url === undefined) return undefined;
    const config: HttpTaskConfig = {
      kind: 'http_request',
      method: method ?? 'GET',
      url,
      headers: headers ?? {},
    };
    return {
      ...config,
      ...opt('body', body),
      ...opt('auth', auth),
      ...opt('timeout', timeout),
      ...opt('expectedStatus', expectedStatus),
    };
  },
};

function fileSpec(operation: FileOperationKind): TaskTypeSpec {
  const twoPaths = operation === 'copy' || operation === 'move';
  const keys = twoPaths
    ? ['source', 'destination', 'overwrite', 'options']
    : operation === 'create'
      ? ['path', 'content', 'overwrite', 'options']
      : ['path', 'options'];
  return {
    taskType: 'file',
    keys,
    required: twoPaths ? ['source', 'destination'] : ['path'],
    hints: twoPaths
      ? { path: `file_${operation} takes "source" and "destination"` }
      : { source: `file_${operation} takes "path"`, destination: `file_${operation} takes "path"` },
    build(c, get) {
      const options = read(get, 'options', (n) => c.plainMap(n, 'options')) ?? {};
      const overwrite = read(get, 'overwrite', (n) => c.bool(n, 'overwrite'));
      if (overwrite !== undefined) options['overwrite'] = overwrite;
      if (twoPaths) {
        const source = read(get, 'source', (n) => c.nonEmptyString(n, 'source'));
        const destination = read(get, 'destination', (n) => c.nonEmptyString(n, 'destination'));
        if (source === undefined || destination === undefined) return undefined;
        return { kind: 'file_operation', operation, source, destination, options };
      }
      const path = read(get, 'path', (n) => c.nonEmptyString(n, 'path'));
      if (operation === 'create') {
        const content = read(get, 'content', (n) => c.string(n, 'content'));
        options['content'] = content ?? (typeof options['content'] === 'string' ? options['content'] : '');
        return path === undefined
          ? undefined
          : { kind: 'file_operation', operation, destination: path, options };
      }
      return path === undefined ? undefined : { kind: 'file_operation', operation, source: path, options };
    },
  };
}

const JORM: TaskTypeSpec = {
  taskType: 'jorm',
  keys: ['command', 'working_dir'],
  required: ['command'],
  build(c, get) {
    const workingDir = read(get, 'working_dir', (n) => c.nonEmptyString(n, 'working_dir'));
    const node = get('command');
    const command = node ? c.nonEmptyString(node, 'command') : undefined;
    if (!node || command === undefined) return undefined;
    const split = splitCommandLine(command);
    if ('error' in split) return c.fail('invalid-value', `"command" has an ${split.error}`, node.loc);
    const args = split.words[0] === 'jorm' ? split.words.slice(1) : split.words;
    return { kind: 'jorm', args, ...opt('workingDir', workingDir) };
  },
};

/** The built-in types of the file format, by the name written after `type:`. */
export const TASK_TYPES: Readonly<Record<string, TaskTypeSpec>> = {
  shell: SHELL,
  rust: { ...SHELL },
  python: PYTHON,
  python_function: PYTHON_FUNCTION,
  http: HTTP,
  file_copy: fileSpec('copy'),
  file_move: fileSpec('move'),
  file_delete: fileSpec('delete'),
  file_create: fileSpec('create'),
  jorm: JORM,
};

/** The built-in type of a name, if it is one (own keys only). */
export function taskTypeSpec(type: string): TaskTypeSpec | undefined {
  return Object.hasOwn(TASK_TYPES, type) ? TASK_TYPES[type] : undefined;
}

function read<T>(get: KeyReader, key: string, reader: (node: ValueNode) => T | undefined): T | undefined {
  const node = get(key);
  return node === undefined ? undefined : reader(node);
}

/** `{ [key]: value }` when the value is defined, `{}` otherwise (no `undefined` fields in configs). */
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Keys of a map as written, for custom tasks. */
export function customValues(
  map: MapNode,
  common: readonly string[],
): { values: Record<string, unknown>; entries: MapEntry[] } {
  const entries = map.entries.filter((e) => !common.includes(e.key));
  const values = toPlain({ kind: 'map', entries, loc: map.loc }) as Record<string, unknown>;
  return { values, entries };
}
