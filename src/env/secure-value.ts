/**
 * {@link SecureValue}: an environment variable's value that never shows itself when it is a secret.
 * @module
 */

import { inspect } from 'node:util';

/** What a secret shows as, everywhere jorm shows or keeps it. */
export const MASK = '***';

/**
 * The value of an environment variable, marked secure or plain (the reference's `SecureValue`).
 *
 * A secure value prints (`String()`, template literals), serializes (`JSON.stringify`) and inspects
 * (`util.inspect`, `console.log`) as `***`; only {@link SecureValue.value} returns the real text. A plain
 * value shows as itself. The text is kept in a private field, so enumerating or spreading the object does
 * not reveal it either.
 */
export class SecureValue {
  readonly #value: string;
  readonly #secure: boolean;

  constructor(value: string, isSecure: boolean) {
    this.#value = value;
    this.#secure = isSecure;
  }

  /** A secure value. */
  static secure(value: string): SecureValue {
    return new SecureValue(value, true);
  }

  /** A plain (non-secret) value. */
  static plain(value: string): SecureValue {
    return new SecureValue(value, false);
  }

  /** The actual value. Never print or store it when {@link SecureValue.isSecure} is true. */
  value(): string {
    return this.#value;
  }

  /** Whether the value is a secret. */
  isSecure(): boolean {
    return this.#secure;
  }

  /** `***` for a secret, the value otherwise. */
  toString(): string {
    return this.#secure ? MASK : this.#value;
  }

  /** `***` for a secret, the value otherwise. */
  toJSON(): string {
    return this.toString();
  }

  /** Used by template literals and `+`. */
  [Symbol.toPrimitive](): string {
    return this.toString();
  }

  /** Used by `util.inspect` and `console.log`. */
  [inspect.custom](): string {
    return this.#secure ? MASK : inspect(this.#value);
  }
}

/** The actual values of a map of {@link SecureValue}s, for a child process's environment. */
export function revealEnvironment(env: Readonly<Record<string, SecureValue>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) out[name] = value.value();
  return out;
}

/** The real values of the secure entries of a map of {@link SecureValue}s. */
export function secretsOf(env: Readonly<Record<string, SecureValue>>): string[] {
  const out: string[] = [];
  for (const value of Object.values(env)) if (value.isSecure()) out.push(value.value());
  return out;
}
