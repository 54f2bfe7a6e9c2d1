/**
 * Test helpers of the configuration tests: temporary directories holding configuration files, and the
 * problems of a configuration that fails to load.
 */

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigFileError } from '../../src/config/errors.js';
import {
  type Configuration,
  type LoadConfigurationOptions,
  loadConfiguration,
} from '../../src/config/load.js';
import { formatDiagnostic } from '../../src/model/diagnostic.js';

/** Temporary directories for one test file; call `cleanup()` in `after`. */
export class ConfigDirs {
  private root: string | undefined;
  private counter = 0;

  /** A fresh directory holding `files`. */
  async with(files: Record<string, string> = {}): Promise<string> {
    this.root ??= await mkdtemp(join(tmpdir(), 'jorm-config-'));
    const dir = join(this.root, `d${this.counter++}`);
    await mkdir(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    return dir;
  }

  async cleanup(): Promise<void> {
    if (this.root) await rm(this.root, { recursive: true, force: true });
  }
}

/** Loads the configuration of `cwd`, with an empty environment unless one is given. */
export function load(cwd: string, options: Omit<LoadConfigurationOptions, 'cwd'> = {}): Configuration {
  return loadConfiguration({ env: {}, ...options, cwd });
}

/** The formatted problems (paths relative to `cwd`) of a configuration that fails to load. */
export function problemsOf(cwd: string, options: Omit<LoadConfigurationOptions, 'cwd'> = {}): string[] {
  try {
    load(cwd, options);
  } catch (error) {
    if (error instanceof ConfigFileError) {
      return error.diagnostics.map((d) =>
        formatDiagnostic({ ...d, sourceLine: undefined }).replace(`${cwd}/`, ''),
      );
    }
    throw error;
  }
  assert.fail('expected the configuration to be rejected');
}
