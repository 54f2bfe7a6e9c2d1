/**
 * The `auth` map of HTTP tasks: `basic`, `bearer` or `api_key` (in a header or the query).
 * @module
 */

import type { AuthConfig } from '../../model/task.js';
import type { ValueNode } from '../tree.js';
import { type Checker, entriesByKey } from './checker.js';

const AUTH_KEYS: Record<AuthConfig['type'], readonly string[]> = {
  basic: ['type', 'username', 'password'],
  bearer: ['type', 'token'],
  api_key: ['type', 'key', 'header', 'query'],
};

/** Reads the `auth` map of an HTTP task; `undefined` after reporting a problem. */
export function readAuth(c: Checker, node: ValueNode): AuthConfig | undefined {
  const map = c.map(node, 'auth');
  if (!map) return undefined;
  const entries = entriesByKey(map);
  const typeNode = entries.get('type')?.value;
  if (!typeNode) return c.missing('type', '"auth"', map.loc, 'basic, bearer or api_key');
  const type = c.oneOf(typeNode, 'auth.type', ['basic', 'bearer', 'api_key'] as const);
  if (!type) return undefined;
  c.checkKeys(map, AUTH_KEYS[type], `in "auth" of type ${type}`);
  const field = (key: string): string | undefined => {
    const v = entries.get(key)?.value;
    if (!v) return c.missing(key, `"auth" of type ${type}`, map.loc);
    return c.string(v, `auth.${key}`);
  };
  switch (type) {
    case 'basic': {
      const username = field('username');
      const password = field('password');
      return username === undefined || password === undefined ? undefined : { type, username, password };
    }
    case 'bearer': {
      const token = field('token');
      return token === undefined ? undefined : { type, token };
    }
    case 'api_key': {
      const key = field('key');
      const header = optionalString(c, entries.get('header')?.value, 'auth.header');
      const query = optionalString(c, entries.get('query')?.value, 'auth.query');
      if (header !== undefined && query !== undefined) {
        return c.fail(
          'conflicting-keys',
          '"auth" has both "header" and "query"',
          map.loc,
          'keep one of them',
        );
      }
      return key === undefined ? undefined : { type, key, ...opt('header', header), ...opt('query', query) };
    }
  }
}

function optionalString(c: Checker, node: ValueNode | undefined, key: string): string | undefined {
  return node === undefined ? undefined : c.nonEmptyString(node, key);
}

/** `{ [key]: value }` when the value is defined, `{}` otherwise. */
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
