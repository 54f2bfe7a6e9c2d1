/**
 * Errors of the HTTP layer: an {@link HttpError} carries the status code and a message for the client;
 * {@link sendJson} and {@link sendError} write JSON responses. Nothing here ever sends a stack trace.
 * @module
 */

import type { ServerResponse } from 'node:http';
import { ExecutorError, errorMessage } from '../../model/errors.js';

/** An error meant for the HTTP client: a 4xx/5xx status and a one-line message. */
export class HttpError extends Error {
  constructor(
    /** The HTTP status code. */
    readonly status: number,
    message: string,
    /** Extra JSON fields of the error body (e.g. `diagnostics`). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The body of every error response: `{ "error": { "status": 404, "message": "…" } }`. */
export interface ErrorBody {
  error: { status: number; message: string } & Record<string, unknown>;
}

/** Writes `body` as JSON with `status`; does nothing when the response was already sent. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.writableEnded) {
    if (!res.writableEnded) res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/**
 * Maps anything thrown while handling a request to a status and a message: {@link HttpError}s keep theirs,
 * jorm's own errors are 400 (bad input) or 500 (storage), anything else is a 500 with a generic message.
 */
export function toHttpError(thrown: unknown): HttpError {
  if (thrown instanceof HttpError) return thrown;
  if (thrown instanceof ExecutorError) {
    const status = thrown.code === 'STATE_PERSISTENCE_ERROR' || thrown.code === 'IO_ERROR' ? 500 : 400;
    return new HttpError(status, thrown.message);
  }
  return new HttpError(500, `internal error: ${errorMessage(thrown).split('\n')[0]}`);
}

/** Sends an error response for anything thrown (see {@link toHttpError}). */
export function sendError(res: ServerResponse, thrown: unknown): void {
  const error = toHttpError(thrown);
  const body: ErrorBody = { error: { ...error.details, status: error.status, message: error.message } };
  sendJson(res, error.status, body);
}
