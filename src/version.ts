/**
 * The version of this package, found by walking up from this module to jorm's `package.json` (it is
 * compiled to `dist/…` or to a build folder, at different depths).
 * @module
 */

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** jorm's version, or `'unknown'` when its `package.json` cannot be found. */
export function jormVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'jorm' && typeof pkg.version === 'string') return pkg.version;
      } catch {
        // not a readable package.json: keep looking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}
