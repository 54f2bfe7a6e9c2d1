/**
 * The task environment across hosts, and the secrets a worker masks.
 *
 * The coordinator does not send its whole environment: a variable inherited from the coordinator's own
 * process environment with its value there (`PATH`, `HOME`, a secret exported in the coordinator's
 * shell…) is not sent; the worker's own environment stands in for it. What the DAG, the configuration,
 * a `.env` file, `--env`, the task or jorm set (`JORM_*`) travels, whatever the coordinator's shell holds, plus the names of the coordinator's variables the task must not
 * see (excluded, or not inherited) so that the worker drops them from its own environment too.
 *
 * Secrets: the coordinator finds which of the strings it sends hold secrets by asking its masking
 * function, and sends those secret values (only ones already in the job) so that the worker masks them
 * before any output leaves it. The worker also masks its own variables whose names look secret.
 * @module
 */

import { DEFAULT_SECURE_PREFIXES, secureNameMatcher } from '../env/environment-config.js';
import { SecretMasker } from '../env/masker.js';

/** Worker-side variables that never reach a task (the worker's own secrets and settings). */
export const WORKER_ONLY_VARIABLES: readonly string[] = ['JORM_PAYLOAD_KEY', 'JORM_REDIS_URL'];

/** What the coordinator sends of a task's environment. */
export interface EnvironmentSplit {
  /** Variables whose value differs from the coordinator's own environment. */
  env: Record<string, string>;
  /** Names in the coordinator's own environment that the task's environment does not have. */
  unset: string[];
}

/**
 * Splits a task's full environment into what must travel and what the worker's environment provides:
 * a variable stays behind only when it has the coordinator's own value and was inherited from it
 * (`inherited`; without it, every variable with the coordinator's value). One the DAG, the
 * configuration, `--env` or the task sets travels even when the coordinator's shell has the same value:
 * the worker's shell may not.
 */
export function splitEnvironment(
  full: Readonly<Record<string, string>>,
  base: Readonly<Record<string, string | undefined>> = process.env,
  inherited?: ReadonlySet<string>,
): EnvironmentSplit {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(full)) {
    if (base[name] !== value || (inherited !== undefined && !inherited.has(name))) env[name] = value;
  }
  const unset: string[] = [];
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && !(name in full)) unset.push(name);
  }
  return { env, unset };
}

/** The task's environment on the worker: the worker's own, without `unset` names, with `env` over it. */
export function rebuildEnvironment(
  split: EnvironmentSplit,
  base: Readonly<Record<string, string | undefined>> = process.env,
): Record<string, string> {
  const drop = new Set([...split.unset, ...WORKER_ONLY_VARIABLES]);
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && !drop.has(name)) result[name] = value;
  }
  return Object.assign(result, split.env);
}

const MASK = '***';

/**
 * The secret parts of `text`, found through `mask` (which replaces each secret with `***`): the parts
 * of `text` that became `***`. When the two cannot be lined up, the whole text counts as a secret.
 */
export function extractSecrets(text: string, mask: (text: string) => string): string[] {
  const masked = mask(text);
  if (masked === text) return [];
  const pieces = masked.split(MASK);
  const first = pieces[0] ?? '';
  if (!text.startsWith(first)) return [text];
  const secrets: string[] = [];
  let pos = first.length;
  for (let i = 1; i < pieces.length; i++) {
    const piece = pieces[i] ?? '';
    const last = i === pieces.length - 1;
    const at = last ? (text.endsWith(piece) ? text.length - piece.length : -1) : text.indexOf(piece, pos + 1);
    if (at <= pos || (!last && piece.length === 0)) return [text];
    secrets.push(text.slice(pos, at));
    pos = at + piece.length;
  }
  return secrets;
}

/** Every string inside a JSON value (object keys included). */
export function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      stringsOf(v, out);
    }
  }
  return out;
}

/** The secret values inside the given strings, according to `mask`. */
export function collectSecrets(strings: Iterable<string>, mask: (text: string) => string): string[] {
  const found = new Set<string>();
  for (const text of strings) for (const secret of extractSecrets(text, mask)) found.add(secret);
  return [...found];
}

/**
 * A predicate telling secret variable names: `securePrefixes` as in the environment configuration, the
 * default rules when absent.
 */
export function secretNamePredicate(securePrefixes?: readonly string[]): (name: string) => boolean {
  return secureNameMatcher(securePrefixes ?? DEFAULT_SECURE_PREFIXES);
}

/** The values of the variables whose names are secret. */
export function secretValuesByName(
  environment: Readonly<Record<string, string | undefined>>,
  isSecret: (name: string) => boolean,
): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(environment)) {
    if (value !== undefined && value.length > 0 && isSecret(name)) values.push(value);
  }
  return values;
}

/** A masker of the given secret values (values too short to mask are ignored, as everywhere in jorm). */
export function createMasker(...groups: ReadonlyArray<readonly string[]>): SecretMasker {
  const masker = new SecretMasker();
  for (const group of groups) masker.add(...group);
  return masker;
}
