/**
 * Bearer-token authentication and the request guards that keep a local dashboard safe from other web
 * pages: a Host check (against DNS rebinding) and an Origin check (against cross-site requests).
 * @module
 */

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { HttpError } from './http-error.js';

/**
 * Whether `header` (an `Authorization` value) carries `token` as a bearer token. The comparison takes the
 * same time whatever the candidate (both sides are hashed to a fixed length first).
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  const candidate = match?.[1] ?? '';
  const a = createHash('sha256').update(candidate).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b) && match !== null;
}

/** Whether a host name or address is a loopback one (`localhost`, `127.x.x.x`, `::1`). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1' || h === '0:0:0:0:0:0:0:1';
}

/** The host part of a `Host` header or of an origin URL's authority (without the port). */
export function hostOf(authority: string): string {
  if (authority.startsWith('[')) return authority.slice(0, authority.indexOf(']') + 1);
  const colon = authority.lastIndexOf(':');
  return colon === -1 ? authority : authority.slice(0, colon);
}

/** Options of {@link guardRequest}. */
export interface GuardOptions {
  /** The bearer token every data request must carry; absent: no token (loopback only). */
  token?: string;
  /** Whether this path needs the token (data and actions do; the static page shell does not). */
  needsToken: boolean;
}

/**
 * Checks one request and throws an {@link HttpError} when it must be refused:
 * - without a token, the `Host` header must name a loopback host (a DNS-rebinding page cannot read the API);
 * - an `Origin` header, when sent, must match the `Host` (no cross-site calls);
 * - with a token, data requests need `Authorization: Bearer <token>`.
 */
export function guardRequest(req: IncomingMessage, options: GuardOptions): void {
  const host = req.headers.host ?? '';
  if (options.token === undefined && !isLoopbackHost(hostOf(host))) {
    throw new HttpError(
      403,
      `refusing Host "${host}": this server only answers to localhost without a token`,
    );
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let authority = '';
    try {
      authority = new URL(origin).host;
    } catch {
      authority = '';
    }
    if (authority.toLowerCase() !== host.toLowerCase()) {
      throw new HttpError(403, 'cross-origin requests are not allowed');
    }
  } else if (origin === 'null' && req.method !== 'GET' && req.method !== 'HEAD') {
    throw new HttpError(403, 'cross-origin requests are not allowed');
  }
  if (options.token !== undefined && options.needsToken) {
    if (!bearerMatches(req.headers.authorization, options.token)) {
      throw new HttpError(401, 'missing or wrong bearer token (send "Authorization: Bearer <token>")');
    }
  }
}
