/**
 * Serves the dashboard's static files (`assets/dashboard/`: plain HTML, CSS and ES modules) with strict
 * security headers. Only files under that folder, by an allow-list of extensions.
 * @module
 */

import { existsSync } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpError } from './http-error.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
};

/** The Content-Security-Policy of every page: nothing but this server, no inline script. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * Finds `assets/dashboard` of this package: walks up from this module (it is compiled to `dist/…` or a
 * build folder) to the folder that holds it.
 */
export function findAssetsDir(start: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, 'assets', 'dashboard');
    if (existsSync(path.join(candidate, 'index.html'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`assets/dashboard not found above ${start}`);
    dir = parent;
  }
}

/** Serves the static files of one folder. */
export class StaticFiles {
  private readonly root: Promise<string>;

  constructor(dir: string) {
    this.root = realpath(dir);
  }

  /**
   * Sends the file for a URL path (`/` is `index.html`).
   * @returns false when there is no such file (the caller answers 404).
   */
  async serve(pathname: string, res: ServerResponse, headOnly: boolean): Promise<boolean> {
    const root = await this.root;
    let relative: string;
    try {
      relative = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
    } catch {
      throw new HttpError(400, 'malformed URL');
    }
    if (relative.includes('\0')) throw new HttpError(400, 'malformed URL');
    const type = TYPES[path.extname(relative).toLowerCase()];
    if (type === undefined) return false;
    const file = path.resolve(root, `.${path.posix.normalize(relative)}`);
    let real: string;
    try {
      real = await realpath(file);
    } catch {
      return false;
    }
    if (real !== root && !real.startsWith(root + path.sep)) return false;
    const body = await readFile(real);
    res.writeHead(200, {
      'content-type': type,
      'content-length': body.length,
      'cache-control': 'no-cache',
      ...securityHeaders(),
    });
    res.end(headOnly ? undefined : body);
    return true;
  }
}

/** Headers sent with every response of the dashboard. */
export function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
}
