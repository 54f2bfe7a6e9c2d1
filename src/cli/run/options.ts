/**
 * {@link RunOptions}: everything `jorm run` was asked to do, parsed in one place from the command line.
 * Configuration values (`--concurrency`, `--timeout`, `--fail-fast`, `--state`, `--backend`, …) are kept
 * as written: the configuration loader validates them and applies its precedence.
 * @module
 */

import { CliExit, ExitCode } from '../exit-codes.js';

/** The options of one `jorm run`. */
export interface RunOptions {
  /** The DAG file. */
  file: string;
  /** Print the order and the parallel waves; run nothing. */
  dryRun: boolean;
  /** Print exactly one JSON document (the result) on stdout; everything else on stderr. */
  json: boolean;
  /** Print no progress, only the summary. */
  quiet: boolean;
  /** `--env KEY=VALUE`: DAG-level variables (above the DAG's `env`, below the task's). */
  env: Record<string, string>;
  /** `--param NAME=VALUE`: `${params.NAME}` values. */
  params: Record<string, string>;
  /** `--env-file PATH`: the `.env` file (default: `.env` beside the DAG file). */
  envFile?: string;
  /** `--config PATH`. */
  config?: string;
  /** `--profile NAME`. */
  profile?: string;
  /** `--state PATH`, or false for `--no-state`. */
  state?: string | false;
  /** Every option as commander parsed it (configuration flags, and the options extensions add). */
  raw: Record<string, unknown>;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Splits `NAME=VALUE`. The error never shows the value (it may be a secret): it is thrown as a
 * {@link CliExit}, which commander passes on, not as an `InvalidArgumentError`, whose message commander
 * prefixes with the whole argument.
 */
function assignment(
  option: string,
  what: string,
  rule: string,
  pattern: RegExp,
  text: string,
): [string, string] {
  const eq = text.indexOf('=');
  if (eq < 0) {
    throw new CliExit(ExitCode.InvalidInput, `jorm: ${option} expects NAME=VALUE; this argument has no "="`);
  }
  const name = text.slice(0, eq);
  if (!pattern.test(name)) {
    const shown = name === '' ? 'an empty name' : `"${name}"`;
    throw new CliExit(
      ExitCode.InvalidInput,
      `jorm: ${option}: ${shown} is not a valid ${what} name (${rule}); its value is not shown`,
    );
  }
  return [name, text.slice(eq + 1)];
}

/** Commander parser of a repeatable `--env KEY=VALUE`. */
export function collectEnv(text: string, previous: Record<string, string> = {}): Record<string, string> {
  const rule = 'letters, digits and "_", not starting with a digit';
  const [name, value] = assignment('--env', 'variable', rule, NAME, text);
  return { ...previous, [name]: value };
}

/** Commander parser of a repeatable `--param NAME=VALUE`. */
export function collectParam(text: string, previous: Record<string, string> = {}): Record<string, string> {
  const rule = 'letters, digits, "_", "." and "-", starting with a letter or "_"';
  const [name, value] = assignment('--param', 'parameter', rule, PARAM_NAME, text);
  return { ...previous, [name]: value };
}

/** Builds the run options from the file argument and commander's parsed options. */
export function runOptionsOf(file: string, raw: Record<string, unknown>): RunOptions {
  const text = (key: string): string | undefined => (typeof raw[key] === 'string' ? raw[key] : undefined);
  const record = (key: string): Record<string, string> =>
    (raw[key] as Record<string, string> | undefined) ?? {};
  const options: RunOptions = {
    file,
    dryRun: raw['dryRun'] === true,
    json: raw['json'] === true,
    quiet: raw['quiet'] === true,
    env: record('env'),
    params: record('param'),
    raw,
  };
  const envFile = text('envFile');
  if (envFile !== undefined) options.envFile = envFile;
  const config = text('config');
  if (config !== undefined) options.config = config;
  const profile = text('profile');
  if (profile !== undefined) options.profile = profile;
  if (raw['state'] === false) options.state = false;
  else if (typeof raw['state'] === 'string') options.state = raw['state'];
  return options;
}
