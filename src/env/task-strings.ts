/**
 * Every string field of a task's configuration, each with the file key it is written under, for
 * interpolation and reference validation.
 * @module
 */

import type { AuthConfig, TaskConfig } from '../model/task.js';
import { assertNever } from '../model/task.js';

/**
 * Called with each string and the key it is written under in a DAG file (`command`, `working_dir`,
 * `url`, `headers.<name>`, `kwargs.<name>`, `auth.<field>`, `options.<name>`, …); returns the string to
 * keep.
 */
export type StringVisitor = (value: string, key: string) => string;

/** Maps strings inside JSON-like values (arrays and plain objects; keys are kept). */
function mapDeep(value: unknown, key: string, visit: StringVisitor): unknown {
  if (typeof value === 'string') return visit(value, key);
  if (Array.isArray(value)) {
    const mapped = value.map((v) => mapDeep(v, key, visit));
    return mapped.every((v, i) => v === value[i]) ? value : mapped;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return mapRecord(value as Record<string, unknown>, () => key, visit);
  }
  return value;
}

/** Maps the values of a record, naming each by `keyOf(entryKey)`; the same object when nothing changed. */
function mapRecord<T>(
  record: Record<string, T>,
  keyOf: (entry: string) => string,
  visit: StringVisitor,
): Record<string, T> {
  let out: Record<string, T> | undefined;
  for (const [k, v] of Object.entries(record)) {
    const mapped = mapDeep(v, keyOf(k), visit) as T;
    if (mapped !== v) {
      out ??= { ...record };
      out[k] = mapped;
    }
  }
  return out ?? record;
}

function mapOptional(value: string | undefined, key: string, visit: StringVisitor): string | undefined {
  return value === undefined ? undefined : visit(value, key);
}

function mapAuth(auth: AuthConfig | undefined, visit: StringVisitor): AuthConfig | undefined {
  if (!auth) return auth;
  const { type, ...rest } = auth;
  const mapped = mapRecord(rest as Record<string, unknown>, (k) => `auth.${k}`, visit);
  return mapped === rest ? auth : ({ type, ...mapped } as AuthConfig);
}

/** Assigns the changed fields to a copy; the same object when nothing changed. */
function patch<T extends object>(original: T, changes: Partial<T>): T {
  let out: T | undefined;
  for (const k in changes) {
    const v = changes[k];
    if (v !== (original as Record<string, unknown>)[k]) {
      out ??= { ...original };
      (out as Record<string, unknown>)[k] = v;
    }
  }
  return out ?? original;
}

/**
 * A copy of `config` with every string field passed through `visit`: commands, paths, working
 * directories, script args, URLs, header values, bodies, auth fields, and the values (recursively) of
 * Python args and kwargs, file options and custom configs. The same object when nothing changed.
 */
export function mapTaskConfigStrings(config: TaskConfig, visit: StringVisitor): TaskConfig {
  const wd = (c: { workingDir?: string }): string | undefined =>
    mapOptional(c.workingDir, 'working_dir', visit);
  switch (config.kind) {
    case 'shell':
      return patch(config, { command: visit(config.command, 'command'), workingDir: wd(config) });
    case 'python_script':
      return patch(config, {
        script: visit(config.script, 'script'),
        args: mapDeep(config.args, 'args', visit) as string[],
        pythonPath: mapOptional(config.pythonPath, 'python_path', visit),
        workingDir: wd(config),
      });
    case 'python_function':
      return patch(config, {
        module: visit(config.module, 'module'),
        function: visit(config.function, 'function'),
        args: mapDeep(config.args, 'args', visit) as unknown[],
        kwargs: mapRecord(config.kwargs, (k) => `kwargs.${k}`, visit),
        pythonPath: mapOptional(config.pythonPath, 'python_path', visit),
        workingDir: wd(config),
      });
    case 'http_request':
      return patch(config, {
        method: visit(config.method, 'method'),
        url: visit(config.url, 'url'),
        headers: mapRecord(config.headers, (k) => `headers.${k}`, visit),
        body: mapOptional(config.body, 'body', visit),
        auth: mapAuth(config.auth, visit),
      });
    case 'file_operation':
      return patch(config, {
        source: mapOptional(config.source, 'source', visit),
        destination: mapOptional(config.destination, 'destination', visit),
        options: mapRecord(config.options, (k) => `options.${k}`, visit),
      });
    case 'jorm':
      return patch(config, { args: mapDeep(config.args, 'args', visit) as string[], workingDir: wd(config) });
    case 'custom':
      return patch(config, { values: mapRecord(config.values, (k) => k, visit) });
    default:
      return assertNever(config);
  }
}

/**
 * Whether a `$` may appear in a string field of `config`: false means none does (a quick test before
 * walking the fields, which matters on DAGs of 100,000 tasks); true may include a `$` in a key.
 */
export function configMayHoldDollar(config: TaskConfig): boolean {
  try {
    return JSON.stringify(config).includes('$');
  } catch {
    return true; // not JSON (a BigInt in a custom config): walk the fields
  }
}

/** Calls `visit` with every string field of `config` (see {@link mapTaskConfigStrings}). */
export function forEachTaskConfigString(
  config: TaskConfig,
  visit: (value: string, key: string) => void,
): void {
  mapTaskConfigStrings(config, (value, key) => {
    visit(value, key);
    return value;
  });
}

/** Other keys a field may be written under in a DAG file (`file_create`'s `path` and `content`). */
export const KEY_ALIASES: Readonly<Record<string, readonly string[]>> = {
  destination: ['path'],
  source: ['path'],
  'options.content': ['content'],
};

/**
 * The keys to look up, most precise first, for the location of a field: the key, its aliases, then its
 * parents (`headers.Authorization`, `headers`).
 */
export function locationKeys(key: string): string[] {
  const out = [key, ...(KEY_ALIASES[key] ?? [])];
  for (let dot = key.lastIndexOf('.'); dot > 0; dot = key.lastIndexOf('.', dot - 1))
    out.push(key.slice(0, dot));
  return out;
}
