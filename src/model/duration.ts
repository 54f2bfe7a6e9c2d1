/**
 * Durations: milliseconds in the API, human strings (`500ms`, `30s`, `10m`, `2h`, `7d`) wherever a user writes one.
 * @module
 */

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const DURATION_RE = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/;

/** A duration as a user may write it: milliseconds as a number, or a string such as `30s`. */
export type DurationInput = number | string;

/**
 * Parses a duration into milliseconds.
 *
 * This is the API's reading: a number is milliseconds. Strings are a number followed by one of
 * `ms`, `s`, `m`, `h`, `d`; a string without a unit counts as seconds.
 *
 * @returns the duration in milliseconds, or `undefined` when the input is not a duration.
 */
export function tryParseDuration(input: unknown): number | undefined {
  if (typeof input === 'number') {
    return Number.isFinite(input) && input >= 0 ? input : undefined;
  }
  if (typeof input !== 'string') return undefined;
  const match = DURATION_RE.exec(input);
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = match[2] ?? 's';
  const factor = UNIT_MS[unit];
  if (factor === undefined || !Number.isFinite(value)) return undefined;
  return Math.round(value * factor);
}

/**
 * Parses a duration written by a user in a file, a config or on the command line. Unlike
 * {@link tryParseDuration}, a bare number here means seconds (`timeout: 30` is 30 s), as in JORM files.
 *
 * @returns milliseconds, or `undefined` when the input is not a duration.
 */
export function parseUserDuration(input: unknown): number | undefined {
  if (typeof input === 'number') return tryParseDuration(input * 1000);
  return tryParseDuration(input);
}

/** Whether a string looks like a duration literal with an explicit unit (`30s`, `500ms`). */
export function isDurationLiteral(text: string): boolean {
  const match = DURATION_RE.exec(text);
  return match !== null && match[2] !== undefined;
}

/**
 * Formats milliseconds for people: `850ms`, `1.2s`, `3m 05s`, `2h 10m`.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}
