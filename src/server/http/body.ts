/**
 * Reading JSON request bodies: size-capped, `application/json` only (which also makes a cross-site form
 * post impossible without a CORS preflight), and always an object.
 * @module
 */

import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/** The largest request body accepted. @defaultValue 1 MiB */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads the request body as a JSON object. An empty body is `{}`.
 * @throws HttpError 415 for another content type, 413 when too large, 400 when not a JSON object.
 */
export async function readJsonBody(
  req: IncomingMessage,
  limit = MAX_BODY_BYTES,
): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new HttpError(413, `request body larger than ${limit} bytes`);
    chunks.push(buffer);
  }
  if (size === 0) return {};
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError(415, 'request body must be JSON, sent with "Content-Type: application/json"');
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'invalid JSON';
    throw new HttpError(400, `malformed JSON body: ${reason}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, 'the JSON body must be an object');
  }
  return value as Record<string, unknown>;
}

/** A required string field of a body. @throws HttpError 400 naming the field. */
export function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') {
    throw new HttpError(400, `"${name}" must be a non-empty string`);
  }
  return value;
}

/**
 * An optional `{ NAME: "value" }` map of run parameters. Numbers and booleans are turned into strings.
 * @throws HttpError 400 for anything else.
 */
export function paramsField(body: Record<string, unknown>, name: string): Record<string, string> {
  const value = body[name];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, `"${name}" must be an object of NAME: value pairs`);
  }
  const params: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) {
      throw new HttpError(400, `parameter name "${key}" is not valid (letters, digits, "_", "." and "-")`);
    }
    if (typeof v === 'string') params[key] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') params[key] = String(v);
    else throw new HttpError(400, `parameter "${key}" must be a string, a number or a boolean`);
  }
  return params;
}
