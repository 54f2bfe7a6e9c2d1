/**
 * A tiny router: `GET /api/executions/:id` style patterns, matched segment by segment. Parameters are
 * URL-decoded; a malformed escape is a 400.
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-error.js';

/** What a handler receives. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** Named parameters of the pattern (`:id`). */
  params: Record<string, string>;
  /** The query string. */
  query: URLSearchParams;
  /** The request URL (relative to the server). */
  url: URL;
  /** Aborted when the client goes away or the server closes. */
  signal: AbortSignal;
}

/** A route handler: sends its own response (JSON helpers in `http-error.ts`) or throws an `HttpError`. */
export type Handler = (ctx: RequestContext) => Promise<void> | void;

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

/** Routes requests by method and path pattern. */
export class Router {
  private readonly routes: Route[] = [];

  /** Adds a route; `pattern` segments starting with `:` are parameters. */
  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, segments: split(pattern), handler });
    return this;
  }

  /**
   * Finds the handler of a request.
   * @returns the handler and parameters; `undefined` when no pattern matches the path.
   * @throws HttpError 405 when the path matches but not the method.
   */
  match(method: string, pathname: string): { handler: Handler; params: Record<string, string> } | undefined {
    const parts = split(pathname);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      pathMatched = true;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) {
        return { handler: route.handler, params };
      }
    }
    if (pathMatched) throw new HttpError(405, `method ${method} not allowed on ${pathname}`);
    return undefined;
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of pattern.entries()) {
    const part = parts[i]!;
    if (segment.startsWith(':')) {
      try {
        params[segment.slice(1)] = decodeURIComponent(part);
      } catch {
        throw new HttpError(400, `malformed URL segment "${part}"`);
      }
    } else if (segment !== part) {
      return undefined;
    }
  }
  return params;
}
