/**
 * Command-line flags that set configuration values (`--concurrency`, `--timeout`, `--state`, …).
 * @module
 */

import type { Diagnostic } from '../model/diagnostic.js';
import { fieldSpec } from './schema.js';
import { type ConfigValue, readFieldValue } from './values.js';

/** Configuration values given as command-line flags (as commander parses them). */
export interface ConfigFlags {
  /** `--concurrency N` → `executor.max_concurrent_tasks`. */
  concurrency?: string | number;
  /** `--timeout DURATION` → `executor.default_timeout`. */
  timeout?: string | number;
  /** `--fail-fast` → `executor.fail_fast`. */
  failFast?: boolean;
  /** `--working-directory DIR` → `executor.working_directory`. */
  workingDirectory?: string;
  /** `--state PATH` → `state.database_url`; `--no-state` (false) → `state.enabled = false`. */
  state?: string | boolean;
  /** `--log-level LEVEL` → `log_level`. */
  logLevel?: string;
  /** `--backend local|bullmq` → `distributed.backend`. */
  backend?: string;
  /** `--redis URL` → `distributed.redis`. */
  redis?: string;
  /** `--queue NAME` → `distributed.queue`. */
  queue?: string;
}

const FLAGS: readonly { prop: keyof ConfigFlags; flag: string; key: string }[] = [
  { prop: 'concurrency', flag: '--concurrency', key: 'executor.max_concurrent_tasks' },
  { prop: 'timeout', flag: '--timeout', key: 'executor.default_timeout' },
  { prop: 'failFast', flag: '--fail-fast', key: 'executor.fail_fast' },
  { prop: 'workingDirectory', flag: '--working-directory', key: 'executor.working_directory' },
  { prop: 'logLevel', flag: '--log-level', key: 'log_level' },
  { prop: 'backend', flag: '--backend', key: 'distributed.backend' },
  { prop: 'redis', flag: '--redis', key: 'distributed.redis' },
  { prop: 'queue', flag: '--queue', key: 'distributed.queue' },
];

/** One value set by a flag. */
export interface FlagValue {
  key: string;
  value: ConfigValue;
  flag: string;
}

/** The configuration values the flags set; invalid ones are appended to `problems`. */
export function flagValues(flags: ConfigFlags, cwd: string, problems: Diagnostic[]): FlagValue[] {
  const out: FlagValue[] = [];
  const read = (key: string, flag: string, raw: unknown): void => {
    const spec = fieldSpec(key);
    if (!spec) return;
    const result = readFieldValue(spec, typeof raw === 'boolean' ? String(raw) : raw, {
      fromText: true,
      baseDir: cwd,
    });
    if (result.ok) out.push({ key, value: result.value, flag });
    else
      problems.push({ code: 'invalid-value', message: `${flag} ${JSON.stringify(raw)}: ${result.message}` });
  };
  for (const { prop, flag, key } of FLAGS) {
    const raw = flags[prop];
    if (raw === undefined || raw === false) continue;
    read(key, flag, raw);
  }
  if (flags.state === false) out.push({ key: 'state.enabled', value: false, flag: '--no-state' });
  else if (typeof flags.state === 'string') {
    read('state.database_url', '--state', flags.state);
    out.push({ key: 'state.enabled', value: true, flag: '--state' });
  }
  return out;
}
