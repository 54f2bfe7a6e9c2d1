/**
 * HTTP authentication of HTTP tasks: basic, bearer, and API key (header or query parameter), and the
 * URL as shown in messages (with an API key in the query replaced by `***`).
 * @module
 */

import { ValidationError } from '../model/errors.js';
import type { AuthConfig } from '../model/task.js';
import { isPlainObject, optionalString, quote, requireString } from './validate-config.js';

/** The header of an API key when the task names none. */
export const DEFAULT_API_KEY_HEADER = 'X-API-Key';

/** Throws a `ValidationError` when `auth` is not a valid {@link AuthConfig}. */
export function validateAuth(auth: unknown): void {
  if (!isPlainObject(auth)) {
    throw new ValidationError(`"auth" must be a map, got ${quote(auth)}`, 'auth', quote(auth));
  }
  switch (auth['type']) {
    case 'basic':
      requireString('auth.username', auth['username']);
      requireString('auth.password', auth['password'], true);
      return;
    case 'bearer':
      requireString('auth.token', auth['token']);
      return;
    case 'api_key': {
      requireString('auth.key', auth['key']);
      const header = optionalString('auth.header', auth['header']);
      const query = optionalString('auth.query', auth['query']);
      if (header !== undefined && query !== undefined) {
        throw new ValidationError(
          '"auth" has both "header" and "query": keep one of them',
          'auth.query',
          query,
        );
      }
      return;
    }
    default:
      throw new ValidationError(
        `"auth.type" must be one of basic, bearer, api_key, got ${quote(auth['type'])}`,
        'auth.type',
        quote(auth['type']),
      );
  }
}

/** Adds the credentials of `auth` to the request's headers or URL. */
export function applyAuth(url: URL, headers: Headers, auth: AuthConfig | undefined): void {
  if (!auth) return;
  switch (auth.type) {
    case 'basic': {
      const token = Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64');
      headers.set('Authorization', `Basic ${token}`);
      return;
    }
    case 'bearer':
      headers.set('Authorization', `Bearer ${auth.token}`);
      return;
    case 'api_key':
      if (auth.query !== undefined) url.searchParams.set(auth.query, auth.key);
      else headers.set(auth.header ?? DEFAULT_API_KEY_HEADER, auth.key);
      return;
  }
}

/** The URL for messages and metadata: without user info, and with an API key query parameter as `***`. */
export function displayUrl(url: URL | string, auth: AuthConfig | undefined): string {
  const shown = new URL(String(url));
  shown.username = '';
  shown.password = '';
  if (auth?.type === 'api_key' && auth.query !== undefined && shown.searchParams.has(auth.query)) {
    shown.searchParams.set(auth.query, '***');
  }
  return shown.toString();
}
