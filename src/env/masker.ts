/**
 * {@link SecretMasker}: replaces every secret value in text with `***`.
 * @module
 */

import { MASK } from './secure-value.js';

/**
 * Secrets shorter than this many characters are not masked in text. Masking `1` or `yes` everywhere would
 * garble every output while hiding next to nothing; such values still show as `***` wherever jorm prints
 * the variable itself ({@link SecureValue}).
 */
export const MIN_MASKED_LENGTH = 4;

/** Masks a stream of chunks, so that a secret split across two chunks is still masked. */
export interface StreamMasker {
  /** Masks what can be decided; keeps back a tail that may be the start of a secret. */
  write(chunk: string): string;
  /** Masks and returns what was kept back. Call once at the end of the stream. */
  flush(): string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/**
 * Replaces every registered secret in text with `***`.
 *
 * Each secret is registered with its variants: every line of a multi-line secret, and its JSON-escaped
 * form (so a secret inside stored JSON is masked too). Masking is one pass of one compiled regular
 * expression (longest secrets first), so it stays linear in the text for large outputs; text without
 * secrets registered is returned as is.
 */
export class SecretMasker {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;
  private dirty = false;
  private longest = 0;
  private readonly minLength: number;

  constructor(secrets: Iterable<string> = [], options: { minLength?: number } = {}) {
    this.minLength = Math.max(1, options.minLength ?? MIN_MASKED_LENGTH);
    this.add(...secrets);
  }

  /** Registers secrets (values too short to mask are ignored, see {@link MIN_MASKED_LENGTH}). */
  add(...secrets: string[]): this {
    for (const secret of secrets) {
      this.addOne(secret);
      if (secret.includes('\n')) for (const line of secret.split(/\r?\n/)) this.addOne(line.trim());
      const escaped = JSON.stringify(secret).slice(1, -1);
      if (escaped !== secret) this.addOne(escaped);
    }
    return this;
  }

  private addOne(secret: string): void {
    if (secret.length < this.minLength || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    this.longest = Math.max(this.longest, secret.length);
    this.dirty = true;
  }

  /** The number of distinct strings masked (variants included). */
  get size(): number {
    return this.secrets.size;
  }

  private regex(): RegExp | undefined {
    if (this.dirty) {
      const sorted = [...this.secrets].sort((a, b) => b.length - a.length);
      this.pattern = sorted.length > 0 ? new RegExp(sorted.map(escapeRegExp).join('|'), 'g') : undefined;
      this.dirty = false;
    }
    return this.pattern;
  }

  /** `text` with every secret replaced by `***`. */
  mask(text: string): string {
    const re = this.regex();
    if (!re || text.length < this.minLength) return text;
    re.lastIndex = 0;
    return text.replace(re, MASK);
  }

  /** A deep copy of `value` with every string masked (for output data and other JSON-like values). */
  maskValue<T>(value: T): T {
    if (this.secrets.size === 0) return value;
    return this.maskDeep(value) as T;
  }

  private maskDeep(value: unknown): unknown {
    if (typeof value === 'string') return this.mask(value);
    if (Array.isArray(value)) return value.map((v) => this.maskDeep(v));
    if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[this.mask(k)] = this.maskDeep(v);
      return out;
    }
    return value;
  }

  /** A masker for one stream of chunks (stdout of one attempt, say). */
  createStream(): StreamMasker {
    let pending = '';
    return {
      write: (chunk) => {
        const text = pending + chunk;
        const cut = this.safeCut(text);
        pending = text.slice(cut);
        return this.mask(text.slice(0, cut));
      },
      flush: () => {
        const rest = this.mask(pending);
        pending = '';
        return rest;
      },
    };
  }

  /**
   * The index up to which `text` can be masked and emitted now: before any tail that may be the start of
   * a secret, and never inside a secret found whole.
   */
  private safeCut(text: string): number {
    const re = this.regex();
    if (!re) return text.length;
    let cut = text.length;
    for (const secret of this.secrets) {
      for (let k = Math.min(secret.length - 1, text.length); k > 0; k--) {
        if (text.endsWith(secret.slice(0, k))) {
          cut = Math.min(cut, text.length - k);
          break;
        }
      }
    }
    if (cut === text.length) return cut;
    re.lastIndex = 0;
    for (const match of text.matchAll(re)) {
      if (match.index >= cut) break;
      if (match.index + match[0].length > cut) return match.index;
    }
    return cut;
  }
}
