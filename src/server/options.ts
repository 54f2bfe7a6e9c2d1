/**
 * Options of the dashboard server and their checks: loopback by default, a token for anything else.
 * @module
 */

import { ConfigurationError } from '../model/errors.js';
import { isLoopbackHost } from './http/auth.js';

/** The default port of `jorm serve`. @defaultValue 8080 */
export const DEFAULT_PORT = 8080;
/** The default address of `jorm serve`. @defaultValue `'127.0.0.1'` */
export const DEFAULT_HOST = '127.0.0.1';
/** The environment variable holding the server's bearer token. */
export const TOKEN_ENV = 'JORM_SERVER_TOKEN';
/** The shortest token accepted. @defaultValue 16 */
export const MIN_TOKEN_LENGTH = 16;

/** Where and how the server listens. */
export interface ListenOptions {
  /** @defaultValue {@link DEFAULT_HOST} */
  host: string;
  /** 0 picks a free port. @defaultValue {@link DEFAULT_PORT} */
  port: number;
  /** The bearer token every API request must carry; required unless `host` is a loopback address. */
  token?: string;
}

/**
 * Checks listen options.
 * @throws ConfigurationError for a bad port, a short token, or a non-loopback host without a token.
 */
export function checkListenOptions(options: ListenOptions): ListenOptions {
  const { host, port, token } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigurationError(
      `port must be a whole number from 0 to 65535, got ${port}`,
      'port',
      String(port),
    );
  }
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    throw new ConfigurationError(
      `the server token must be at least ${MIN_TOKEN_LENGTH} characters (try: openssl rand -hex 24)`,
      'token',
      '***',
    );
  }
  if (token === undefined && !isLoopbackHost(host)) {
    throw new ConfigurationError(
      `listening on ${host} needs a token: pass --token or set ${TOKEN_ENV} (anyone who can reach the port could otherwise run DAGs)`,
      'host',
      host,
    );
  }
  return options;
}
